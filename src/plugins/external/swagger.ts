/**
 * The OpenAPI document, built by @fastify/swagger from the route schemas (register before the routes).
 * Served at /openapi.json; `npm run openapi` writes it to openapi.yaml (src/openapi.ts).
 */
import { readFileSync } from 'node:fs'
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import { documentedRoute } from '../../openapi/route-docs.js'

// Same relative path from src/plugins/external and dist/plugins/external.
const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }

export default fp(async function openapi (fastify) {
  await fastify.register(swagger, {
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
  })

  fastify.get('/openapi.json', { schema: { hide: true }, config: { accessLogLevel: 'debug' } }, async () => fastify.swagger())
}, { name: 'openapi' })
