/**
 * The RS* part of the configuration: which key source the variables name, checked by loading it.
 * Wrong algorithm/key combinations and a missing kid never work, so they stop start-up everywhere;
 * production also refuses to run without a key that can sign.
 */
import { generateKeyPairSync } from 'node:crypto'
import { ConfigError } from '../config/config-error.js'
import { isRsaAlgorithm, type RsaAlgorithm, type SigningAlgorithm } from '../jitsi/algorithms.js'
import { jaasKid } from '../jitsi/jaas.js'
import { kidProblem, newKeyId } from './kid.js'
import { loadKeySet, type KeySource } from './key-source.js'
import type { KeySet } from './key-set.js'

export interface KeyEnv {
  /** The PEM itself: JWT_PRIVATE_KEY, or the contents of JWT_PRIVATE_KEY_FILE. */
  JWT_PRIVATE_KEY?: string
  JWT_PRIVATE_KEY_FILE?: string
  JWT_KID?: string
  JWT_KEYS_DIR?: string
}

export interface KeyConfig {
  source: KeySource
  /** Loaded once at start-up; the signer reloads from `source`. */
  initial: KeySet
}

interface Context {
  production: boolean
  jaasAppId?: string
  /** Variables that fell back to a development default. */
  defaults: string[]
}

function kidFor (kid: string | undefined, variable: string, jaasAppId: string | undefined): string {
  if (kid === undefined) throw new ConfigError('JWT_KID', `is required with ${variable}: Prosody and JaaS find the public key by the token's kid`)
  const problem = kidProblem(kid)
  if (problem) throw new ConfigError('JWT_KID', problem)
  if (!jaasAppId) return kid
  const jaas = jaasKid(jaasAppId, kid)
  if ('problem' in jaas) throw new ConfigError('JWT_KID', jaas.problem)
  return jaas.kid
}

const keyVariable = (env: KeyEnv) => env.JWT_PRIVATE_KEY_FILE ? 'JWT_PRIVATE_KEY_FILE' : 'JWT_PRIVATE_KEY'

function sourceFor (env: KeyEnv, algorithm: RsaAlgorithm, context: Context): KeySource {
  if (env.JWT_KEYS_DIR) {
    if (env.JWT_PRIVATE_KEY !== undefined) throw new ConfigError(keyVariable(env), 'is set together with JWT_KEYS_DIR; set only one of them')
    if (env.JWT_KID !== undefined) throw new ConfigError('JWT_KID', 'is set with JWT_KEYS_DIR, where each key\'s kid is its file name; remove JWT_KID')
    return { kind: 'dir', dir: env.JWT_KEYS_DIR }
  }
  if (env.JWT_PRIVATE_KEY !== undefined) {
    const kid = kidFor(env.JWT_KID, keyVariable(env), context.jaasAppId)
    return env.JWT_PRIVATE_KEY_FILE
      ? { kind: 'file', variable: 'JWT_PRIVATE_KEY_FILE', file: env.JWT_PRIVATE_KEY_FILE, kid }
      : { kind: 'file', variable: 'JWT_PRIVATE_KEY', pem: env.JWT_PRIVATE_KEY, kid }
  }
  if (context.production) throw new ConfigError('JWT_PRIVATE_KEY_FILE', `(or JWT_KEYS_DIR) is required for ${algorithm} when NODE_ENV=production`)
  // Development: a key for this run only, like the random development secret for HS*.
  context.defaults.push('JWT_PRIVATE_KEY_FILE')
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const keyId = `dev${newKeyId()}`
  return {
    kind: 'file',
    variable: 'JWT_PRIVATE_KEY',
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    kid: context.jaasAppId ? `${context.jaasAppId}/${keyId}` : keyId
  }
}

/** Undefined for HS*; for RS*, the source and its keys, or a ConfigError naming the variable. */
export function keyConfig (env: KeyEnv, algorithm: SigningAlgorithm, context: Context): KeyConfig | undefined {
  if (!isRsaAlgorithm(algorithm)) {
    const set = env.JWT_KEYS_DIR ? 'JWT_KEYS_DIR' : env.JWT_PRIVATE_KEY !== undefined ? keyVariable(env) : undefined
    if (set) throw new ConfigError(set, `is set, but JWT_SIGN_TYPE is ${algorithm}, which signs with JWT_APP_SECRET: set JWT_SIGN_TYPE=RS256 to sign with the key`)
    return undefined
  }
  const source = sourceFor(env, algorithm, context)
  const initial = loadKeySet(source, { algorithm, jaasAppId: context.jaasAppId })
  // Outside production an empty JWT_KEYS_DIR starts the service not ready (see /health/ready).
  if (initial.problem && context.production) throw new ConfigError('JWT_KEYS_DIR', initial.problem.replace(/^JWT_KEYS_DIR /, ''))
  return { source, initial }
}
