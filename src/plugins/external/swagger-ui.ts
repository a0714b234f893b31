/**
 * The API docs page at /docs (@fastify/swagger-ui, assets served from this service). The API's own
 * content security policy forbids everything (helmet.ts); the docs routes get a policy of their own
 * that allows this origin's scripts, styles and fetches, nothing from elsewhere, and no framing.
 */
import fp from 'fastify-plugin'
import swaggerUi from '@fastify/swagger-ui'

const DOCS_POLICY = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'script-src': ["'self'"],
  'style-src': ["'self'"]
}

export default fp(async function docsPage (fastify) {
  await fastify.register(async function docs (scope) {
    // The page loads a dozen assets: their access lines are debug, like the probes'.
    scope.addHook('onRoute', (route) => { route.config = { ...route.config, accessLogLevel: 'debug' } })
    await scope.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: DOCS_POLICY,
      uiConfig: {
        // No top bar: its logo needs an inline style, and its URL box would load other specs.
        layout: 'BaseLayout',
        // No badge fetched from validator.swagger.io.
        validatorUrl: null,
        docExpansion: 'list',
        deepLinking: true,
        displayRequestDuration: true
      }
    })
  })
}, { name: 'docs-page', dependencies: ['openapi'] })
