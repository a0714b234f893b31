/**
 * Single use for our refresh tokens, per login (a "chain"): a login starts a chain; each refresh token
 * carries its chain and generation, and only the chain's current generation refreshes, which moves the
 * chain on. An older generation is a reuse: the whole chain is revoked, so the thief's newer tokens die
 * too (docs/security.md#refresh-tokens). /logout revokes every chain the person started before it.
 *
 * Written through to this replica's memory and, with RATE_LIMIT_REDIS_URL, to Redis, and read from both:
 * single use holds across replicas while Redis is up, and on each replica through Redis outages and
 * restarts. Memory holds one small entry per login (a refresh loop adds nothing) up to CHAIN_CAP; a login
 * evicted from it is refused locally afterwards (log in again), never accepted blindly.
 */
import type { Redis } from 'ioredis'

export type ChainUse = 'current' | 'reused' | 'revoked'

export interface ChainToken {
  chain: string
  generation: number
  /** The login's own time (Unix seconds): /logout and eviction compare it. */
  loginAt: number
  /** The login's expiry (Unix seconds): no chain state outlives it. */
  exp: number
  person: string
}

/** Logins one replica remembers at once: far more than it starts in a refresh token's 8 hours. */
export const CHAIN_CAP = 100_000
const PREFIX = 'jitsi-token-service:refresh-chain:'
const LOGOUT_PREFIX = 'jitsi-token-service:logout:'

// Compare-and-advance in one step, so two replicas never both accept one generation.
const ADVANCE = `
local state = redis.call('GET', KEYS[1])
if state == 'revoked' then return 'revoked' end
local logout = tonumber(redis.call('GET', KEYS[2]) or '0')
if logout >= tonumber(ARGV[3]) then return 'revoked' end
if state and tonumber(ARGV[1]) < tonumber(state) then
  redis.call('SET', KEYS[1], 'revoked', 'EX', ARGV[2])
  return 'reused'
end
redis.call('SET', KEYS[1], tonumber(ARGV[1]) + 1, 'EX', ARGV[2])
return 'current'`

interface Local { next: number, revoked: boolean, exp: number }

export function refreshChains (redis?: Redis, cap = CHAIN_CAP) {
  const chains = new Map<string, Local>()
  const logouts = new Map<string, { at: number, exp: number }>()
  /** The newest login evicted from memory: older unknown chains are refused, not trusted. */
  let evictedUpTo = 0

  function remember (token: ChainToken, local: Local) {
    chains.delete(token.chain)
    chains.set(token.chain, local)
    const now = Math.floor(Date.now() / 1000)
    for (const [id, entry] of chains) {
      if (chains.size <= cap) break
      if (entry.exp > now) evictedUpTo = Math.max(evictedUpTo, entry.exp)
      chains.delete(id)
    }
  }

  function decideLocally (token: ChainToken): ChainUse {
    const local = chains.get(token.chain)
    const logout = logouts.get(token.person)
    if (local?.revoked || (logout !== undefined && logout.at >= token.loginAt)) return 'revoked'
    if (local === undefined && token.exp <= evictedUpTo) return 'revoked'
    if (local !== undefined && token.generation < local.next) return 'reused'
    return 'current'
  }

  /** Redis's verdict, or undefined while it is unreachable (this replica's memory then decides). */
  async function shared<T> (call: (client: Redis) => Promise<T>): Promise<T | undefined> {
    if (redis?.status !== 'ready') return undefined
    try {
      return await call(redis)
    } catch {
      return undefined
    }
  }

  return {
    /** Uses `token`: 'current' lets it refresh (and moves the chain on); anything else revokes or refuses. */
    async use (token: ChainToken): Promise<ChainUse> {
      const ttl = Math.max(1, token.exp - Math.floor(Date.now() / 1000))
      let use = decideLocally(token)
      if (use === 'current') {
        use = await shared(client => client.eval(ADVANCE, 2, PREFIX + token.chain, LOGOUT_PREFIX + token.person, token.generation, ttl, token.loginAt) as Promise<ChainUse>) ?? use
      } else {
        // Fleet-wide too, again each time: Redis may have been down, or restarted empty, when it was first seen.
        await shared(client => client.set(PREFIX + token.chain, 'revoked', 'EX', ttl))
      }
      remember(token, { next: token.generation + 1, revoked: use !== 'current', exp: token.exp })
      return use
    },
    /** /logout: every chain the person started until now is revoked, here and (with Redis) everywhere. */
    async logout (person: string, exp: number): Promise<void> {
      const at = Math.floor(Date.now() / 1000)
      logouts.delete(person)
      logouts.set(person, { at, exp })
      if (logouts.size > cap) logouts.delete(logouts.keys().next().value!)
      // Without Redis only this replica knows; the others refuse once the tokens expire.
      await shared(client => client.set(LOGOUT_PREFIX + person, at, 'EX', Math.max(1, exp - at)))
    }
  }
}
