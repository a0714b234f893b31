/** GET /health (the process answers) and GET /health/ready (config and keys loaded, not shutting down). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { sendProblem } from '../plugins/error-handler.js'
import { ProblemSchema } from '../schemas/problem.js'

const Status = Type.Object({ status: Type.String() })

const health: FastifyPluginAsyncTypebox = async (fastify) => {
  const quiet = { accessLogLevel: 'debug' as const }

  fastify.get('/health', {
    config: quiet,
    schema: { summary: 'Liveness: the process answers', tags: ['health'], response: { 200: Status } }
  }, async () => ({ status: 'ok' }))

  fastify.get('/health/ready', {
    config: quiet,
    schema: { summary: 'Readiness: configuration and keys loaded, not shutting down', tags: ['health'], response: { 200: Status, 503: ProblemSchema } }
  }, async (request, reply) => {
    if (fastify.readiness.ready) return { status: 'ready' }
    return sendProblem(request, reply, { status: 503, reason: 'not_ready', detail: `Not ready: ${fastify.readiness.reason}.` })
  })
}

export default health
