/**
 * The refresh tokens already used (by `jti`), so a rotated token cannot be replayed. Kept in memory
 * until each token's own expiry: a replay is caught by the replica that saw the first use. Bounded:
 * when full of live entries it refuses new refreshes (the person logs in again) rather than forget one.
 */

/** Far more refreshes than one replica sees in a refresh token's 8 hours. */
export const USED_REFRESH_CAP = 100_000

export type RefreshUse = 'first' | 'reused' | 'store_full'

export function usedRefreshes (cap = USED_REFRESH_CAP) {
  const used = new Map<string, number>()
  return {
    /** Records `jti` (valid until `exp`, Unix seconds) as used; says whether it was already. */
    claim (jti: string, exp: number): RefreshUse {
      const now = Math.floor(Date.now() / 1000)
      const until = used.get(jti)
      if (until !== undefined && until > now) return 'reused'
      if (used.size >= cap) {
        for (const [key, expiry] of used) if (expiry <= now) used.delete(key)
        if (used.size >= cap) return 'store_full'
      }
      used.set(jti, exp)
      return 'first'
    }
  }
}
