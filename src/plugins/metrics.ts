/**
 * Prometheus metrics at GET /metrics (fastify-metrics over prom-client): process metrics, a request
 * duration histogram per route, and what ops ask about tokens: issued per client and algorithm,
 * refused per reason and status. Counting reuses what request-log already knows (request.issued,
 * request.refusal) and writes no log line. Each app has its own registry, so several apps in one
 * process (the tests) count separately. Labels are bounded: API clients by id, every IdP user as
 * client="oidc" (never a person's sub). With METRICS_TOKEN set, scrapes need it as a bearer token,
 * compared in constant time; wrong ones spend the address's failed-auth budget like wrong API keys.
 */
import { timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import fastifyMetricsModule from 'fastify-metrics'
import promClient, { Counter, Registry } from 'prom-client'
import type { FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { hashApiKey } from '../clients/api-keys.js'
import { ProblemError } from '../problems.js'
import { ProblemSchema } from '../schemas/problem.js'
import { bearerToken } from './client-auth.js'
import type { AuthFailures } from './external/rate-limit.js'

declare module 'fastify' {
  interface FastifyInstance { metricsRegistry: Registry }
}

// A CommonJS module with only `exports.default`: Node's ESM import hands over the exports object.
const fastifyMetrics = fastifyMetricsModule.default

/** Issuance takes about a millisecond; the buckets resolve that and still show a slow event loop. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10]

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
  await fastify.register(fastifyMetrics, {
    // prom-client with this app's registry in place of the global one.
    promClient: { ...promClient, register: registry },
    endpoint: null,
    defaultMetrics: { enabled: true, register: registry },
    routeMetrics: {
      enabled: { histogram: true, summary: false },
      overrides: {
        histogram: { help: 'HTTP request duration in seconds, by method, route and status', buckets: DURATION_BUCKETS, registers: [registry] },
        // Created even when disabled: kept out of the global registry, then dropped below.
        summary: { registers: [registry] }
      }
    }
  })
  registry.removeSingleMetric('http_request_summary_seconds')
  fastify.decorate('metricsRegistry', registry)

  const issued = new Counter({
    name: 'jitsi_tokens_issued_total',
    help: 'Tokens issued, by API client and signing algorithm',
    labelNames: ['client', 'alg'] as const,
    registers: [registry]
  })
  const refused = new Counter({
    name: 'jitsi_token_refusals_total',
    help: 'POST /tokens requests refused, by reason (as in the token.refused audit line) and HTTP status',
    labelNames: ['reason', 'status'] as const,
    registers: [registry]
  })

  fastify.addHook('onResponse', (request, reply, done) => {
    // One label for all IdP users: a per-person label would grow without bound and name people.
    // Not only audit routes issue: GET /login does when it refreshes (as request-log counts it).
    if (request.issued) {
      const client = request.caller!.kind === 'oidc' ? 'oidc' : request.caller!.id
      issued.inc({ client, alg: request.issued.algorithm })
      // No array per issuance on the hot path: only the console mints a second token in one request.
      if (request.issuedAlso) for (const record of request.issuedAlso) issued.inc({ client, alg: record.algorithm })
    } else if (request.routeOptions.config.audit === true && request.refusal) {
      // A refusal on an audit route (sendProblem sets request.refusal); a console sign-in is neither.
      refused.inc({ reason: request.refusal.reason, status: reply.statusCode })
    }
    done()
  })

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
