/**
 * The environment variables the service reads. Names shared with docker-jitsi-meet keep its meaning,
 * so one `.env` serves both: PUBLIC_URL, XMPP_DOMAIN, JWT_APP_ID, JWT_APP_SECRET, JWT_SIGN_TYPE.
 */
import { Type, type Static } from '@sinclair/typebox'

const seconds = (defaultValue: number, description: string) =>
  Type.Integer({ minimum: 1, maximum: 31_536_000, default: defaultValue, description })

export const EnvSchema = Type.Object({
  NODE_ENV: Type.String({ default: 'development' }),
  HOST: Type.String({ default: '127.0.0.1', description: 'Address to listen on (0.0.0.0 in containers)' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map(l => Type.Literal(l)), { default: 'info' }),

  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+(/[^?#]*)?$', description: 'Where people open Jitsi Meet, e.g. https://meet.example.org' })),
  XMPP_DOMAIN: Type.String({ pattern: '^[A-Za-z0-9.-]+$', default: 'meet.jitsi', description: 'Prosody\'s XMPP domain: the `sub` claim without a tenant' }),

  JWT_APP_ID: Type.Optional(Type.String({ minLength: 1, description: 'Prosody app_id: the `iss` claim' })),
  JWT_APP_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  JWT_SIGN_TYPE: Type.String({ default: 'HS256' }),
  JWT_AUDIENCE: Type.String({ minLength: 1, default: 'jitsi' }),
  JWT_TTL: seconds(3600, 'Default token lifetime'),
  JWT_MAX_TTL: seconds(86_400, 'Longest lifetime any caller may ask for'),
  JWT_NBF_SKEW: Type.Integer({ minimum: 0, maximum: 3600, default: 30, description: 'Seconds nbf lies in the past (Prosody allows no skew)' }),

  CLIENTS_FILE: Type.Optional(Type.String({ minLength: 1 })),
  CORS_ORIGINS: Type.String({ default: '' }),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 600, description: 'Requests per client per window' }),
  RATE_LIMIT_WINDOW: Type.String({ default: '1 minute' }),
  AUTH_FAILURE_LIMIT: Type.Integer({ minimum: 1, default: 20, description: 'Failed authentications per IP per window' }),
  BODY_LIMIT: Type.Integer({ minimum: 1024, maximum: 1_048_576, default: 16_384 })
})

export type Env = Static<typeof EnvSchema>

/** Variables that may hold secrets and so may also be given as NAME_FILE (Docker/Kubernetes secrets). */
export const SECRET_VARIABLES = ['JWT_APP_SECRET'] as const
