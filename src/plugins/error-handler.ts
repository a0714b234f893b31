/**
 * Every error answers as application/problem+json with the request id; client mistakes get their
 * own 4xx, and internals never reach the body. 5xx are logged with the error; 4xx are logged once by
 * the request log as a refusal.
 */
import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { ProblemError, titleFor } from '../problems.js'
import type { FieldProblem, Problem } from '../schemas/problem.js'
import { validationProblems } from '../schemas/validation-problems.js'

export interface Refusal {
  status: number
  reason: string
  fields?: string[]
}

declare module 'fastify' {
  interface FastifyRequest { refusal?: Refusal }
}

interface Classified {
  status: number
  reason: string
  detail: string
  errors?: FieldProblem[]
  headers?: Record<string, string>
}

const BY_CODE: Record<string, Omit<Classified, 'detail'> & { detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, reason: 'too_large', detail: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, reason: 'unsupported_media_type', detail: 'Send the request body as application/json.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, reason: 'invalid_body', detail: 'The Content-Length does not match the body.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, reason: 'invalid_body', detail: 'The JSON body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, reason: 'invalid_body', detail: 'The body is not valid JSON.' }
}

function classify (error: FastifyError | ProblemError, body: unknown): Classified {
  if (error instanceof ProblemError) {
    return { status: error.statusCode, reason: error.reason, detail: error.message, errors: error.errors, headers: error.headers }
  }
  if (error.validation) {
    return { status: 400, reason: 'invalid_request', detail: 'The request has invalid fields; see errors.', errors: validationProblems(error.validation, body) }
  }
  const known = error.code ? BY_CODE[error.code] : undefined
  if (known) return known
  const status = error.statusCode ?? 500
  if (status === 429) return { status, reason: 'rate_limited', detail: error.message }
  if (error instanceof SyntaxError || (status >= 400 && status < 500)) {
    // Body parser errors (bad JSON, prototype poisoning) and other client mistakes Fastify reports.
    return { status: status >= 400 && status < 500 ? status : 400, reason: 'invalid_body', detail: 'The request could not be read: ' + error.message }
  }
  return { status: 500, reason: 'internal_error', detail: 'Something went wrong on our side; quote the requestId when reporting it.' }
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, classified: Classified) {
  const { status, reason, detail, errors, headers } = classified
  request.refusal = { status, reason, fields: errors?.map(e => e.path) }
  const body: Problem = { type: 'about:blank', title: titleFor(status), status, detail, requestId: request.id }
  if (errors && errors.length > 0) body.errors = errors
  if (headers) reply.headers(headers)
  reply.header('x-request-id', request.id)
  return reply.code(status).type('application/problem+json').send(body)
}

/** Bad percent-encoding: the URL, which may carry a token (`?jwt=`), is never echoed. */
const BAD_URL: Classified = { status: 400, reason: 'bad_url', detail: 'The URL is malformed (bad percent-encoding).' }

function decodable (text: string): boolean {
  try {
    decodeURIComponent(text)
    return true
  } catch {
    return false
  }
}

/**
 * Fastify's `frameworkErrors` option: a path it cannot decode, or a route parameter over its length
 * limit, answered like every other refusal instead of Fastify's own body (which quotes the URL).
 */
export function frameworkError (error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendProblem(request, reply, { status: 414, reason: 'uri_too_long', detail: 'A segment of the URL path is too long.' })
  }
  return sendProblem(request, reply, BAD_URL)
}

/** The router decodes the path; the query string is parsed leniently, so it is checked on its own. */
export function queryIsDecodable (url: string): boolean {
  const query = url.indexOf('?')
  return query === -1 || decodable(url.slice(query + 1))
}

export function badQuery (): ProblemError {
  return new ProblemError(400, BAD_URL.reason, BAD_URL.detail)
}

/** For routes that check their own query (config.checksOwnQuery), at the step they choose. */
export function checkQuery (request: FastifyRequest): void {
  if (!queryIsDecodable(request.url)) throw badQuery()
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route checks its query itself, after its rate limit (the login's pages); the request pipeline checks every other's. */
    checksOwnQuery?: boolean
  }
}

export default fp(async function errorHandler (fastify) {
  fastify.setErrorHandler(function (error: FastifyError | ProblemError, request, reply) {
    const classified = classify(error, request.body)
    if (classified.status >= 500) request.log.error({ err: error, requestId: request.id }, 'request failed')
    // Rate-limit and other plugin errors may carry headers (Retry-After) already set on the reply.
    return sendProblem(request, reply, classified)
  })
  fastify.setNotFoundHandler(function (request, reply) {
    // The path is not echoed: a mistyped link may carry a token in it, and the caller knows what it asked for.
    return sendProblem(request, reply, { status: 404, reason: 'not_found', detail: `No route for ${request.method} at this path.` })
  })
}, { name: 'error-handler' })
