/**
 * Errors that answer with RFC 9457 problem details. `reason` is the short word the audit log and
 * metrics use for a refusal; `errors` names each offending field.
 */
import type { FieldProblem } from './schemas/problem.js'

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout'
}

export function titleFor (status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error')
}

export class ProblemError extends Error {
  readonly statusCode: number
  constructor (status: number, readonly reason: string, detail: string, readonly errors?: FieldProblem[], readonly headers?: Record<string, string>) {
    super(detail)
    this.statusCode = status
  }
}

export const invalidFields = (errors: FieldProblem[]) =>
  new ProblemError(400, 'invalid_request', 'The request has invalid fields; see errors.', errors)

export const outsideGrant = (errors: FieldProblem[]) =>
  new ProblemError(403, 'outside_grant', 'The request asks for more than this client is granted; see errors.', errors)
