/**
 * Encrypted, expiring payloads only this service can read (JWE, dir + A256GCM): the login transaction
 * cookie, our refresh tokens and the console's session cookie. Each use gets its own key derived from LOGIN_SECRET, so one can never
 * be passed off as the other.
 */
import { hkdfSync } from 'node:crypto'
import { EncryptJWT, jwtDecrypt, type JWTPayload } from 'jose'

export type Purpose = 'login-transaction' | 'refresh-token' | 'console-session'

export interface Sealer {
  seal: (payload: JWTPayload, ttlSeconds: number) => Promise<string>
  /** The payload, or undefined when the value is forged, damaged, for another purpose or expired. */
  open: (sealed: string) => Promise<JWTPayload | undefined>
}

export function sealer (secret: string, purpose: Purpose): Sealer {
  const key = new Uint8Array(hkdfSync('sha256', secret, 'jitsi-token-service', purpose, 32))
  return {
    seal: (payload, ttlSeconds) => new EncryptJWT(payload)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .encrypt(key),
    async open (sealed) {
      try {
        const { payload } = await jwtDecrypt(sealed, key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] })
        return payload
      } catch {
        return undefined
      }
    }
  }
}
