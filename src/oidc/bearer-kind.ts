/** Tells the two kinds of bearer credential apart without guessing. */
import { API_KEY_PREFIX } from '../clients/api-keys.js'

// Compact JWS: three base64url parts. The signature may be empty (alg "none"): it still goes to the
// verifier, which refuses it, rather than being mistaken for an API key.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

/** True for an identity-provider JWT; API keys start with jts_ and never contain a dot. */
export function isIdpToken (bearer: string): boolean {
  return !bearer.startsWith(API_KEY_PREFIX) && COMPACT_JWS.test(bearer)
}
