/**
 * The OpenAPI document, built by @fastify/swagger from the route schemas (register before the routes).
 * Served at /openapi.json; `npm run openapi` writes it to openapi.yaml (src/openapi.ts).
 *
 * Built on the first request for it, not at start-up: @fastify/swagger, its $ref resolver and its YAML
 * writer are a tenth of the start-up time. Until then this plugin only notes each route as
 * @fastify/swagger would; the document comes from a small Fastify instance of its own that holds the
 * same routes (schemas and config, no handlers), never compiled and never listening.
 */
import { readFileSync } from 'node:fs'
import fp from 'fastify-plugin'
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify'
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger'
import { lazySchemaController } from '../../lazy-compilers.js'
import { documentedRoute } from '../../openapi/route-docs.js'

export type OpenapiDocument = FastifyInstance['swagger']

declare module 'fastify' {
  interface FastifyInstance {
    /** @fastify/swagger's `swagger` (the document as an object, or as YAML), loaded on the first call. */
    openapiDocument: () => Promise<OpenapiDocument>
  }
}

// Same relative path from src/plugins/external and dist/plugins/external.
const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }

const OPTIONS: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'jitsi-token-service',
      version,
      description: 'Mints JSON Web Tokens that Jitsi Meet (Prosody, JaaS) accepts, with a ready-to-open meeting URL. ' +
        'Errors are RFC 9457 problem details (application/problem+json).'
    },
    tags: [
      { name: 'tokens', description: 'Issue tokens for a person and a room' },
      { name: 'health', description: 'Liveness and readiness probes' },
      { name: 'operations', description: 'Monitoring' }
    ],
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'The API key of a client in CLIENTS_FILE (development: printed at start-up)' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when it is set' }
      }
    }
  },
  transform: documentedRoute
}

async function documentServer (routes: readonly RouteOptions[]): Promise<FastifyInstance> {
  const { default: swagger } = await import('@fastify/swagger')
  const docs = Fastify({ logger: false, schemaController: lazySchemaController })
  await docs.register(swagger, OPTIONS)
  // The handlers are the API's own, never called here: this instance answers no request.
  for (const { method, url, schema, config, handler } of routes) docs.route({ method, url, schema, config, handler })
  await docs.ready()
  return docs
}

export default fp(async function openapi (fastify, opts: { serveDocument?: boolean }) {
  // What @fastify/swagger keeps: every route but the HEAD ones Fastify adds (it leaves those out too).
  const routes: RouteOptions[] = []
  fastify.addHook('onRoute', (route) => { if (route.method !== 'HEAD') routes.push(route) })

  let docs: Promise<FastifyInstance> | undefined
  fastify.addHook('onClose', async () => { if (docs) await (await docs).close() })
  fastify.decorate('openapiDocument', async () => {
    const server = await (docs ??= documentServer(routes))
    return server.swagger.bind(server)
  })

  if (opts.serveDocument !== false) fastify.get('/openapi.json', { schema: { hide: true }, config: { accessLogLevel: 'debug' } }, async () => (await fastify.openapiDocument())())
}, { name: 'openapi' })
