/**
 * HS* signing with everything that does not depend on the claims worked out once per key: the header
 * segment and the HMAC key object (fast-jwt rebuilt both for every token, ~10 % of an issuance's CPU
 * in bench/profile.ts). A JWT is base64url(header).base64url(payload).base64url(HMAC) (RFC 7515).
 */
import { createHmac, createSecretKey } from 'node:crypto'
import type { HmacAlgorithm } from '../jitsi/algorithms.js'

const HASHES: Record<HmacAlgorithm, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }

/** base64url of a JSON value: a JWT segment. */
export function segment (value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

export function hmacSigner (algorithm: HmacAlgorithm, secret: string): (claims: object) => string {
  const key = createSecretKey(Buffer.from(secret, 'utf8'))
  const hash = HASHES[algorithm]
  // {alg, typ: "JWT"} and nothing else: Prosody checks both (docs/jitsi.md §0 rules 1–3).
  const header = segment({ alg: algorithm, typ: 'JWT' })
  return (claims) => {
    const input = `${header}.${segment(claims)}`
    return `${input}.${createHmac(hash, key).update(input).digest('base64url')}`
  }
}
