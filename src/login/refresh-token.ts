/**
 * Our refresh token (the `refreshToken` of an inline login, docs/jitsi.md §11.6, §11.10): opaque to
 * Jitsi, encrypted with LOGIN_SECRET, bound to the person, room and tenant it was issued for. It may
 * carry the IdP's own refresh token, so a refresh asks the IdP first. Rotation keeps the first
 * login's expiry: refreshing never makes a login last longer. Each token has its own `jti`, so a used
 * one can be recognised (used-refreshes.ts).
 */
import { randomUUID } from 'node:crypto'
import type { JWTPayload } from 'jose'
import type { IdpIdentity } from '../oidc/identity.js'
import { sealer } from './sealed.js'

export interface RefreshGrant {
  identity: IdpIdentity
  room: string
  tenant?: string
  idpRefreshToken?: string
}

/** A working day: a meeting that outlives it needs a real login. */
export const REFRESH_TTL = 8 * 3600

export function refreshTokens (secret: string) {
  const sealed = sealer(secret, 'refresh-token')
  return {
    /** `expiresAt` (Unix seconds) keeps a rotated token's lifetime; omitted for a new login. */
    seal (grant: RefreshGrant, expiresAt?: number): Promise<string> {
      const ttl = expiresAt === undefined ? REFRESH_TTL : Math.max(1, expiresAt - Math.floor(Date.now() / 1000))
      return sealed.seal({ ...grant, jti: randomUUID() } as unknown as JWTPayload, ttl)
    },
    async open (token: string): Promise<(RefreshGrant & { exp: number, jti: string }) | undefined> {
      return await sealed.open(token) as unknown as (RefreshGrant & { exp: number, jti: string }) | undefined
    }
  }
}
