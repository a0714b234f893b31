/**
 * RS* signatures on a small pool of worker threads (piscina), one per core: RSA-2048 signing is
 * ~0.8 ms of CPU a token, so a burst of RS256 requests uses every core while the event loop stays
 * free for /health and the HS-cheap parts of other requests.
 */
import { availableParallelism } from 'node:os'
import { Piscina } from 'piscina'
import type { SigningKey } from './key-set.js'
import { segment } from './hs-sign.js'
import type { SignTask } from './sign-worker.js'

// The worker is a sibling module with this one's extension: .js in dist/, .ts from the sources (tests).
const WORKER = import.meta.url.replace(/sign-pool\.(\w+)$/, 'sign-worker.$1')

export interface SignPool {
  sign: (claims: object, key: SigningKey) => Promise<string>
  /** Worker threads alive now. */
  readonly threads: number
  close: () => Promise<void>
}

export function createSignPool (threads = availableParallelism()): SignPool {
  const pool = new Piscina<SignTask, string>({
    filename: WORKER,
    // One thread waits warm; the others start with the first burst and stop after a minute idle.
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 60_000
  })
  // piscina would start new threads for work arriving after destroy(); a closed pool refuses it.
  let closed = false
  return {
    async sign (claims, key) {
      if (closed) throw new Error('the signing pool is closed')
      const input = `${key.headerSegment}.${segment(claims)}`
      const signature = await pool.run({ input, hash: key.hash, key: key.privateKey })
      return `${input}.${signature}`
    },
    get threads () { return pool.threads.length },
    async close () {
      closed = true
      await pool.destroy()
    }
  }
}
