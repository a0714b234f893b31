/**
 * Configuration: read once at start-up from the environment (plus NAME_FILE secrets), validated,
 * turned into the object the app is built from. Tests build that object directly.
 */
import { randomBytes } from 'node:crypto'
import envSchema from 'env-schema'
import { ConfigError } from './config/config-error.js'
import { EnvSchema, SECRET_VARIABLES, type Env } from './config/env-schema.js'
import { resolveSecretFiles } from './config/secret-files.js'
import { generateApiKey } from './clients/api-keys.js'
import { algorithmProblem, isHmacAlgorithm, type SigningAlgorithm } from './jitsi/algorithms.js'

export { ConfigError }

export const MIN_SECRET_LENGTH = 32

export interface Config {
  production: boolean
  host: string
  port: number
  logLevel: string
  publicUrl: string
  xmppDomain: string
  jwt: {
    appId: string
    /** HMAC secret for HS*; never logged. */
    secret?: string
    algorithm: SigningAlgorithm
    audience: string
    ttl: number
    maxTtl: number
    nbfSkew: number
  }
  clientsFile?: string
  /** Outside production without CLIENTS_FILE: the key of a development client with every grant. */
  developmentApiKey?: string
  corsOrigins: string[]
  rateLimit: { max: number, window: string, authFailures: number }
  bodyLimit: number
  /** Variables that fell back to a development default, for the start-up banner. */
  developmentDefaults: string[]
}

const DEVELOPMENT_PUBLIC_URL = 'https://localhost:8443' // docker-jitsi-meet's own default
const DEVELOPMENT_APP_ID = 'jitsi-token-service-dev'

function parseEnv (env: Record<string, string | undefined>): Env {
  try {
    return envSchema<Env>({ schema: structuredClone(EnvSchema), data: env, env: false })
  } catch (error) {
    // env-schema's message reads "env/JWT_TTL must be integer": name the variable first.
    const message = (error as Error).message.replace(/env\/?/g, '').trim()
    const variable = /^[A-Z_]+/.exec(message)?.[0] ?? 'environment'
    throw new ConfigError(variable, message.slice(variable.length).trim() || message)
  }
}

function required<T> (value: T | undefined, production: boolean, variable: string, fallback: () => T, defaults: string[]): T {
  if (value !== undefined) return value
  if (production) throw new ConfigError(variable, 'is required when NODE_ENV=production')
  defaults.push(variable)
  return fallback()
}

export function loadConfig (rawEnv: Record<string, string | undefined>): Config {
  const env = parseEnv(resolveSecretFiles(rawEnv, SECRET_VARIABLES))
  const production = env.NODE_ENV === 'production'
  const defaults: string[] = []

  const problem = algorithmProblem(env.JWT_SIGN_TYPE)
  if (problem) throw new ConfigError('JWT_SIGN_TYPE', problem)
  const algorithm = env.JWT_SIGN_TYPE as SigningAlgorithm

  let secret: string | undefined
  if (isHmacAlgorithm(algorithm)) {
    secret = required(env.JWT_APP_SECRET, production, 'JWT_APP_SECRET', () => randomBytes(32).toString('base64url'), defaults)
    if (production && secret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError('JWT_APP_SECRET', `is ${secret.length} characters; use at least ${MIN_SECRET_LENGTH} (e.g. openssl rand -hex 32)`)
    }
  }
  // Minting is a privilege: production needs real clients; development gets one with every grant.
  const developmentApiKey = env.CLIENTS_FILE === undefined
    ? required<string | undefined>(undefined, production, 'CLIENTS_FILE', generateApiKey, defaults)
    : undefined
  if (env.JWT_TTL > env.JWT_MAX_TTL) throw new ConfigError('JWT_TTL', `(${env.JWT_TTL}) is longer than JWT_MAX_TTL (${env.JWT_MAX_TTL})`)

  return {
    production,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    publicUrl: required(env.PUBLIC_URL, production, 'PUBLIC_URL', () => DEVELOPMENT_PUBLIC_URL, defaults).replace(/\/+$/, ''),
    xmppDomain: env.XMPP_DOMAIN.toLowerCase(),
    jwt: {
      appId: required(env.JWT_APP_ID, production, 'JWT_APP_ID', () => DEVELOPMENT_APP_ID, defaults),
      secret,
      algorithm,
      audience: env.JWT_AUDIENCE,
      ttl: env.JWT_TTL,
      maxTtl: env.JWT_MAX_TTL,
      nbfSkew: env.JWT_NBF_SKEW
    },
    clientsFile: env.CLIENTS_FILE,
    developmentApiKey,
    corsOrigins: env.CORS_ORIGINS.split(',').map(origin => origin.trim()).filter(Boolean),
    rateLimit: { max: env.RATE_LIMIT_MAX, window: env.RATE_LIMIT_WINDOW, authFailures: env.AUTH_FAILURE_LIMIT },
    bodyLimit: env.BODY_LIMIT,
    developmentDefaults: defaults
  }
}
