/**
 * Verifies an identity-provider JWT: signature against the issuer's JWKS (jose caches it and refetches
 * on an unknown kid, at most once per cooldown), iss, aud, exp/nbf with leeway, allowed algorithms only.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type RemoteJWKSet } from 'jose'
import { discoverJwksUrl } from './discovery.js'
import type { OidcConfig } from './oidc-config.js'

export interface Rejection {
  /** Short word for the refusal log line. */
  reason: string
  /** Safe to show the caller (RFC 6750 error_description); never contains the token. */
  detail: string
}

export type Verification = { claims: JWTPayload } | { rejected: Rejection }

/** The identity provider's keys could not be fetched: not the caller's fault. */
export class IdpUnavailableError extends Error {
  override name = 'IdpUnavailableError'
}

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

/** Errors about the token; anything else while resolving its key is the IdP's or the network's. */
const aboutTheToken = (error: unknown) => error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys

function unavailable (error: unknown): never {
  throw new IdpUnavailableError(`identity provider keys unavailable: ${(error as Error).message}`, { cause: error })
}

export function createIdpVerifier (config: OidcConfig): (token: string) => Promise<Verification> {
  let keySet: Promise<RemoteJWKSet> | undefined
  // Discovered once; a failed discovery is retried by the next request instead of being remembered.
  const keys = () => {
    keySet ??= (config.jwksUrl ? Promise.resolve(new URL(config.jwksUrl)) : discoverJwksUrl(config.issuer))
      .then(url => createRemoteJWKSet(url, { cooldownDuration: config.jwksCooldown }))
      .catch((error: Error) => {
        keySet = undefined
        throw error
      })
    return keySet
  }
  // Resolved only after jose has parsed the header and checked alg: junk never makes us call the IdP.
  const key: JWTVerifyGetKey = async (header, token) => {
    const remote = await keys().catch(unavailable)
    try {
      return await remote(header, token)
    } catch (error) {
      if (aboutTheToken(error)) throw error
      unavailable(error)
    }
  }
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
      const { payload } = await jwtVerify(token, key, options)
      return { claims: payload }
    } catch (error) {
      if (error instanceof IdpUnavailableError) throw error
      return { rejected: rejection(error, config) }
    }
  }
}
