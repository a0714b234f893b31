/**
 * The tokens the live check tries, minted with this deployment's own claims builder and key, for a
 * throwaway room: a moderator, a guest, a guest of another room, and a moderator whose token expired a
 * minute ago (so only the time check can refuse it).
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type { Config } from '../config.js'
import { buildClaims, type TokenInput } from '../jitsi/claims.js'
import { issuerSettings } from '../plugins/token-issuer.js'
import { signLocally } from '../cli/local-signer.js'

export type CheckTokenKind = 'moderator' | 'guest' | 'otherRoom' | 'expired'

export interface CheckTokens {
  room: string
  otherRoom: string
  tokens: Record<CheckTokenKind, string>
}

const TTL_SECONDS = 300
const EXPIRED_SECONDS_AGO = 60

export function throwawayRoom (): string {
  return `jts-check-${randomBytes(5).toString('hex')}`
}

function input (room: string, moderator: boolean): TokenInput {
  const user = moderator
    ? { name: 'Token check (moderator)', moderator: true, lobby_bypass: true }
    : { name: 'Token check (guest)' }
  return { room, ttl: TTL_SECONDS, context: { user } }
}

export async function mintCheckTokens (config: Config, room: string, now = Date.now()): Promise<CheckTokens> {
  const settings = issuerSettings(config)
  const otherRoom = throwawayRoom()
  const sign = (tokenInput: TokenInput, at = now) => signLocally(buildClaims(tokenInput, settings, at, randomUUID()), config)
  return {
    room,
    otherRoom,
    tokens: {
      moderator: await sign(input(room, true)),
      guest: await sign(input(room, false)),
      otherRoom: await sign(input(otherRoom, false)),
      expired: await sign(input(room, true), now - (TTL_SECONDS + EXPIRED_SECONDS_AGO) * 1000)
    }
  }
}
