/**
 * Where RS* keys come from, read at start-up and again on every reload:
 * - one key: JWT_PRIVATE_KEY_FILE (or JWT_PRIVATE_KEY) with JWT_KID;
 * - a directory, JWT_KEYS_DIR: every `<name>.pem` is published with kid `<name>` (JaaS: `<AppID>/<name>`),
 *   the file `active` names the one that signs; a `.pem` holding only a public key stays published
 *   without signing (a retired key whose tokens have not expired yet).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../config/config-error.js'
import type { RsaAlgorithm } from '../jitsi/algorithms.js'
import { buildKeySet, type KeySet, type LoadedKey } from './key-set.js'
import { parseKey, rsaKeyProblem, type ParsedKey } from './rsa-key.js'

export type KeySource =
  | { kind: 'file', variable: 'JWT_PRIVATE_KEY_FILE', file: string, kid: string }
  | { kind: 'file', variable: 'JWT_PRIVATE_KEY', pem: string, kid: string }
  | { kind: 'dir', dir: string }

export interface KeyOptions {
  algorithm: RsaAlgorithm
  /** JaaS: kids from file names get the `<AppID>/` prefix the web client checks (docs/jitsi.md §3.5). */
  jaasAppId?: string
}

export const ACTIVE_FILE = 'active'
const KEY_FILE = /^([A-Za-z0-9][A-Za-z0-9._-]*)\.pem$/

function readText (path: string, variable: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(variable, `cannot be read (${(error as Error).message})`)
  }
}

function checkedKey (pem: string, variable: string, what: string, algorithm: RsaAlgorithm): ParsedKey {
  let key: ParsedKey
  try {
    key = parseKey(pem)
  } catch (error) {
    throw new ConfigError(variable, what + (error as Error).message)
  }
  const problem = rsaKeyProblem(key.publicKey, algorithm)
  if (problem) throw new ConfigError(variable, what + problem)
  return key
}

function loadFile (source: Extract<KeySource, { kind: 'file' }>, options: KeyOptions): KeySet {
  const pem = 'file' in source ? readText(source.file, source.variable) : source.pem
  const key = checkedKey(pem, source.variable, '', options.algorithm)
  if (!key.privateKey) {
    throw new ConfigError(source.variable, 'holds only a public key; give the private key (the service publishes the public key itself)')
  }
  const loaded = { kid: source.kid, key }
  return buildKeySet([loaded], options.algorithm, loaded)
}

function keyFileNames (dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch (error) {
    throw new ConfigError('JWT_KEYS_DIR', `cannot be read (${(error as Error).message})`)
  }
  // Kubernetes secret volumes add `..data` links; anything not named like a key is not one.
  return names.filter(name => KEY_FILE.test(name) && statSync(join(dir, name)).isFile()).sort()
}

function activeName (dir: string, keys: Array<LoadedKey & { name: string }>): string | undefined {
  const activePath = join(dir, ACTIVE_FILE)
  const signers = keys.filter(key => key.key.privateKey)
  let named: string
  try {
    named = readFileSync(activePath, 'utf8').trim()
  } catch {
    if (signers.length > 1) {
      throw new ConfigError('JWT_KEYS_DIR', `holds several private keys (${signers.map(key => key.name).join(', ')}); write the name of the one that signs into ${activePath}`)
    }
    return signers[0]?.name
  }
  const active = keys.find(key => key.name === named || key.kid === named)
  if (!active) throw new ConfigError('JWT_KEYS_DIR', `${activePath} names "${named}", but there is no ${named}.pem`)
  if (!active.key.privateKey) throw new ConfigError('JWT_KEYS_DIR', `${activePath} names "${named}", whose file holds only a public key and cannot sign`)
  return active.name
}

function loadDir (dir: string, options: KeyOptions): KeySet {
  const keys = keyFileNames(dir).map(fileName => {
    const name = fileName.slice(0, -'.pem'.length)
    const kid = options.jaasAppId ? `${options.jaasAppId}/${name}` : name
    return { name, kid, key: checkedKey(readText(join(dir, fileName), 'JWT_KEYS_DIR'), 'JWT_KEYS_DIR', `${fileName} `, options.algorithm) }
  })
  const name = activeName(dir, keys)
  const active = keys.find(key => key.name === name)
  return buildKeySet(keys, options.algorithm, active, `JWT_KEYS_DIR (${dir}) holds no private key: run "jitsi-token-service keys generate --dir ${dir}", then send SIGHUP`)
}

/** Reads and checks every key; throws a ConfigError naming the variable when a key is unusable. */
export function loadKeySet (source: KeySource, options: KeyOptions): KeySet {
  return source.kind === 'file' ? loadFile(source, options) : loadDir(source.dir, options)
}
