/**
 * The refresh tokens already used (by `jti`), so a rotated token cannot be replayed. With
 * RATE_LIMIT_REDIS_URL the fleet shares them (SET NX EX: the first replica to see a jti wins);
 * without Redis, or while it is unreachable, each replica remembers its own, so a replay is caught by
 * the replica that saw the first use. Kept until each token's own expiry. The memory is bounded: when
 * full of live entries it refuses new refreshes (the person logs in again) rather than forget one.
 */
import type { Redis } from 'ioredis'

/** Far more refreshes than one replica sees in a refresh token's 8 hours. */
export const USED_REFRESH_CAP = 100_000

export type RefreshUse = 'first' | 'reused' | 'store_full'

export function usedRefreshes (cap = USED_REFRESH_CAP, redis?: Redis) {
  const used = new Map<string, number>()

  function claimLocally (jti: string, exp: number, now: number): RefreshUse {
    const until = used.get(jti)
    if (until !== undefined && until > now) return 'reused'
    if (used.size >= cap) {
      for (const [key, expiry] of used) if (expiry <= now) used.delete(key)
      if (used.size >= cap) return 'store_full'
    }
    used.set(jti, exp)
    return 'first'
  }

  return {
    /** Records `jti` (valid until `exp`, Unix seconds) as used; says whether it was already. */
    async claim (jti: string, exp: number): Promise<RefreshUse> {
      const now = Math.floor(Date.now() / 1000)
      if (redis?.status === 'ready') {
        try {
          const set = await redis.set(`jitsi-token-service:refresh:${jti}`, '1', 'EX', Math.max(1, exp - now), 'NX')
          return set === 'OK' ? 'first' : 'reused'
        } catch {
          // Redis went away mid-request: this replica's memory still catches its own replays.
        }
      }
      return claimLocally(jti, exp, now)
    }
  }
}
