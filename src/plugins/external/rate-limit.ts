/**
 * @fastify/rate-limit, registered without a global limit: POST /tokens opts in per client
 * (routes/tokens.ts), and `authFailures` counts failed authentications per client address (API keys,
 * IdP tokens and the metrics token alike). Only failures are counted and only failing callers are
 * refused, so a caller with a valid credential is never locked out by someone else's guesses.
 * With RATE_LIMIT_REDIS_URL a fleet shares one budget through Redis. If Redis goes away, tokens keep
 * being issued (skipOnError: availability of the join path beats the limit), the outage is logged once
 * and shown by `rateLimitStore.shared`; ioredis reconnects and sharing resumes by itself.
 */
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { Redis } from 'ioredis'
import type { FastifyRequest } from 'fastify'
import type { Config } from '../../config.js'
import { ProblemError } from '../../problems.js'

export interface RateLimitStore {
  /** 'local' without Redis; 'shared' while Redis answers; 'unavailable' while it does not. */
  readonly state: 'local' | 'shared' | 'unavailable'
  /** The RATE_LIMIT_REDIS_URL connection, for other fleet-wide memory (used refresh tokens). */
  readonly redis?: Redis
}

export interface AuthFailures {
  /**
   * Counts one failed authentication from request.ip (the client's address behind a TRUST_PROXY) and
   * returns what to answer: `refusal` itself, or a 429 once AUTH_FAILURE_LIMIT is spent in the window.
   */
  count: (request: FastifyRequest, refusal: ProblemError) => Promise<ProblemError>
}

declare module 'fastify' {
  interface FastifyInstance { rateLimitStore: RateLimitStore, authFailures: AuthFailures }
}

export default fp(async function rateLimits (fastify, opts: { config: Config }) {
  const { max, window, redisUrl, authFailures } = opts.config.rateLimit
  let redis: Redis | undefined
  let state: RateLimitStore['state'] = 'local'
  if (redisUrl) {
    state = 'unavailable'
    // Loaded only when configured: most deployments never pay for ioredis at start-up.
    const { Redis } = await import('ioredis')
    redis = new Redis(redisUrl, {
      // Fail fast while disconnected instead of queueing: a request must never wait for Redis.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000)
    })
    redis.on('ready', () => {
      state = 'shared'
      fastify.log.info({ event: 'rate_limit.shared' }, 'rate limits are shared through Redis')
    })
    // ioredis repeats errors on every retry: say it once, when sharing stops.
    const lost = () => {
      if (state !== 'shared') return
      state = 'unavailable'
      fastify.log.warn({ event: 'rate_limit.unshared' }, 'Redis is unreachable: rate limits are not enforced until it returns')
    }
    redis.on('error', lost)
    redis.on('close', lost)
    fastify.addHook('onClose', async () => { redis?.disconnect() })
  }
  fastify.decorate('rateLimitStore', { get state () { return state }, redis })
  await fastify.register(rateLimit, {
    global: false,
    max,
    timeWindow: window,
    redis,
    nameSpace: 'jitsi-token-service:',
    skipOnError: true
  })
  const failures = fastify.createRateLimit({ max: authFailures, timeWindow: window })
  fastify.decorate<AuthFailures>('authFailures', {
    async count (request, refusal) {
      // Without an allowList the answer always has the counting shape.
      const { isExceeded, ttlInSeconds } = await failures(request) as Extract<Awaited<ReturnType<typeof failures>>, { isAllowed: false }>
      if (!isExceeded) return refusal
      return new ProblemError(429, 'rate_limited', 'Too many failed authentications from this address; try again later.', undefined, {
        'retry-after': String(ttlInSeconds)
      })
    }
  })
}, { name: 'rate-limits' })
