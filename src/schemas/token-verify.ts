/**
 * POST /tokens/verify (the token doctor): a token, the room it should open, and optionally the
 * Prosody to emulate; the answer is Prosody's verdict and every check with a sentence to act on.
 */
import { Type, type Static } from '@sinclair/typebox'
import { HMAC_ALGORITHMS, RSA_ALGORITHMS, type SigningAlgorithm } from '../jitsi/algorithms.js'

const names = (description: string) => Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { minItems: 1, maxItems: 32, description })

export const ProsodyOverridesSchema = Type.Object({
  algorithm: Type.Optional(Type.Unsafe<SigningAlgorithm>({ enum: [...HMAC_ALGORITHMS, ...RSA_ALGORITHMS], description: 'signature_algorithm (JWT_SIGN_TYPE); default this service\'s' })),
  acceptedIssuers: Type.Optional(names('asap_accepted_issuers (JWT_ACCEPTED_ISSUERS); default [JWT_APP_ID]')),
  acceptedAudiences: Type.Optional(names('asap_accepted_audiences (JWT_ACCEPTED_AUDIENCES); default ["*"]')),
  domainVerification: Type.Optional(Type.Boolean({ description: 'enable_domain_verification; default true (Prosody\'s default; docker-jitsi-meet sets false)' })),
  xmppDomain: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.-]{1,253}$', description: 'XMPP_DOMAIN; default this service\'s' })),
  requireRoomClaim: Type.Optional(Type.Boolean({ description: 'asap_require_room_claim; default true' })),
  secret: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'HS*: Prosody\'s app_secret, instead of this service\'s JWT_APP_SECRET. Never echoed or logged.' })),
  publicKeyPem: Type.Optional(Type.String({ minLength: 1, maxLength: 16_384, description: 'RS*: the SPKI public key PEM Prosody fetches for the token\'s kid, instead of this service\'s keys' }))
}, { additionalProperties: false, description: 'The Prosody to emulate; left out, Prosody\'s defaults with this service\'s settings' })

export const TokenVerifyRequestSchema = Type.Object({
  token: Type.String({ minLength: 1, description: 'The JWT to examine; it need not have been issued here' }),
  room: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'The room to join, as people see it (decoded), e.g. "Daily Standup"; characters the web client strips from URLs are refused', examples: ['Daily Standup'] })),
  tenant: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,63}$', description: 'The tenant of https://host/<tenant>/<room>; omit for https://host/<room>' })),
  prosody: Type.Optional(ProsodyOverridesSchema)
}, { additionalProperties: false, $id: 'TokenVerifyRequest' })

export const CheckSchema = Type.Object({
  name: Type.String({ description: 'token, kid, typ, alg, signature, exp, nbf, iss, aud, room, sub, tenant, then the hints context, features, moderator, claims, jaas' }),
  ok: Type.Boolean(),
  blocking: Type.Boolean({ description: 'This failure alone makes Prosody reject the token; a failure that is not blocking is a hint' }),
  detail: Type.String({ description: 'What was found, its likely cause and what to change' })
})

export const TokenVerifyResponseSchema = Type.Object({
  valid: Type.Boolean({ description: 'Prosody\'s verdict: no blocking check failed' }),
  reason: Type.Optional(Type.String({ description: 'When invalid: what Prosody reports first (its log line and SASL <text>)' })),
  checks: Type.Array(CheckSchema, { description: 'In the order Prosody runs them, then the web client\'s hints' })
}, { $id: 'TokenVerifyResponse' })

export type TokenVerifyRequest = Static<typeof TokenVerifyRequestSchema>
