/**
 * POST /tokens: caller → grant check → claims → signature → 201 {token, url, room, expiresAt}.
 * The handler is thin; the rules live in jitsi/ and clients/grants.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Config } from '../config.js'
import { grantedFeatures, grantProblems } from '../clients/grants.js'
import { tokenRole } from '../jitsi/feature-defaults.js'
import { withIdentity } from '../oidc/identity-merge.js'
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
    // Frontend (OIDC) callers: the person comes from their identity-provider token, not the body.
    const body = withIdentity(request.body, request.caller!.identity)
    const grants = request.caller!.grants
    // Without an explicit ttl, the default never exceeds what the client is granted.
    const ttl = body.ttl ?? Math.min(jwt.ttl, grants.maxTtl ?? jwt.ttl)
    const outside = grantProblems({ ...body, ttl }, grants)
    if (outside.length > 0) throw outsideGrant(outside)

    const role = tokenRole(body.context?.user)
    const context = { ...body.context, features: grantedFeatures(body.context?.features, grants, jwt.profile, role) }
    const issued = await fastify.tokenIssuer.issue({ ...body, ttl, context }, body.meeting)
    request.issued = { claims: issued.claims, algorithm: fastify.signer.algorithm, kid: fastify.signer.kid, tenant: body.tenant }
    return reply.code(201).send({ token: issued.token, url: issued.url, room: issued.room, expiresAt: issued.expiresAt, notes: issued.notes })
  })
}

export default tokens
