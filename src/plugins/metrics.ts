/**
 * Prometheus metrics at GET /metrics (prom-client): process metrics, a request duration histogram per
 * route, and what ops ask about tokens: issued per client and algorithm, refused per reason and status.
 * The counting itself happens once per answer in the request pipeline (pipeline/response-counters.ts),
 * from what the request log already knows (request.issued, request.refusal). Each app has its own
 * registry, so several apps in one process (the tests) count separately. Labels are bounded: API
 * clients by id, every IdP user as client="oidc" (never a person's sub). With METRICS_TOKEN set,
 * scrapes need it as a bearer token, compared in constant time; wrong ones spend the address's
 * failed-auth budget like wrong API keys.
 */
import { timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import { collectDefaultMetrics, Registry } from 'prom-client'
import type { FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { hashApiKey } from '../clients/api-keys.js'
import { ProblemError } from '../problems.js'
import { ProblemSchema } from '../schemas/problem.js'
import { bearerToken } from './client-auth.js'
import { responseCounters, type CountResponse } from '../pipeline/response-counters.js'
import type { AuthFailures } from './external/rate-limit.js'

declare module 'fastify' {
  interface FastifyInstance {
    metricsRegistry: Registry
    /** Adds one answer to the metrics; called by the request pipeline. */
    countResponse: CountResponse
  }
}

function tokenCheck (token: string, authFailures: AuthFailures) {
  // Both sides hashed to 32 bytes: timingSafeEqual needs equal lengths and so the length leaks nothing.
  const expected = hashApiKey(token)
  const realm = 'Bearer realm="metrics"'
  return async function requireMetricsToken (request: FastifyRequest) {
    const presented = bearerToken(request.headers.authorization)
    if (presented === undefined) {
      throw new ProblemError(401, 'missing_credentials', 'Send METRICS_TOKEN as "Authorization: Bearer <token>".', undefined, { 'www-authenticate': realm })
    }
    if (!timingSafeEqual(hashApiKey(presented), expected)) {
      throw await authFailures.count(request, new ProblemError(401, 'invalid_credentials', 'The metrics token is not valid.', undefined, {
        'www-authenticate': `${realm}, error="invalid_token"`
      }))
    }
  }
}

export default fp(async function metrics (fastify, opts: { config: Config }) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  fastify.decorate('metricsRegistry', registry)
  fastify.decorate('countResponse', responseCounters(registry))

  const token = opts.config.metricsToken
  fastify.get('/metrics', {
    // Scraped every few seconds: its access line is debug.
    config: { accessLogLevel: 'debug' },
    onRequest: token === undefined ? [] : [tokenCheck(token, fastify.authFailures)],
    schema: {
      summary: 'Prometheus metrics',
      description: 'Prometheus text format. Needs `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set (always in production, unless METRICS_PUBLIC=true).',
      tags: ['operations'],
      security: [{}, { metricsToken: [] }],
      response: {
        200: { description: 'Metrics in the Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
        401: ProblemSchema,
        429: ProblemSchema
      }
    }
  }, async (_request, reply) => {
    const body = await registry.metrics()
    return reply.type(registry.contentType).send(body)
  })
}, { name: 'metrics', dependencies: ['rate-limits'] })
