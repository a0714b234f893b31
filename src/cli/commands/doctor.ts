/**
 * `doctor`: the checks of POST /tokens/verify from a shell, with this deployment's settings
 * (loadConfig(env)) as the default Prosody. Takes a token or the meeting link it came in; prints ✓/✗
 * per check (⚠ for hints Prosody does not enforce) and exits 1 when Prosody would reject the token.
 */
import { readFileSync } from 'node:fs'
import { parseArgs, parseEnv } from 'node:util'
import { loadConfig, type Config } from '../../config.js'
import { doctorSettings } from '../../config/doctor-settings.js'
import { algorithmProblem, type SigningAlgorithm } from '../../jitsi/algorithms.js'
import { withOverrides, type DoctorKeys, type ProsodyOverrides } from '../../jitsi/doctor/deployment.js'
import { deploymentReport } from '../../jitsi/doctor/deployment-report.js'
import { diagnoseAsync, type Diagnosis } from '../../jitsi/doctor/diagnose.js'
import { dockerTokenSettings } from '../../jitsi/docker-env.js'
import { parseMeetingLink } from '../../jitsi/doctor/meeting-link.js'
import { formatDiagnosis } from '../../jitsi/doctor/report-text.js'
import { serviceDeployment, serviceKeys } from '../../jitsi/doctor/service-defaults.js'
import { roomNameProblem } from '../../jitsi/room-name.js'
import { UsageError, withUsageErrors, type Command, type CommandIO } from '../command.js'
import { tokenEnv } from '../token-env.js'

const USAGE = `Usage: jitsi-token-service doctor <token | meeting link> [--room ROOM] [--tenant TENANT]
         [--secret-file FILE] [--public-key-file FILE] [--token-file FILE] [--algorithm RS256]
         [--issuer ISS]... [--audience AUD]... [--domain-verification on|off] [--xmpp-domain DOMAIN]
         [--env DOCKER_JITSI_MEET_ENV] [--json]
       jitsi-token-service doctor --deployment --env DOCKER_JITSI_MEET_ENV
Defaults come from this service's environment (JWT_APP_ID, JWT_APP_SECRET, JWT_SIGN_TYPE, XMPP_DOMAIN, keys);
only the JWT_*, JAAS_APP_ID, PUBLIC_URL and XMPP_DOMAIN variables are read. --env reads Prosody's settings from
docker-jitsi-meet's .env instead of assuming Prosody's defaults (flags still win); --deployment says what that
.env makes Jitsi do with tokens: verification, and the role a moderator and a guest token get.
Exit status: 0 Prosody accepts the token, 1 it rejects it, 2 usage error.
`

/** As POST /tokens/verify accepts it. */
const TENANT = /^[A-Za-z0-9._-]{1,63}$/

const list = (values: string[] | undefined) => values?.flatMap(value => value.split(',')).map(v => v.trim()).filter(Boolean)

/** Secret files usually end with a newline that is not part of the secret (as config/secret-files.ts). */
function readFile (path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '')
  } catch (error) {
    throw new UsageError(`cannot read the ${what} ${path} (${(error as NodeJS.ErrnoException).code})`)
  }
}

function readDockerEnv (path: string): Record<string, string> {
  return parseEnv(readFile(path, '.env')) as Record<string, string>
}

function overridesFrom (values: Record<string, string | string[] | boolean | undefined>, base: ProsodyOverrides = {}): ProsodyOverrides {
  const overrides: ProsodyOverrides = { ...base }
  const algorithm = values.algorithm as string | undefined
  if (algorithm !== undefined) {
    const problem = algorithmProblem(algorithm)
    if (problem) throw new UsageError(`--algorithm ${problem}`)
    overrides.algorithm = algorithm as SigningAlgorithm
  }
  overrides.acceptedIssuers = list(values.issuer as string[] | undefined) ?? overrides.acceptedIssuers
  overrides.acceptedAudiences = list(values.audience as string[] | undefined) ?? overrides.acceptedAudiences
  const domainVerification = values['domain-verification'] as string | undefined
  if (domainVerification !== undefined) {
    if (domainVerification !== 'on' && domainVerification !== 'off') throw new UsageError('--domain-verification must be on or off')
    overrides.domainVerification = domainVerification === 'on'
  }
  overrides.xmppDomain = values['xmpp-domain'] as string | undefined ?? overrides.xmppDomain
  return overrides
}

/** A random development secret or key signs nothing Prosody knows, so it cannot check a signature. */
function keysFrom (config: Config, values: Record<string, string | string[] | boolean | undefined>): DoctorKeys {
  const secretFile = values['secret-file'] as string | undefined
  const publicKeyFile = values['public-key-file'] as string | undefined
  const developmentSecret = config.developmentDefaults.includes('JWT_APP_SECRET')
  return serviceKeys(developmentSecret ? {} : doctorSettings(config), () => config.jwt.keys?.initial.published ?? [], {
    secret: secretFile === undefined ? undefined : { key: readFile(secretFile, 'secret file'), from: `the secret in ${secretFile}` },
    publicKey: publicKeyFile === undefined ? undefined : { key: readFile(publicKeyFile, 'public key file'), from: `the public key in ${publicKeyFile}` }
  })
}

async function runDoctor (env: Record<string, string | undefined>, args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      room: { type: 'string' },
      tenant: { type: 'string' },
      'token-file': { type: 'string' },
      'secret-file': { type: 'string' },
      'public-key-file': { type: 'string' },
      algorithm: { type: 'string' },
      issuer: { type: 'string', multiple: true },
      audience: { type: 'string', multiple: true },
      'domain-verification': { type: 'string' },
      'xmpp-domain': { type: 'string' },
      env: { type: 'string' },
      deployment: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false }
    }
  })
  const dockerEnv = values.env === undefined ? undefined : readDockerEnv(values.env)
  if (values.deployment) {
    if (dockerEnv === undefined) throw new UsageError('--deployment reads docker-jitsi-meet\'s settings: give --env PATH/TO/docker-jitsi-meet/.env')
    io.out.write(deploymentReport(dockerEnv))
    if (positionals.length === 0 && values['token-file'] === undefined) return 0
  }
  const tokenFile = values['token-file']
  const argument = tokenFile === undefined ? positionals[0] : readFile(tokenFile, 'token file')
  if (argument === undefined || positionals.length > (tokenFile === undefined ? 1 : 0)) throw new UsageError('give one token or meeting link')
  const config = loadConfig(tokenEnv(env))
  const link = parseMeetingLink(argument.trim(), config.publicUrl)
  for (const warning of link?.warnings ?? []) io.err.write(`⚠ ${warning}\n`)
  const token = link ? link.token : argument.trim()
  if (token === undefined) throw new UsageError('the link carries no ?jwt= or #jwt= token')

  const room = values.room ?? link?.room
  const tenant = values.tenant ?? link?.tenant
  const roomProblem = room === undefined ? undefined : roomNameProblem(room)
  if (roomProblem) throw new UsageError(`the room ${roomProblem}`)
  if (tenant !== undefined && !TENANT.test(tenant)) throw new UsageError('the tenant must be 1–63 letters, digits, ".", "_" or "-"')
  const fromEnv = dockerEnv === undefined ? undefined : dockerTokenSettings(dockerEnv)
  for (const problem of fromEnv?.problems ?? []) io.err.write(`⚠ ${values.env}: ${problem}\n`)
  const overrides = overridesFrom(values, fromEnv?.overrides)
  if (config.developmentDefaults.includes('JWT_APP_ID') && overrides.acceptedIssuers === undefined && fromEnv === undefined) {
    io.err.write(`⚠ JWT_APP_ID is not set, so only iss "${config.jwt.appId}" is accepted; set it as for Prosody or pass --issuer.\n`)
  }
  const diagnosis: Diagnosis = await diagnoseAsync(
    { token, room, tenant },
    withOverrides(serviceDeployment(doctorSettings(config)), overrides),
    keysFrom(config, values)
  )
  io.out.write(values.json ? `${JSON.stringify(diagnosis, null, 2)}\n` : formatDiagnosis(diagnosis))
  return diagnosis.valid ? 0 : 1
}

export function doctorCommand (env: Record<string, string | undefined> = process.env): Command {
  return {
    name: 'doctor',
    summary: 'explain whether Jitsi accepts a token, check by check',
    usage: USAGE,
    run: (args, io) => withUsageErrors('doctor', USAGE, io, () => runDoctor(env, args, io))
  }
}

export default doctorCommand()
