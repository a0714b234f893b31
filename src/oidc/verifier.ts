/**
 * Verifies an identity-provider JWT: signature against the issuer's JWKS (idp-keys.ts: cached, refetched
 * on an unknown kid at most once per cooldown, also after a failure), iss, aud, exp/nbf with leeway,
 * allowed algorithms only, and that it is an ID or access token meant for us (token-type.ts).
 */
import { errors, jwtVerify, type JWTPayload } from 'jose'
import { IdpUnavailableError, idpKeys } from './idp-keys.js'
import type { OidcConfig } from './oidc-config.js'
import { tokenTypeRejection } from './token-type.js'

export { IdpUnavailableError }

export interface Rejection {
  /** Short word for the refusal log line. */
  reason: string
  /** Safe to show the caller (RFC 6750 error_description); never contains the token. */
  detail: string
}

export type Verification = { claims: JWTPayload } | { rejected: Rejection }

function rejection (error: unknown, config: OidcConfig): Rejection {
  if (error instanceof errors.JWTExpired) return { reason: 'idp_token_expired', detail: 'The identity-provider token has expired.' }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim
    if (error.reason === 'missing') return { reason: 'idp_token_claims', detail: `The identity-provider token has no "${claim}" claim.` }
    if (claim === 'iss') return { reason: 'idp_token_issuer', detail: `The identity-provider token was not issued by ${config.issuer}.` }
    if (claim === 'aud') return { reason: 'idp_token_audience', detail: `The identity-provider token is not meant for this service (aud must be ${config.audience.join(' or ')}).` }
    return { reason: 'idp_token_claims', detail: `The identity-provider token's "${claim}" claim is not valid${claim === 'nbf' ? ' yet' : ''}.` }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return { reason: 'idp_token_algorithm', detail: `The identity-provider token's algorithm is not accepted (allowed: ${config.algorithms.join(', ')}).` }
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return { reason: 'idp_token_key', detail: 'The identity-provider token does not name exactly one key its issuer publishes (kid).' }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return { reason: 'idp_token_signature', detail: 'The identity-provider token\'s signature is not valid.' }
  // Anything else jose refuses was caused by the token itself (header, encoding, crit, payload).
  return { reason: 'idp_token_malformed', detail: 'The identity-provider token is malformed.' }
}

export function createIdpVerifier (config: OidcConfig): (token: string) => Promise<Verification> {
  const key = idpKeys(config)
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: config.algorithms,
    clockTolerance: config.clockTolerance,
    // A token without exp would never expire; one without sub names nobody.
    requiredClaims: ['exp', 'sub']
  }

  return async function verify (token) {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, key, options)
      const wrongType = tokenTypeRejection(protectedHeader, payload, config.audience)
      return wrongType ? { rejected: wrongType } : { claims: payload }
    } catch (error) {
      if (error instanceof IdpUnavailableError) throw error
      return { rejected: rejection(error, config) }
    }
  }
}
