/**
 * Our refresh token (the `refreshToken` of an inline login, docs/jitsi.md §11.6, §11.10): opaque to
 * Jitsi, encrypted with LOGIN_SECRET, bound to the person, room and tenant it was issued for. It may
 * carry the IdP's own refresh token, so a refresh asks the IdP first. Rotation keeps the first
 * login's expiry: refreshing never makes a login last longer. Each token names its login's chain and
 * its generation in it, so a used one is recognised and its whole chain revoked (refresh-chains.ts).
 */
import { createHash, randomUUID } from 'node:crypto'
import type { JWTPayload } from 'jose'
import type { IdpIdentity } from '../oidc/identity.js'
import type { ChainToken } from './refresh-chains.js'
import { sealer } from './sealed.js'

export interface RefreshGrant {
  identity: IdpIdentity
  room: string
  tenant?: string
  idpRefreshToken?: string
}

/** Where a token stands in its login's chain. */
export interface ChainPosition {
  chain: string
  generation: number
  loginAt: number
}

export type OpenedRefresh = RefreshGrant & ChainPosition & { exp: number }

/** A working day: a meeting that outlives it needs a real login. */
export const REFRESH_TTL = 8 * 3600
/**
 * Jitsi sends our token back inside the login state, which /login reads up to MAX_STATE_LENGTH (8192)
 * characters: a token that leaves no room for the rest of the state would never refresh.
 */
export const MAX_REFRESH_TOKEN = 6144

/** The person as the chain store keys them: a hash, so no IdP subject sits in Redis. */
export function chainPerson (identity: Pick<IdpIdentity, 'id'>): string {
  return createHash('sha256').update(identity.id).digest('base64url')
}

export function chainToken (opened: OpenedRefresh): ChainToken {
  return { chain: opened.chain, generation: opened.generation, loginAt: opened.loginAt, exp: opened.exp, person: chainPerson(opened.identity) }
}

export function refreshTokens (secret: string) {
  const sealed = sealer(secret, 'refresh-token')
  return {
    /**
     * A new login's first token, or (with `previous`) the next one in its chain, expiring with the login.
     * Too large for the state (a long avatar URL beside a large IdP refresh token): the avatar is left
     * out, and if that is not enough there is no refresh token (the person logs in again at expiry).
     */
    async seal (grant: RefreshGrant, previous?: OpenedRefresh): Promise<string | undefined> {
      const now = Math.floor(Date.now() / 1000)
      const position: ChainPosition = previous === undefined
        ? { chain: randomUUID(), generation: 0, loginAt: now }
        : { chain: previous.chain, generation: previous.generation + 1, loginAt: previous.loginAt }
      const ttl = previous === undefined ? REFRESH_TTL : Math.max(1, previous.exp - now)
      const { avatar, ...withoutAvatar } = grant.identity
      for (const identity of [grant.identity, withoutAvatar]) {
        const token = await sealed.seal({ ...grant, identity, ...position } as unknown as JWTPayload, ttl)
        if (token.length <= MAX_REFRESH_TOKEN) return token
      }
      return undefined
    },
    async open (token: string): Promise<OpenedRefresh | undefined> {
      return await sealed.open(token) as unknown as OpenedRefresh | undefined
    }
  }
}
