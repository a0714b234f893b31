/**
 * What every answer adds to the metrics: the request duration histogram per method, route and status,
 * tokens issued per client and algorithm, and POST /tokens refusals per reason and status. Called once
 * per answer by the request pipeline. Each label combination's child is bound once and kept, so an
 * answer costs a map lookup and an observe, not a label object and its hashing.
 */
import { Counter, Histogram, type Registry } from 'prom-client'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { isAuditedRefusal } from './request-line.js'

/** Issuance takes about a millisecond; the buckets resolve that and still show a slow event loop. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10]

export type CountResponse = (request: FastifyRequest, reply: FastifyReply) => void

/**
 * A prom-client metric's children by a key of its label values, each bound on first use. Up to three
 * labels, passed one by one: a rest parameter would build an array on every answer.
 */
function boundChildren<Child> (bind: (first: string, second: string, third: string) => Child) {
  const children = new Map<string, Child>()
  return (key: string, first: string, second: string, third = ''): Child => {
    let child = children.get(key)
    if (child === undefined) {
      child = bind(first, second, third)
      children.set(key, child)
    }
    return child
  }
}

export function responseCounters (registry: Registry): CountResponse {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry]
  })
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
  const durationOf = boundChildren((method, route, status) => duration.labels(method, route, status))
  const issuedTo = boundChildren((client, alg) => issued.labels(client, alg))
  const refusedFor = boundChildren((reason, status) => refused.labels(reason, status))

  return function countResponse (request, reply) {
    const route = request.routeOptions.url
    // Only routes that exist get a label: an unknown path must not create one of its own.
    if (route !== undefined) {
      const status = String(reply.statusCode)
      durationOf(`${request.method} ${route} ${status}`, request.method, route, status).observe(reply.elapsedTime / 1000)
    }
    if (request.issued) {
      // One label for all IdP users: a per-person label would grow without bound and name people.
      // Not only audit routes issue: GET /login does when it refreshes (as the request line says).
      const client = request.caller!.kind === 'oidc' ? 'oidc' : request.caller!.id
      issuedTo(`${client} ${request.issued.algorithm}`, client, request.issued.algorithm).inc()
      // Only the console mints a second token in one request.
      if (request.issuedAlso) for (const record of request.issuedAlso) issuedTo(`${client} ${record.algorithm}`, client, record.algorithm).inc()
    } else if (isAuditedRefusal(request)) {
      // Counted exactly when the request line writes token.refused, so the two always agree.
      const status = String(reply.statusCode)
      const { reason } = request.refusal!
      refusedFor(`${reason} ${status}`, reason, status).inc()
    }
  }
}
