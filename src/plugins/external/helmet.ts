/** Security headers. The API answers JSON only, so the strictest content security policy fits it. */
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'

export default fp(async function securityHeaders (fastify) {
  await fastify.register(helmet, {
    // Routes that serve a page (the docs) set their own policy.
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'cross-origin' }
  })
})
