/**
 * One log line per answer, replacing Fastify's two; written by the request pipeline. For POST /tokens
 * that line is the audit record: `token.issued` (client, ip, jti, room, sub, moderator, features, exp;
 * never the token) or `token.refused` with its reason and the offending fields. Other routes log one
 * access line, at debug for probes and scrapes (routes mark themselves with config.accessLogLevel).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { JitsiClaims } from '../jitsi/claims.js'

export interface AuditRecord {
  claims: JitsiClaims
  algorithm: string
  /** The signing key's id (RS*), so a rotation can be followed in the audit log. */
  kid?: string
  tenant?: string
  /** Tokens from the browser login (routes/login.ts): a first login or a silent refresh; or the console's /meetings. */
  via?: 'login' | 'refresh' | 'console'
}

declare module 'fastify' {
  /** `issuedAlso`: more tokens the same request minted (the console's host and guest links). */
  interface FastifyRequest { issued?: AuditRecord, issuedAlso?: AuditRecord[] }
  interface FastifyContextConfig {
    /** Level of this route's access line (default info). */
    accessLogLevel?: 'debug' | 'info'
    /** The route's lines are audit records of token issuance. */
    audit?: boolean
  }
}

/**
 * A refusal written as `token.refused` and counted in jitsi_token_refusals_total: one on an audit route
 * (sendProblem sets request.refusal). An audit route's other answers, a console sign-in, are neither.
 */
export function isAuditedRefusal (request: FastifyRequest): boolean {
  return request.routeOptions.config.audit === true && request.refusal !== undefined
}

/** The path only: query strings may carry tokens (?jwt=). */
function pathOnly (url: string): string {
  const query = url.indexOf('?')
  return query === -1 ? url : url.slice(0, query)
}

function milliseconds (elapsed: number): number {
  return Math.round(elapsed * 100) / 100
}

/** Every field always present, in one order: pino writes a pre-shaped object without reshaping it. */
function issuedLine (request: FastifyRequest, reply: FastifyReply, record: AuditRecord) {
  const { claims } = record
  return {
    event: 'token.issued',
    requestId: request.id,
    client: request.caller?.id,
    ip: request.ip,
    jti: claims.jti,
    room: claims.room,
    sub: claims.sub,
    moderator: claims.context.user.moderator === true || claims.context.user.moderator === 'true',
    affiliation: claims.context.user.affiliation,
    features: claims.context.features,
    exp: claims.exp,
    alg: record.algorithm,
    kid: record.kid,
    via: record.via,
    status: reply.statusCode,
    responseTime: milliseconds(reply.elapsedTime)
  }
}

function refusedLine (request: FastifyRequest, reply: FastifyReply) {
  return {
    event: 'token.refused',
    requestId: request.id,
    client: request.caller?.id,
    ip: request.ip,
    status: reply.statusCode,
    reason: request.refusal?.reason,
    fields: request.refusal?.fields,
    responseTime: milliseconds(reply.elapsedTime)
  }
}

export function writeRequestLine (request: FastifyRequest, reply: FastifyReply): void {
  // Audit lines for issuance and refusals; everything else is an access line (GET /login issues only
  // when it refreshes).
  if (request.issued || isAuditedRefusal(request)) {
    if (request.issued) request.log.info(issuedLine(request, reply, request.issued), 'token issued')
    else request.log.info(refusedLine(request, reply), 'token refused')
    if (request.issuedAlso) for (const also of request.issuedAlso) request.log.info(issuedLine(request, reply, also), 'token issued')
    return
  }
  const level = reply.statusCode >= 500 ? 'error' : (request.routeOptions.config.accessLogLevel ?? 'info')
  request.log[level]({
    requestId: request.id,
    method: request.method,
    path: pathOnly(request.url),
    status: reply.statusCode,
    reason: request.refusal?.reason,
    responseTime: milliseconds(reply.elapsedTime)
  }, 'request completed')
}
