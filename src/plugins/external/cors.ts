/** @fastify/cors from the CORS_ORIGINS allow-list; with none configured, no origin is allowed. */
import fp from 'fastify-plugin'
import cors from '@fastify/cors'
import type { Config } from '../../config.js'

export default fp(async function corsPolicy (fastify, opts: { config: Config }) {
  const allowed = new Set(opts.config.corsOrigins)
  await fastify.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['Retry-After', 'X-Request-Id'],
    maxAge: 600
  })
})
