/**
 * @fastify/rate-limit, registered without a global limit: POST /tokens opts in per client
 * (see routes/tokens.ts) and authentication failures are counted per IP (plugins/client-auth.ts).
 */
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { Config } from '../../config.js'

export default fp(async function rateLimits (fastify, opts: { config: Config }) {
  await fastify.register(rateLimit, {
    global: false,
    max: opts.config.rateLimit.max,
    timeWindow: opts.config.rateLimit.window
  })
})
