/**
 * The environment variables the service reads. Names shared with docker-jitsi-meet keep its meaning,
 * so one `.env` serves both: PUBLIC_URL, XMPP_DOMAIN, JWT_APP_ID, JWT_APP_SECRET, JWT_SIGN_TYPE.
 */
import { Type, type Static } from '@sinclair/typebox'
import { JAAS_APP_ID_PATTERN } from '../jitsi/jaas.js'

const seconds = (defaultValue: number, description: string) =>
  Type.Integer({ minimum: 1, maximum: 31_536_000, default: defaultValue, description })

export const EnvSchema = Type.Object({
  NODE_ENV: Type.String({ default: 'development' }),
  HOST: Type.String({ default: '127.0.0.1', description: 'Address to listen on (0.0.0.0 in containers)' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  // One enum, not a union of literals, so a typo gives one error that lists the levels.
  LOG_LEVEL: Type.Unsafe<'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'>({
    type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info'
  }),

  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+(/[^?#]*)?$', description: 'Where people open Jitsi Meet, e.g. https://meet.example.org' })),
  XMPP_DOMAIN: Type.String({ pattern: '^[A-Za-z0-9.-]+$', default: 'meet.jitsi', description: 'Prosody\'s XMPP domain: the `sub` claim without a tenant' }),

  JWT_APP_ID: Type.Optional(Type.String({ minLength: 1, description: 'Prosody app_id: the `iss` claim' })),
  JWT_APP_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  JWT_SIGN_TYPE: Type.Optional(Type.String({ description: 'HS256/384/512 with JWT_APP_SECRET, RS256/384/512 with a private key (default HS256; RS256 with JWT_PROFILE=jaas)' })),
  JWT_PRIVATE_KEY: Type.Optional(Type.String({ minLength: 1, description: 'RS*: PEM private key (PKCS#8 or PKCS#1); usually JWT_PRIVATE_KEY_FILE' })),
  JWT_KID: Type.Optional(Type.String({ minLength: 1, description: 'RS*: the kid of JWT_PRIVATE_KEY_FILE; Prosody fetches <asap_key_server>/<sha256(kid)>.pem' })),
  JWT_KEYS_DIR: Type.Optional(Type.String({ minLength: 1, description: 'RS*: directory of <kid>.pem keys, all published; the file `active` names the one that signs' })),
  JWT_PROFILE: Type.Union([Type.Literal('jitsi'), Type.Literal('jaas')], { default: 'jitsi', description: 'jaas: tokens for 8x8 JaaS (needs JAAS_APP_ID)' }),
  JAAS_APP_ID: Type.Optional(Type.String({ pattern: JAAS_APP_ID_PATTERN, description: 'JaaS AppID (vpaas-magic-cookie-…)' })),
  JWT_AUDIENCE: Type.String({ minLength: 1, default: 'jitsi' }),
  JWT_TTL: seconds(3600, 'Default token lifetime'),
  JWT_MAX_TTL: seconds(86_400, 'Longest lifetime any caller may ask for'),
  JWT_NBF_SKEW: Type.Integer({ minimum: 0, maximum: 3600, default: 30, description: 'Seconds nbf lies in the past (Prosody allows no skew)' }),
  JWT_TOP_LEVEL_MODERATOR: Type.Boolean({ default: false, description: 'Also emit a top-level boolean moderator claim (the community token_moderation plugin reads it there)' }),

  CLIENTS_FILE: Type.Optional(Type.String({ minLength: 1 })),
  CORS_ORIGINS: Type.String({ default: '' }),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 600, description: 'Requests per client per window' }),
  RATE_LIMIT_WINDOW: Type.String({ default: '1 minute' }),
  RATE_LIMIT_REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://', description: 'Share rate limits across instances through this Redis' })),
  AUTH_FAILURE_LIMIT: Type.Integer({ minimum: 1, default: 20, description: 'Failed authentications per IP per window' }),
  TRUST_PROXY: Type.Optional(Type.String({ minLength: 1, description: 'Reverse proxies whose X-Forwarded-For names the client: addresses/CIDRs, comma-separated, or a hop count; unset: none' })),
  BODY_LIMIT: Type.Integer({ minimum: 1024, maximum: 1_048_576, default: 16_384 }),

  // Frontends exchanging an identity-provider token (src/oidc/oidc-config.ts applies defaults and rules).
  OIDC_ISSUER: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+', description: 'Identity provider issuer (the "iss" of its tokens)' })),
  OIDC_JWKS_URL: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+', description: 'JWKS URL; default: discovered from the issuer' })),
  OIDC_AUDIENCE: Type.Optional(Type.String({ minLength: 1, description: 'Accepted "aud" values, comma-separated' })),
  OIDC_GRANTS: Type.Optional(Type.String({ minLength: 1, description: 'JSON grant of identity-provider users, shaped like a client\'s grants' })),
  OIDC_MODERATOR_CLAIM: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Claim (or dotted path) that makes a user moderator' })),
  OIDC_MODERATOR_VALUES: Type.Optional(Type.String({ minLength: 1, description: 'Comma-separated claim values that mean moderator' })),
  OIDC_ALGORITHMS: Type.Optional(Type.String({ minLength: 1, description: 'Accepted signature algorithms, comma-separated (asymmetric only)' })),
  OIDC_CLOCK_TOLERANCE: Type.Optional(Type.Integer({ minimum: 0, maximum: 300, description: 'Seconds of leeway for exp/nbf' })),
  // Jitsi's tokenAuthUrl login (src/config/login-config.ts): on when OIDC_CLIENT_ID is set.
  OIDC_CLIENT_ID: Type.Optional(Type.String({ minLength: 1, description: 'Client id registered at the IdP; turns on GET /login, /login/callback, /logout' })),
  OIDC_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1, description: 'Its secret; unset for a public client' })),
  OIDC_SCOPES: Type.Optional(Type.String({ minLength: 1, description: 'Scopes the login asks for (default "openid profile email")' })),
  LOGIN_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+(/[^?#]*)?$', description: 'Where browsers reach this service, e.g. https://meet.example.org/token-service' })),
  LOGIN_SECRET: Type.Optional(Type.String({ minLength: 1, description: 'Encrypts login transactions and refresh tokens (at least 32 characters in production)' })),

  // Meeting control through Prosody's HTTP modules (src/config/meeting-control-config.ts): on with PROSODY_HTTP_URL.
  PROSODY_HTTP_URL: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+/?$', description: 'Prosody\'s HTTP port, for ending meetings, removing participants and reading rooms (docker-jitsi-meet: http://prosody:5280)' })),
  PROSODY_HTTP_TIMEOUT: Type.Integer({ minimum: 100, maximum: 60_000, default: 5000, description: 'ms to wait for Prosody\'s answer before 504' }),
  XMPP_MUC_DOMAIN: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.-]+$', description: 'Prosody\'s MUC component (docker-jitsi-meet: muc.meet.jitsi); default muc.<XMPP_DOMAIN>' })),
  SYSTEM_PRIVATE_KEY: Type.Optional(Type.String({ minLength: 1, description: 'RSA private key (PEM) for system tokens, never the login key; usually SYSTEM_PRIVATE_KEY_FILE' })),
  SYSTEM_KID: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._:/-]{1,128}$', description: 'kid of the system key; Prosody fetches <key repository>/<sha256(kid)>.pem and keeps it until restart, so a new key needs a new kid' })),

  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 1, description: 'Bearer token Prometheus must send to GET /metrics; required in production unless METRICS_PUBLIC=true' })),
  METRICS_PUBLIC: Type.Boolean({ default: false, description: 'true: /metrics without METRICS_TOKEN in production (say so explicitly)' }),
  API_DOCS: Type.Boolean({ default: true, description: 'false: no /docs page and no /openapi.json (the API itself is unchanged)' }),
  CONSOLE_DOCTOR: Type.Boolean({ default: true, description: 'false: no /doctor page (the token doctor that runs in the browser)' }),
  SHUTDOWN_DRAIN: Type.Integer({ minimum: 0, maximum: 600_000, default: 5000, description: 'ms the listener keeps answering after SIGTERM while /health/ready says 503' }),
  SHUTDOWN_TIMEOUT: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 25_000, description: 'ms from SIGTERM after which the process exits 1 even if requests are still running' })
})

export type Env = Static<typeof EnvSchema>

/** Variables that may hold secrets and so may also be given as NAME_FILE (Docker/Kubernetes secrets). */
export const SECRET_VARIABLES = ['JWT_APP_SECRET', 'JWT_PRIVATE_KEY', 'METRICS_TOKEN', 'RATE_LIMIT_REDIS_URL', 'OIDC_CLIENT_SECRET', 'LOGIN_SECRET', 'SYSTEM_PRIVATE_KEY'] as const
