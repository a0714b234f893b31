/**
 * Configuration: read once at start-up from the environment (plus NAME_FILE secrets), validated,
 * turned into the object the app is built from. Tests build that object directly.
 */
import { randomBytes } from 'node:crypto'
import type { ValidateFunction } from 'ajv'
import { ConfigError } from './config/config-error.js'
import { ConfigProblems } from './config/config-problems.js'
import { envProblems, given, type SchemaError } from './config/env-problems.js'
import { EnvSchema, SECRET_VARIABLES, type Env } from './config/env-schema.js'
import { envValidator } from './config/env-validator.js'
import { envWarnings } from './config/env-warnings.js'
import { resolveSecretFiles } from './config/secret-files.js'
import { parseTrustProxy } from './config/trust-proxy.js'
import { generateApiKey } from './clients/api-keys.js'
import { isHmacAlgorithm, type SigningAlgorithm } from './jitsi/algorithms.js'
import { JAAS_PUBLIC_URL } from './jitsi/jaas.js'
import type { KeyConfig } from './keys/key-config.js'
import { signingConfig } from './keys/signing-config.js'
import { loadOidcConfig, type OidcConfig } from './oidc/oidc-config.js'
import { loadLoginConfig, type LoginConfig } from './config/login-config.js'
import { loadMeetingControlConfig, type MeetingControlConfig } from './config/meeting-control-config.js'

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
    /** jitsi: self-hosted Prosody; jaas: 8x8 JaaS (iss "chat", sub the AppID, meetings on 8x8.vc). */
    profile: 'jitsi' | 'jaas'
    /** JWT_TOP_LEVEL_MODERATOR: a top-level `moderator` copy for the token_moderation plugin. */
    topLevelModerator: boolean
    /** JAAS_APP_ID, with JWT_PROFILE=jaas. */
    jaasAppId?: string
    /** RS*: where the keys come from (reloaded on SIGHUP) and the keys loaded at start-up. */
    keys?: KeyConfig
  }
  clientsFile?: string
  /** Outside production, without CLIENTS_FILE and with a development signing key: the key of a client with every grant. */
  developmentApiKey?: string
  /** Identity-provider tokens accepted at POST /tokens (OIDC_*); undefined: API keys only. */
  oidc?: OidcConfig
  /** Jitsi's tokenAuthUrl login (OIDC_CLIENT_ID, LOGIN_*); undefined: no login routes. */
  login?: LoginConfig
  /** Ending meetings and the like through Prosody's HTTP modules (PROSODY_HTTP_URL, SYSTEM_*); undefined: off. */
  meetingControl?: MeetingControlConfig
  corsOrigins: string[]
  /** TRUST_PROXY as Fastify's trustProxy; undefined: the socket's address is the client's. */
  trustProxy?: number | string[]
  /** redisUrl may carry a password: never logged. */
  rateLimit: { max: number, window: string, authFailures: number, redisUrl?: string }
  bodyLimit: number
  /** Bearer token GET /metrics requires (METRICS_TOKEN); undefined: open (production: only with METRICS_PUBLIC=true). Never logged. */
  metricsToken?: string
  /** API_DOCS: serve /docs and /openapi.json. */
  apiDocs: boolean
  /** CONSOLE_DOCTOR: serve the /doctor page. */
  consoleDoctor: boolean
  /** Graceful shutdown (src/shutdown.ts): drain window, then a hard deadline, both in ms from the signal. */
  shutdown: { drainMs: number, timeoutMs: number }
  /** Variables that fell back to a development default, for the start-up banner. */
  developmentDefaults: string[]
  /** Variables that look meant for us but are not ours, and a NODE_ENV read as production (config/env-warnings.ts). */
  envWarnings: string[]
}

/** The only NODE_ENV values with development rules; anything else (Production, prod, staging) runs production's. */
export const NON_PRODUCTION_ENVS = ['development', 'test']

/** Every variable the service reads, with each secret's _FILE form. */
const OUR_VARIABLES = [...Object.keys(EnvSchema.properties), ...SECRET_VARIABLES.map(name => `${name}_FILE`)]

const DEVELOPMENT_PUBLIC_URL = 'https://localhost:8443' // docker-jitsi-meet's own default
const DEVELOPMENT_APP_ID = 'jitsi-token-service-dev'

let validateEnv: ValidateFunction<Env> | undefined

/** The variables as the schema reads them (config/env-validator.ts), or every problem. */
function parse (data: Record<string, string | undefined>): Env | SchemaError[] {
  validateEnv ??= envValidator()
  const env = { ...data }
  return validateEnv(env) ? env : validateEnv.errors as SchemaError[]
}

/** Every schema problem is recorded; the variables at fault fall back to their defaults so later checks still run. */
/** The schema's patterns say http(s)://host; Node's URL parser must also read them (a port of 99999 would pass). */
const URL_VARIABLES = ['PUBLIC_URL', 'LOGIN_BASE_URL', 'OIDC_ISSUER']

function parseEnv (rawEnv: Record<string, string | undefined>, problems: ConfigProblems): Env {
  for (const name of URL_VARIABLES) {
    const value = rawEnv[name]
    // Values that are not http(s) at all get the schema's own message.
    if (value !== undefined && /^https?:\/\//.test(value) && !URL.canParse(value)) problems.add(name, `is not a URL (given: ${JSON.stringify(value)})`)
  }
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([name]) => !problems.has(name)))
  const parsed = parse(env)
  if (!Array.isArray(parsed)) return parsed
  for (const { variable, problem } of envProblems(parsed, EnvSchema.properties, env)) problems.add(variable, problem)
  return parse(Object.fromEntries(Object.entries(env).filter(([name]) => !problems.has(name)))) as Env
}

function required<T> (value: T | undefined, production: boolean, variable: string, fallback: () => T, defaults: string[]): T {
  if (value !== undefined) return value
  if (production) throw new ConfigError(variable, 'is required when NODE_ENV=production')
  defaults.push(variable)
  return fallback()
}

/** `NAME=` in an .env file or compose means "not set", not "set to nothing". */
function withoutEmptyValues (env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
}

function hmacSecret (env: Env, production: boolean, defaults: string[]): string {
  const secret = required(env.JWT_APP_SECRET, production, 'JWT_APP_SECRET', () => randomBytes(32).toString('base64url'), defaults)
  if (!production) return secret
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError('JWT_APP_SECRET', `is ${secret.length} characters; use at least ${MIN_SECRET_LENGTH} (e.g. openssl rand -hex 32)`)
  }
  // docker-jitsi-meet writes app_secret = "<secret>" into Prosody's Lua configuration unescaped.
  if (/["\\]/.test(secret)) {
    throw new ConfigError('JWT_APP_SECRET', `contains " or \\, which breaks Prosody's configuration (docker-jitsi-meet pastes it into a Lua string); use e.g. openssl rand -hex 32 (${given('JWT_APP_SECRET', secret)})`)
  }
  return secret
}

export function loadConfig (rawEnv: Record<string, string | undefined>): Config {
  const problems = new ConfigProblems()
  const env = parseEnv(resolveSecretFiles(withoutEmptyValues(rawEnv), SECRET_VARIABLES, problems), problems)
  // Fails closed: a typo in NODE_ENV must never bring development defaults (a printed key with every grant) to a real deployment.
  const production = !NON_PRODUCTION_ENVS.includes(env.NODE_ENV)
  const defaults: string[] = []

  // Each independent part is checked even when another failed; the fallbacks only let the checks go on.
  const signing = problems.check(() => signingConfig(env, rawEnv.JWT_PRIVATE_KEY_FILE, production, defaults), undefined)
  const algorithm = signing?.algorithm ?? 'HS256'
  const secret = signing && isHmacAlgorithm(algorithm) ? problems.check(() => hmacSecret(env, production, defaults), undefined) : undefined
  const oidc = problems.check(() => loadOidcConfig(env, production), undefined)
  const login = problems.check(() => loadLoginConfig(env, production, defaults), undefined)
  const meetingControl = problems.check(() => loadMeetingControlConfig(env, signing?.keys?.initial.published.map(key => key.publicPem as string) ?? []), undefined)
  // Minting is a privilege: production needs real clients (or an identity provider); development gets one with every
  // grant, but only while the signing key is a development one too: next to a real key it would mint real tokens.
  const developmentKey = defaults.includes('JWT_APP_SECRET') || defaults.includes('JWT_PRIVATE_KEY_FILE')
  const developmentApiKey = env.CLIENTS_FILE === undefined && !(production && env.OIDC_ISSUER !== undefined) && (production || developmentKey)
    ? problems.check(() => required<string | undefined>(undefined, production, 'CLIENTS_FILE', generateApiKey, defaults), undefined)
    : undefined
  // Metrics name clients and show traffic: in production open only when the operator says so.
  if (production && env.METRICS_TOKEN === undefined && !env.METRICS_PUBLIC) {
    problems.add('METRICS_TOKEN', 'is required when NODE_ENV=production; or set METRICS_PUBLIC=true to serve /metrics to anyone who can reach it')
  }
  if (production && env.METRICS_TOKEN !== undefined && env.METRICS_TOKEN.length < MIN_SECRET_LENGTH) {
    problems.add('METRICS_TOKEN', `is ${env.METRICS_TOKEN.length} characters; use at least ${MIN_SECRET_LENGTH} (e.g. openssl rand -hex 32)`)
  }
  if (env.SHUTDOWN_DRAIN >= env.SHUTDOWN_TIMEOUT) {
    problems.add('SHUTDOWN_TIMEOUT', `(${env.SHUTDOWN_TIMEOUT} ms) must be longer than SHUTDOWN_DRAIN (${env.SHUTDOWN_DRAIN} ms)`)
  }
  if (env.JWT_TTL > env.JWT_MAX_TTL) problems.add('JWT_TTL', `(${env.JWT_TTL}) is longer than JWT_MAX_TTL (${env.JWT_MAX_TTL})`)
  const publicUrl = problems.check(() => required(env.PUBLIC_URL ?? (signing?.jaasAppId ? JAAS_PUBLIC_URL : undefined), production, 'PUBLIC_URL', () => DEVELOPMENT_PUBLIC_URL, defaults), DEVELOPMENT_PUBLIC_URL)
  const appId = problems.check(() => required(env.JWT_APP_ID ?? signing?.jaasAppId, production, 'JWT_APP_ID', () => DEVELOPMENT_APP_ID, defaults), DEVELOPMENT_APP_ID)
  const trustProxy = problems.check(() => parseTrustProxy(env.TRUST_PROXY), undefined)
  problems.throwIfAny()

  return {
    production,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    xmppDomain: env.XMPP_DOMAIN.toLowerCase(),
    jwt: {
      appId,
      secret,
      algorithm,
      audience: env.JWT_AUDIENCE,
      ttl: env.JWT_TTL,
      maxTtl: env.JWT_MAX_TTL,
      nbfSkew: env.JWT_NBF_SKEW,
      topLevelModerator: env.JWT_TOP_LEVEL_MODERATOR,
      profile: signing!.profile,
      jaasAppId: signing!.jaasAppId,
      keys: signing!.keys
    },
    clientsFile: env.CLIENTS_FILE,
    developmentApiKey,
    oidc,
    login,
    meetingControl,
    corsOrigins: env.CORS_ORIGINS.split(',').map(origin => origin.trim()).filter(Boolean),
    trustProxy,
    rateLimit: { max: env.RATE_LIMIT_MAX, window: env.RATE_LIMIT_WINDOW, authFailures: env.AUTH_FAILURE_LIMIT, redisUrl: env.RATE_LIMIT_REDIS_URL },
    bodyLimit: env.BODY_LIMIT,
    metricsToken: env.METRICS_TOKEN,
    apiDocs: env.API_DOCS,
    consoleDoctor: env.CONSOLE_DOCTOR,
    // Draining is for load balancers; Ctrl-C on a development run need not wait for one.
    shutdown: { drainMs: production || rawEnv.SHUTDOWN_DRAIN !== undefined ? env.SHUTDOWN_DRAIN : 0, timeoutMs: env.SHUTDOWN_TIMEOUT },
    developmentDefaults: defaults,
    envWarnings: envWarnings(rawEnv, OUR_VARIABLES, NON_PRODUCTION_ENVS)
  }
}
