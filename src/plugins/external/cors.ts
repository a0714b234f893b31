/** @fastify/cors from the CORS_ORIGINS allow-list; with none configured, no origin is allowed. */
import fp from 'fastify-plugin'
import cors from '@fastify/cors'
import type { Config } from '../../config.js'

export default fp(async function corsPolicy (fastify, opts: { config: Config }) {
  // Without an allow-list there is nothing to answer: browsers then refuse every cross-origin call,
  // and no request pays for the plugin.
  if (opts.config.corsOrigins.length === 0) return
  await fastify.register(cors, {
    origin: opts.config.corsOrigins,
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['Retry-After', 'X-Request-Id'],
    maxAge: 600
  })
})
