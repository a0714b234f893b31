/**
 * How a route's schema reads in the OpenAPI document (@fastify/swagger's `transform`; Fastify still
 * validates and serializes with the schema as written): every response gets its HTTP status text as
 * description, and problem details are declared as application/problem+json, as they are sent.
 */
import { STATUS_CODES } from 'node:http'
import type { FastifySchema } from 'fastify'
import { ProblemSchema } from '../schemas/problem.js'
import { PROBLEM_EXAMPLES } from './problem-examples.js'

type Schema = Record<string, unknown>

function documentedResponse (status: string, schema: Schema): Schema {
  const description = STATUS_CODES[status] ?? status
  if (schema.$id === ProblemSchema.$id) {
    const example = PROBLEM_EXAMPLES[status]
    return { description, content: { 'application/problem+json': { schema, ...(example ? { example } : {}) } } }
  }
  return { description, ...schema }
}

export function documentedRoute ({ schema, url }: { schema: FastifySchema, url: string }): { schema: FastifySchema, url: string } {
  const response = schema?.response as Record<string, Schema> | undefined
  if (!response) return { schema, url }
  return {
    url,
    schema: { ...schema, response: Object.fromEntries(Object.entries(response).map(([status, s]) => [status, documentedResponse(status, s)])) }
  }
}
