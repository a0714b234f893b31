/**
 * Jitsi's tokenAuthUrl login (src/routes/login.ts): the IdP client, where browsers reach us and the
 * secret that seals the login transaction and refresh tokens. Unset OIDC_CLIENT_ID = no login routes.
 */
import { randomBytes } from 'node:crypto'
import { ConfigError } from './config-error.js'

export interface LoginConfig {
  clientId: string
  /** Undefined: a public client (PKCE only). Never logged. */
  clientSecret?: string
  scopes: string
  /** No trailing slash; the IdP redirect URI is `${baseUrl}/login/callback`. */
  baseUrl: string
  /** Keys for the transaction cookie and refresh tokens are derived from it. Never logged. */
  secret: string
}

export interface LoginEnv {
  OIDC_ISSUER?: string
  OIDC_CLIENT_ID?: string
  OIDC_CLIENT_SECRET?: string
  OIDC_SCOPES?: string
  LOGIN_BASE_URL?: string
  LOGIN_SECRET?: string
  JWT_PROFILE?: string
}

const MIN_SECRET_LENGTH = 32

export function loadLoginConfig (env: LoginEnv, production: boolean, defaults: string[]): LoginConfig | undefined {
  if (env.OIDC_CLIENT_ID === undefined) {
    const stray = (['OIDC_CLIENT_SECRET', 'OIDC_SCOPES', 'LOGIN_BASE_URL', 'LOGIN_SECRET'] as const).find(name => env[name] !== undefined)
    if (stray) throw new ConfigError(stray, 'is set but OIDC_CLIENT_ID is not; set OIDC_CLIENT_ID to turn on the login')
    return undefined
  }
  // Jitsi never sends a JaaS meeting (vpaas-magic-cookie-… tenant) to tokenAuthUrl (docs/jitsi.md §11.1).
  if (env.JWT_PROFILE === 'jaas') throw new ConfigError('OIDC_CLIENT_ID', 'cannot be used with JWT_PROFILE=jaas: Jitsi has no login redirect for JaaS meetings')
  // OIDC_ISSUER itself is checked (and required) by oidc-config.ts: OIDC_CLIENT_ID is an OIDC_* variable.
  if (env.LOGIN_BASE_URL === undefined) throw new ConfigError('LOGIN_BASE_URL', 'is required with OIDC_CLIENT_ID (where browsers reach this service, e.g. https://meet.example.org/token-service)')
  if (production && !env.LOGIN_BASE_URL.startsWith('https://')) throw new ConfigError('LOGIN_BASE_URL', 'must be an https:// URL when NODE_ENV=production')
  if (env.OIDC_SCOPES !== undefined && !env.OIDC_SCOPES.split(/\s+/).includes('openid')) throw new ConfigError('OIDC_SCOPES', 'must include openid')
  let secret = env.LOGIN_SECRET
  if (secret === undefined) {
    if (production) throw new ConfigError('LOGIN_SECRET', 'is required with OIDC_CLIENT_ID when NODE_ENV=production')
    // Development: logins and refresh tokens do not survive a restart or reach another replica.
    secret = randomBytes(32).toString('base64url')
    defaults.push('LOGIN_SECRET')
  }
  if (production && secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError('LOGIN_SECRET', `is ${secret.length} characters; use at least ${MIN_SECRET_LENGTH} (e.g. openssl rand -hex 32)`)
  }
  return {
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    scopes: env.OIDC_SCOPES ?? 'openid profile email',
    baseUrl: env.LOGIN_BASE_URL.replace(/\/+$/, ''),
    secret
  }
}
