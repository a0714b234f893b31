/**
 * POST /tokens: caller → grant check → claims → signature → 201 {token, url, room, expiresAt}.
 * The handler is thin; the rules live in jitsi/ and clients/grants.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Config } from '../config.js'
import { applyCallerGrant } from '../clients/caller-grant.js'
import { outsideGrant } from '../problems.js'
import { ProblemSchema } from '../schemas/problem.js'
import { tokenRequestSchema } from '../schemas/token-request.js'
import { TokenResponseSchema } from '../schemas/token-response.js'

const tokens: FastifyPluginAsyncTypebox<{ config: Config }> = async (fastify, opts) => {
  const { jwt } = opts.config

  fastify.post('/tokens', {
    onRequest: fastify.authenticate,
    config: {
      audit: true,
      rateLimit: {
        hook: 'preParsing',
        // preParsing runs only after authenticate (onRequest) has set the caller.
        keyGenerator: (request) => `client:${request.caller!.id}`
      }
    },
    schema: {
      summary: 'Issue a Jitsi token and meeting URL',
      description: 'Signs a JWT that Prosody accepts for the named room and returns it with a ready-to-open meeting link.',
      tags: ['tokens'],
      security: [{ apiKey: [] }],
      body: tokenRequestSchema(jwt.maxTtl),
      response: {
        201: TokenResponseSchema,
        400: ProblemSchema,
        401: ProblemSchema,
        403: ProblemSchema,
        413: ProblemSchema,
        415: ProblemSchema,
        429: ProblemSchema
      }
    }
  }, async (request, reply) => {
    const { granted, outside } = applyCallerGrant(request.body, request.caller!, jwt)
    if (outside) throw outsideGrant(outside)
    const issued = await fastify.tokenIssuer.issue(granted, granted.meeting)
    request.issued = { claims: issued.claims, algorithm: fastify.signer.algorithm, kid: fastify.signer.kid, tenant: granted.tenant }
    return reply.code(201).send({ token: issued.token, url: issued.url, room: issued.room, expiresAt: issued.expiresAt, notes: issued.notes })
  })
}

export default tokens
