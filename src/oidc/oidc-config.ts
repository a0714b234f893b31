/**
 * OIDC_* settings: which identity provider's tokens a frontend may exchange for a Jitsi token, and the
 * grant its users get. Unset OIDC_ISSUER = the feature is off (and any other OIDC_* is an error).
 */
import { Value } from '@sinclair/typebox/value'
import { GrantsSchema } from '../clients/clients-file.js'
import { jsonSyntaxProblem } from '../clients/syntax-problem.js'
import { customUserClaimProblem } from '../jitsi/user-claims.js'
import type { Grants } from '../clients/grants.js'
import { ConfigError } from '../config/config-error.js'

/** Asymmetric only: with HS* anyone holding the IdP's public key could sign, and `none` is no signature. */
export const OIDC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const

/** Any named room, no wildcard, no tenant, no moderator, no features, at most an hour. */
export const OIDC_DEFAULT_GRANTS: Grants = { rooms: ['*'], wildcardRoom: false, moderator: false, features: [], maxTtl: 3600 }

export interface ModeratorRule {
  /** Claim name, tried as is first, then as a dotted path (realm_access.roles). */
  claim: string
  /** Moderator when the claim (or one of its elements) is one of these; empty = claim is true/"true". */
  values: string[]
}

export interface OidcConfig {
  issuer: string
  /** Without it, discovered from <issuer>/.well-known/openid-configuration. */
  jwksUrl?: string
  audience: string[]
  algorithms: string[]
  /** Seconds of leeway for exp/nbf/iat. */
  clockTolerance: number
  /** Milliseconds after a JWKS fetch, or a failed one, before an unknown kid may trigger another (protects the IdP). */
  jwksCooldown: number
  /** Milliseconds a fetched JWKS is fresh; older, it is refetched, and kept while the IdP does not answer. */
  jwksMaxAge: number
  /** Production: a discovered jwks_uri must be https, like OIDC_ISSUER and OIDC_JWKS_URL. */
  httpsOnly: boolean
  /** The grant of every IdP user; `moderator` comes only from the moderator rule. */
  grants: Grants
  moderator?: ModeratorRule
}

export interface OidcEnv {
  OIDC_ISSUER?: string
  OIDC_JWKS_URL?: string
  OIDC_AUDIENCE?: string
  OIDC_GRANTS?: string
  OIDC_MODERATOR_CLAIM?: string
  OIDC_MODERATOR_VALUES?: string
  OIDC_ALGORITHMS?: string
  OIDC_CLOCK_TOLERANCE?: number
  OIDC_CLIENT_ID?: string
}

const list = (value: string | undefined) => (value ?? '').split(',').map(item => item.trim()).filter(Boolean)

function parseGrants (text: string | undefined): Grants {
  if (text === undefined) return OIDC_DEFAULT_GRANTS
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new ConfigError('OIDC_GRANTS', `is not valid JSON: ${jsonSyntaxProblem(text, error as Error)}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('OIDC_GRANTS', 'must be a JSON object like a client\'s "grants" in CLIENTS_FILE')
  }
  // Fields left out keep the OIDC defaults, so '{"features":["recording"]}' still allows any named room.
  const grants = { ...OIDC_DEFAULT_GRANTS, ...parsed }
  const error = Value.Errors(GrantsSchema, grants).First()
  if (error) throw new ConfigError('OIDC_GRANTS', `${error.path.slice(1)}: ${error.message}`)
  const claimProblem = (grants.userClaims ?? []).map(customUserClaimProblem).find(Boolean)
  if (claimProblem) throw new ConfigError('OIDC_GRANTS', `userClaims: ${claimProblem}`)
  if (grants.moderator) {
    throw new ConfigError('OIDC_GRANTS', 'cannot grant moderator to every user; set OIDC_MODERATOR_CLAIM (and OIDC_MODERATOR_VALUES) instead')
  }
  return grants as Grants
}

function httpsUnlessDevelopment (variable: string, url: string, production: boolean) {
  // The keys fetched from there decide who may mint tokens: plain http would let anyone on the path forge them.
  if (production && !url.startsWith('https://')) throw new ConfigError(variable, 'must be an https:// URL when NODE_ENV=production')
}

export function loadOidcConfig (env: OidcEnv, production: boolean): OidcConfig | undefined {
  if (env.OIDC_ISSUER === undefined) {
    const stray = (Object.keys(env) as Array<keyof OidcEnv>).find(name => name.startsWith('OIDC_') && env[name] !== undefined)
    if (stray) throw new ConfigError(stray, 'is set but OIDC_ISSUER is not; set OIDC_ISSUER to accept identity-provider tokens')
    return undefined
  }
  httpsUnlessDevelopment('OIDC_ISSUER', env.OIDC_ISSUER, production)
  if (env.OIDC_JWKS_URL !== undefined) httpsUnlessDevelopment('OIDC_JWKS_URL', env.OIDC_JWKS_URL, production)

  // Without an audience, a token the IdP issued to any other application would be accepted too.
  // The login's ID tokens name its client id, so that is the audience when only the login is configured.
  const audience = list(env.OIDC_AUDIENCE ?? env.OIDC_CLIENT_ID)
  if (audience.length === 0) throw new ConfigError('OIDC_AUDIENCE', 'is required with OIDC_ISSUER (the client id or API audience your IdP puts in "aud")')

  const algorithms = env.OIDC_ALGORITHMS === undefined ? [...OIDC_ALGORITHMS] : list(env.OIDC_ALGORITHMS)
  const refused = algorithms.find(alg => !(OIDC_ALGORITHMS as readonly string[]).includes(alg))
  if (refused !== undefined || algorithms.length === 0) {
    throw new ConfigError('OIDC_ALGORITHMS', `${refused === undefined ? 'is empty' : `contains ${refused}`}; allowed: ${OIDC_ALGORITHMS.join(', ')} (never none or HS*)`)
  }

  const values = list(env.OIDC_MODERATOR_VALUES)
  if (values.length > 0 && env.OIDC_MODERATOR_CLAIM === undefined) {
    throw new ConfigError('OIDC_MODERATOR_VALUES', 'is set but OIDC_MODERATOR_CLAIM is not')
  }

  return {
    issuer: env.OIDC_ISSUER,
    jwksUrl: env.OIDC_JWKS_URL,
    audience,
    algorithms,
    clockTolerance: env.OIDC_CLOCK_TOLERANCE ?? 30,
    jwksCooldown: 30_000,
    jwksMaxAge: 600_000,
    httpsOnly: production,
    grants: parseGrants(env.OIDC_GRANTS),
    moderator: env.OIDC_MODERATOR_CLAIM === undefined ? undefined : { claim: env.OIDC_MODERATOR_CLAIM, values }
  }
}
