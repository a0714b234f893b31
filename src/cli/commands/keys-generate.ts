/**
 * `keys generate`: a new RSA key pair under a new kid, written as a private key file (0600, never
 * overwriting one), and the settings this service and Prosody/docker-jitsi-meet (or JaaS) need.
 * Every key gets a new kid because Prosody caches keys by kid for ever (docs/jitsi.md §1.2).
 */
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { isJaasAppId } from '../../jitsi/jaas.js'
import { kidPathId, newKeyId } from '../../keys/kid.js'
import { KEYS_MAX_AGE } from '../../keys/key-set.js'
import { ACTIVE_FILE } from '../../keys/key-source.js'
import { MIN_RSA_BITS } from '../../keys/rsa-key.js'
import type { Command, CommandIO } from '../command.js'

const USAGE = `Usage: jitsi-token-service keys generate (--dir DIR [--activate] | --out FILE) [--name NAME] [--bits 2048]
         [--jaas-app-id vpaas-magic-cookie-…] [--key-server http://token-service:3000/asap]
       jitsi-token-service keys generate --system --out FILE   (the system key for meeting control)
Writes a new RSA private key (0600, never over an existing file) under a new kid and prints the settings
for this service and Prosody. --dir defaults to JWT_KEYS_DIR. The paths printed are the ones this process
sees: run it as docker compose ... run --rm token-service-cli keys generate, and they are the container's.
`
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/

interface Written { kid: string, file: string, publicPem: string }

function writeKey (values: { dir?: string, out?: string, name: string, bits: number, jaasAppId?: string }): Written {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: values.bits })
  const file = resolve(values.dir ? join(values.dir, `${values.name}.pem`) : values.out!)
  if (values.dir) mkdirSync(values.dir, { recursive: true, mode: 0o700 })
  // 'wx': an existing key is never replaced, so no kid ever names two keys.
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' })
  return {
    kid: values.jaasAppId ? `${values.jaasAppId}/${values.name}` : values.name,
    file,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string
  }
}

function activate (dir: string, name: string) {
  // Written aside and renamed, so a reload never reads half a file.
  const path = join(dir, ACTIVE_FILE)
  writeFileSync(`${path}.tmp`, `${name}\n`, { mode: 0o600 })
  renameSync(`${path}.tmp`, path)
}

/** Activates the key when asked or when it is the directory's first; says what the operator does next. */
function settleActive (dir: string, name: string, activateNow: boolean): string {
  const activePath = join(resolve(dir), ACTIVE_FILE)
  const others = readdirSync(dir).filter(file => file.endsWith('.pem') && file !== `${name}.pem`)
  if (activateNow || others.length === 0) {
    activate(dir, name)
    return 'This key signs new tokens once the service reads the directory: at start, or on SIGHUP (docker kill -s HUP <container>).\n'
  }
  const missing = existsSync(activePath)
    ? ''
    : `${activePath} does not exist: write the name of the key that signs now into it before sending SIGHUP (the service does not guess between several keys).\n`
  return `${missing}Send SIGHUP to publish this key; after JWKS consumers have refreshed (${KEYS_MAX_AGE} s), activate it: echo ${name} > ${activePath}, then SIGHUP again.\n`
}

function selfHostedSettings (key: Written, dir: string | undefined, keyServer: string): string[] {
  return [
    '# jitsi-token-service',
    'JWT_SIGN_TYPE=RS256',
    ...(dir ? [`JWT_KEYS_DIR=${resolve(dir)}`] : [`JWT_PRIVATE_KEY_FILE=${key.file}`, `JWT_KID=${key.kid}`]),
    '',
    '# docker-jitsi-meet .env (Prosody); JWT_APP_ID must equal this service\'s JWT_APP_ID',
    'ENABLE_AUTH=1',
    'AUTH_TYPE=jwt',
    'JWT_SIGN_TYPE=RS256',
    `JWT_ASAP_KEYSERVER=${keyServer}`,
    '',
    `# plain Prosody: asap_key_server = "${keyServer}"; signature_algorithm = "RS256"`
  ]
}

/** The system key for Prosody's meeting modules (docs/meeting-control.md): its own key, its own repository. */
function systemSettings (key: Written, service: string): string[] {
  return [
    '# jitsi-token-service: the system key (never the login key)',
    `SYSTEM_PRIVATE_KEY_FILE=${key.file}`,
    `SYSTEM_KID=${key.kid}`,
    'PROSODY_HTTP_URL=http://prosody:5280',
    '',
    '# docker-jitsi-meet .env (Prosody)',
    'GLOBAL_MODULES=muc_end_meeting',
    `GLOBAL_CONFIG=prosody_password_public_key_repo_url = "${service}/system-keys";`,
    'XMPP_MODULES=muc_kick_participant,muc_size'
  ]
}

function jaasSettings (key: Written, dir: string | undefined, appId: string): string[] {
  return [
    '# JaaS console → API Keys → Add API key → upload this public key:',
    key.publicPem.trimEnd(),
    '',
    '# jitsi-token-service',
    'JWT_PROFILE=jaas',
    `JAAS_APP_ID=${appId}`,
    ...(dir
      ? [`JWT_KEYS_DIR=${resolve(dir)}`, '# rename the file to <key id shown by the console>.pem']
      : [`JWT_PRIVATE_KEY_FILE=${key.file}`, 'JWT_KID=<the key id the console shows for this key>'])
  ]
}

function optionProblem (options: { dir?: string, out?: string, activate: boolean, name: string, bits: number, appId?: string, system: boolean }): string | undefined {
  if (options.system && (options.out === undefined || options.appId !== undefined)) return '--system writes one key with --out (SYSTEM_PRIVATE_KEY_FILE), not for JaaS'
  if ((options.dir === undefined) === (options.out === undefined)) return 'give either --dir (a JWT_KEYS_DIR) or --out (a JWT_PRIVATE_KEY_FILE)'
  if (options.activate && !options.dir) return '--activate needs --dir'
  if (!NAME.test(options.name)) return '--name must be letters, digits, ".", "_" or "-" (it becomes the file name and the kid)'
  if (!Number.isInteger(options.bits) || options.bits < MIN_RSA_BITS || options.bits > 8192) return `--bits must be an integer from ${MIN_RSA_BITS} to 8192`
  if (options.appId !== undefined && !isJaasAppId(options.appId)) return '--jaas-app-id must look like vpaas-magic-cookie-<hex>'
  return undefined
}

export function keysGenerateCommand (env: Record<string, string | undefined> = process.env): Command {
  return {
    name: 'keys generate',
    summary: 'create an RSA key pair with a new kid and print the Prosody/JaaS settings',
    usage: USAGE,
    run: (args, io) => generate(args, io, env.JWT_KEYS_DIR || undefined)
  }
}

async function generate (args: string[], io: CommandIO, keysDir: string | undefined): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: 'string' },
      out: { type: 'string' },
      name: { type: 'string' },
      bits: { type: 'string', default: String(MIN_RSA_BITS) },
      activate: { type: 'boolean', default: false },
      system: { type: 'boolean', default: false },
      'jaas-app-id': { type: 'string' },
      'key-server': { type: 'string', default: 'http://token-service:3000/asap' }
    }
  })
  // The configured directory, unless told otherwise: the key lands where the service reads.
  if (values.dir === undefined && values.out === undefined && !values.system) values.dir = keysDir
  const bits = Number(values.bits)
  const name = values.name ?? newKeyId()
  const appId = values['jaas-app-id']
  const keyServer = values['key-server'].replace(/\/+$/, '') // Prosody adds the "/" itself
  const problem = optionProblem({ ...values, name, bits, appId })
  if (problem) {
    io.err.write(`${problem}\n${USAGE}`)
    return 2
  }

  const key = writeKey({ dir: values.dir, out: values.out, name, bits, jaasAppId: appId })
  io.err.write(`Wrote a ${bits}-bit RSA private key to ${key.file} (mode 0600; keep it secret).\n`)
  io.out.write([
    `kid: ${key.kid}`,
    `Prosody fetches: /${values.system ? 'system-keys' : 'asap'}/${kidPathId(key.kid)}.pem`,
    '',
    ...(values.system ? systemSettings(key, keyServer.replace(/\/asap$/, '')) : appId ? jaasSettings(key, values.dir, appId) : selfHostedSettings(key, values.dir, keyServer))
  ].join('\n') + '\n')
  if (values.dir) io.err.write(settleActive(values.dir, name, values.activate))
  return 0
}

export default keysGenerateCommand()
