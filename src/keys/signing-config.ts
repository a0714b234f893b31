/**
 * How tokens are signed, from the environment: the algorithm, the profile (self-hosted Jitsi or
 * 8x8 JaaS) and, for RS*, the keys. Every refusal names the variable to fix.
 */
import { ConfigError } from '../config/config-error.js'
import { algorithmProblem, type SigningAlgorithm } from '../jitsi/algorithms.js'
import { keyConfig, type KeyConfig, type KeyEnv } from './key-config.js'

export interface SigningEnv extends KeyEnv {
  JWT_SIGN_TYPE?: string
  JWT_PROFILE: 'jitsi' | 'jaas'
  JAAS_APP_ID?: string
}

export interface SigningConfig {
  algorithm: SigningAlgorithm
  profile: 'jitsi' | 'jaas'
  /** Set with JWT_PROFILE=jaas: the vpaas-magic-cookie-… AppID. */
  jaasAppId?: string
  /** RS* only. */
  keys?: KeyConfig
}

function jaasAppIdFor (env: SigningEnv): string | undefined {
  if (env.JWT_PROFILE !== 'jaas') {
    if (env.JAAS_APP_ID !== undefined) throw new ConfigError('JAAS_APP_ID', 'is set, but JWT_PROFILE is not jaas: set JWT_PROFILE=jaas to issue JaaS tokens')
    return undefined
  }
  if (env.JAAS_APP_ID === undefined) throw new ConfigError('JAAS_APP_ID', 'is required with JWT_PROFILE=jaas (the vpaas-magic-cookie-… AppID from the JaaS console)')
  // JaaS verifies RS256 only (docs/jitsi.md §4).
  if (env.JWT_SIGN_TYPE !== undefined && env.JWT_SIGN_TYPE !== 'RS256') {
    throw new ConfigError('JWT_SIGN_TYPE', `is ${env.JWT_SIGN_TYPE}, but JaaS (JWT_PROFILE=jaas) accepts only RS256`)
  }
  return env.JAAS_APP_ID
}

/**
 * @param keyFile the JWT_PRIVATE_KEY_FILE path, kept so reloads read the file again (the env
 *   already holds its contents as JWT_PRIVATE_KEY).
 */
export function signingConfig (env: SigningEnv, keyFile: string | undefined, production: boolean, defaults: string[]): SigningConfig {
  const jaasAppId = jaasAppIdFor(env)
  const signType = env.JWT_SIGN_TYPE ?? (jaasAppId ? 'RS256' : 'HS256')
  const problem = algorithmProblem(signType)
  if (problem) throw new ConfigError('JWT_SIGN_TYPE', problem)
  const algorithm = signType as SigningAlgorithm
  const keys = keyConfig({ ...env, JWT_PRIVATE_KEY_FILE: keyFile || undefined }, algorithm, { production, jaasAppId, defaults })
  return { algorithm, profile: env.JWT_PROFILE, jaasAppId, keys }
}
