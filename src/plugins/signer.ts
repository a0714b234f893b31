/**
 * Signs claim sets; the header is {alg, typ: "JWT"} (+ kid for RS*) as Prosody requires
 * (docs/jitsi.md §0 rules 1–3).
 * - HS* goes through @fastify/jwt with its signer built once at registration (passing options per
 *   call would build a new fast-jwt signer every time).
 * - RS* signs with the active key of a key ring on Node's thread pool (keys/sign-pool.ts), so the
 *   event loop stays free and every core signs; `keys.reload()` (SIGHUP) swaps the keys
 *   without a restart. A pool failure is a 503 (try again), never a 500.
 * Without a key that can sign, /health/ready says why and POST /tokens answers 503.
 */
import fp from 'fastify-plugin'
import fastifyJwt from '@fastify/jwt'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import { isRsaAlgorithm, type SigningAlgorithm } from '../jitsi/algorithms.js'
import { KeyRing, summary } from '../keys/key-ring.js'
import { emptyKeySet, type KeySet } from '../keys/key-set.js'
import { loadKeySet } from '../keys/key-source.js'
import { createSignPool, type SignPool } from '../keys/sign-pool.js'
import { ProblemError } from '../problems.js'

export interface Signer {
  algorithm: SigningAlgorithm
  /** The kid new tokens carry (RS*); undefined for HS*. Changes when a reload switches the active key. */
  readonly kid?: string
  sign: (claims: object) => Promise<string>
}

export interface SigningKeys {
  /** The active key and every published one (none for HS*). */
  readonly current: KeySet
  /** Reads the keys again and logs the outcome; on failure keeps the current keys. True when reloaded. */
  reload: () => boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    signer: Signer
    keys: SigningKeys
    /** RS* only: where signatures run (closed with the app). */
    signPool?: SignPool
  }
}

function keyRing (config: Config): KeyRing {
  const { algorithm, keys, jaasAppId } = config.jwt
  if (!isRsaAlgorithm(algorithm)) return new KeyRing(undefined, emptyKeySet())
  if (!keys) throw new Error(`no signing key for ${algorithm}`)
  return new KeyRing(() => loadKeySet(keys.source, { algorithm, jaasAppId }), keys.initial)
}

/** Not ready while no key can sign; ready again once a reload brings one (unless something else said not ready). */
function followReadiness (fastify: FastifyInstance, ring: KeyRing) {
  let reported: string | undefined
  return () => {
    const { problem } = ring.current
    if (problem) {
      fastify.readiness.notReady(problem)
      reported = problem
    } else if (reported !== undefined && fastify.readiness.reason === reported) {
      fastify.readiness.ready = true
      fastify.readiness.reason = 'ready'
      reported = undefined
    }
  }
}

export default fp(async function signer (fastify, opts: { config: Config }) {
  const { algorithm, secret } = opts.config.jwt
  const ring = keyRing(opts.config)
  const syncReadiness = followReadiness(fastify, ring)

  if (isRsaAlgorithm(algorithm)) {
    const pool = createSignPool()
    fastify.decorate('signPool', pool)
    fastify.addHook('onClose', async () => pool.close())
    fastify.decorate('signer', {
      algorithm,
      get kid () { return ring.current.active?.kid },
      sign: async (claims: object) => {
        const { active, problem } = ring.current
        if (!active) throw new ProblemError(503, 'no_signing_key', `No key can sign tokens: ${problem}.`)
        try {
          return await pool.sign(claims, active)
        } catch (error) {
          const unavailable = new ProblemError(503, 'signing_unavailable', 'Tokens cannot be signed right now; try again later.', undefined, { 'retry-after': '1' })
          // Logged by the error handler (5xx): the operator needs the pool's error, the caller does not.
          unavailable.cause = error
          throw unavailable
        }
      }
    })
  } else {
    if (secret === undefined) throw new Error(`no signing key for ${algorithm}`)
    await fastify.register(fastifyJwt, { secret, sign: { algorithm } })
    fastify.decorate('signer', {
      algorithm,
      kid: undefined,
      sign: async (claims: object) => fastify.jwt.sign(claims)
    })
  }

  fastify.decorate('keys', {
    get current () { return ring.current },
    reload () {
      let reloaded = true
      try {
        const { activeKid, kids } = ring.reload()
        fastify.log.info({ event: 'keys.reloaded', activeKid, kids }, 'signing keys reloaded')
      } catch (error) {
        fastify.log.error({ event: 'keys.reload_failed', err: error, ...summary(ring.current) }, 'signing keys not reloaded; keeping the previous keys')
        reloaded = false
      }
      syncReadiness()
      return reloaded
    }
  })
  // After readiness's own onReady hook, which marks the service ready.
  fastify.addHook('onReady', async () => syncReadiness())
}, { name: 'signer', dependencies: ['readiness'] })
