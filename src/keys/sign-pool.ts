/**
 * RS* signatures off the event loop, on Node's own thread pool (libuv's, UV_THREADPOOL_SIZE threads,
 * 4 by default): crypto.sign with a callback (keys/rs-sign.ts), so a burst of RS256 requests uses
 * every core while the event loop stays free for /health and the cheap parts of other requests.
 *
 * A worker-thread pool (piscina, one thread per core) was measured against it with the pinned
 * benchmark: its messages cost ~230 µs of CPU per token on top of the ~300 µs signature (752 vs
 * 521 µs per RS256 token, 1308 vs 1553 tokens/s on two cores), so signing stays where Node already
 * runs crypto in parallel. What a pool must do is kept here: failures reject (the signer answers
 * 503), and once closed (shutdown) it signs nothing more.
 */
import type { SigningKey } from './key-set.js'
import { signJwt } from './rs-sign.js'

export interface SignPool {
  sign: (claims: object, key: SigningKey) => Promise<string>
  /** Signatures running now. */
  readonly inFlight: number
  close: () => Promise<void>
}

export function createSignPool (): SignPool {
  let closed = false
  let inFlight = 0
  return {
    async sign (claims, key) {
      if (closed) throw new Error('the signing pool is closed')
      inFlight++
      try {
        return await signJwt(claims, key)
      } finally {
        inFlight--
      }
    },
    get inFlight () { return inFlight },
    async close () { closed = true }
  }
}
