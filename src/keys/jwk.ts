/** Public keys as JWK (RFC 7517), the form Prosody's `cache_keys_url` and other consumers read (docs/jitsi.md §1.2). */
import type { KeyObject } from 'node:crypto'

export interface PublicJwk {
  kty: 'RSA'
  kid: string
  use: 'sig'
  alg: string
  n: string
  e: string
}

export function publicJwk (publicKey: KeyObject, kid: string, algorithm: string): PublicJwk {
  const { n, e } = publicKey.export({ format: 'jwk' })
  return { kty: 'RSA', kid, use: 'sig', alg: algorithm, n: n as string, e: e as string }
}
