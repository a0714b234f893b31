/**
 * Which verified IdP tokens are an identity here. Pure. An IdP signs several kinds of JWT with the same
 * keys, issuer and often audience; only ID tokens (typ JWT or none) and access tokens (typ at+jwt,
 * RFC 9068 §2.1) name a signed-in person. A logout token (typ logout+jwt, an `events` claim: OpenID
 * Connect Back-Channel Logout 1.0 §2.4) or another security event token (RFC 8417) does not; nor does an
 * ID token issued to another application: its `azp` names that application (OpenID Connect Core 1.0 §2,
 * §3.1.3.7). Access tokens carry a scope and name the requesting client in azp, which is not checked.
 */
import type { JWTHeaderParameters, JWTPayload } from 'jose'
import type { Rejection } from './verifier.js'

const IDENTITY_TYPES = new Set(['jwt', 'at+jwt'])

export function tokenTypeRejection (header: Pick<JWTHeaderParameters, 'typ'>, claims: JWTPayload, audience: string[]): Rejection | undefined {
  // RFC 7515 §4.1.9: case-insensitive, "application/" may be left out.
  const typ = header.typ?.toLowerCase().replace(/^application\//, '')
  if (typ !== undefined && !IDENTITY_TYPES.has(typ)) {
    return { reason: 'idp_token_type', detail: 'The identity-provider token\'s type (typ) is not an ID or access token.' }
  }
  if (claims.events !== undefined) {
    return { reason: 'idp_token_type', detail: 'The identity-provider token is a logout or other security event token, not an ID or access token.' }
  }
  const accessToken = typ === 'at+jwt' || claims.scope !== undefined || claims.scp !== undefined
  if (!accessToken && claims.azp !== undefined && !audience.includes(claims.azp as string)) {
    return { reason: 'idp_token_audience', detail: `The identity-provider ID token was issued to another application (azp must be ${audience.join(' or ')}).` }
  }
  return undefined
}
