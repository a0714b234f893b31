/**
 * The API docs page at /docs (@fastify/swagger-ui, assets served from this service). The API's own
 * content security policy forbids everything (helmet.ts); the docs routes get a policy of their own
 * that allows this origin's scripts, styles and fetches, nothing from elsewhere, and no framing.
 *
 * Loaded on the first /docs request, not at start-up: swagger-ui and its static-file server are a
 * tenth of the start-up time and most instances never serve the page. It runs in a small Fastify
 * instance of its own, which /docs and /docs/* hand their requests to.
 */
import fp from 'fastify-plugin'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { sendProblem } from '../error-handler.js'

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

/** Set by the outer server itself for the answer it sends. */
const HOP_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date'])

async function docsServer (api: FastifyInstance): Promise<FastifyInstance> {
  const { default: swaggerUi } = await import('@fastify/swagger-ui')
  const docs = Fastify({ logger: false })
  // The page shows the API's own document (@fastify/swagger on the API's instance).
  const document = await api.openapiDocument()
  await docs.register(fp(async (scope) => { scope.decorate('swagger', document) }, { name: '@fastify/swagger' }))
  await docs.register(swaggerUi, {
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
  await docs.ready()
  return docs
}

export default fp(async function docsPage (fastify) {
  let docs: Promise<FastifyInstance> | undefined
  fastify.addHook('onClose', async () => { if (docs) await (await docs).close() })

  async function serve (request: FastifyRequest, reply: FastifyReply) {
    docs ??= docsServer(fastify)
    const answer = await (await docs).inject({ method: request.method as 'GET' | 'HEAD', url: request.url, headers: request.headers })
    // Unknown asset, or swagger-ui's redirect of index.html?… to itself (a loop): the API's own 404.
    if (answer.statusCode === 404 || (answer.statusCode === 302 && answer.headers.location === request.url)) return reply.callNotFound()
    // The static server's own refusals (a NUL in the path: 403) in the API's format.
    if (answer.statusCode >= 400) return sendProblem(request, reply, { status: answer.statusCode, reason: 'forbidden_path', detail: 'This path is not served.' })
    for (const [name, value] of Object.entries(answer.headers)) {
      if (!HOP_HEADERS.has(name)) reply.header(name, value!)
    }
    return reply.code(answer.statusCode).send(answer.rawPayload)
  }

  // The page loads a dozen assets: their access lines are debug, like the probes'.
  const route = { schema: { hide: true }, config: { accessLogLevel: 'debug' as const } }
  fastify.get('/docs', route, serve)
  fastify.get('/docs/*', route, serve)
}, { name: 'docs-page', dependencies: ['openapi'] })
