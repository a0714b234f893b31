/**
 * The service as a Fastify plugin, plus the server options it needs. server.ts listens with it;
 * tests build it from a config object and call app.inject.
 */
import { randomUUID } from 'node:crypto'
import fp from 'fastify-plugin'
import { LogController, type FastifyHttpOptions, type FastifyInstance, type FastifyServerOptions, type RawServerDefault } from 'fastify'
import type { Config } from './config.js'
import { lazySchemaController } from './lazy-compilers.js'
import { REQUEST_AJV_OPTIONS } from './schemas/request-validation.js'
import { fastifyTrustProxy } from './config/trust-proxy.js'
import { trustedPeer } from './config/trusted-peer.js'
import corsPolicy from './plugins/external/cors.js'
import openapi from './plugins/external/swagger.js'
import docsPage from './plugins/external/swagger-ui.js'
import rateLimits from './plugins/external/rate-limit.js'
import clientAuth from './plugins/client-auth.js'
import oidcAuth from './plugins/oidc-auth.js'
import errorHandler, { frameworkError } from './plugins/error-handler.js'
import metrics from './plugins/metrics.js'
import readiness from './plugins/readiness.js'
import requestPipeline from './plugins/request-pipeline.js'
import signer from './plugins/signer.js'
import tokenIssuer from './plugins/token-issuer.js'
import healthRoutes from './routes/health.js'
import keyRoutes from './routes/keys.js'
import tokenRoutes from './routes/tokens.js'
import verifyRoutes from './routes/verify.js'
import roomRoutes from './routes/rooms.js'
import doctorPage from './routes/doctor-page.js'

export interface AppOptions {
  config: Config
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/

/** The whole request, body included: a client dribbling a byte a second is cut off after this. */
export const REQUEST_TIMEOUT_MS = 10_000

/** Fastify's own options: logging, body limit, strict validation, request ids, timeouts (shorter in tests). */
export function serverOptions (config: Config, logger: FastifyServerOptions['logger'] = true, requestTimeout = REQUEST_TIMEOUT_MS): FastifyHttpOptions<RawServerDefault> {
  const fromProxy = trustedPeer(config.trustProxy)
  return {
    logger,
    // One line per request is written by the request pipeline (pipeline/request-line.ts) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: every line we write names its request as requestId already, and
    // binding Fastify's reqId as well cost each request a pino child and each line a duplicate field.
    childLoggerFactory: (logger) => logger,
    bodyLimit: config.bodyLimit,
    // request.ip (failed-auth budget, audit lines) is X-Forwarded-For's client only behind a trusted proxy.
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // A trusted reverse proxy (TRUST_PROXY) may pass the id it logged; anyone else gets a fresh one, so a
    // client cannot plant ids in our logs.
    requestIdHeader: false,
    genReqId: (request) => {
      const id = request.headers['x-request-id']
      return typeof id === 'string' && REQUEST_ID.test(id) && fromProxy(request.socket?.remoteAddress) ? id : randomUUID()
    },
    requestTimeout,
    // Node 20 enforces requestTimeout only when the server is created with it, and looks every
    // connectionsCheckingInterval (default 30 s); Fastify sets it afterwards, which slow bodies outlive.
    http: { requestTimeout, connectionsCheckingInterval: 1000 },
    connectionTimeout: 30_000,
    // Each route's schemas compile on its first request, not at start-up (src/lazy-compilers.ts).
    schemaController: lazySchemaController,
    ajv: { customOptions: REQUEST_AJV_OPTIONS },
    // Malformed URLs: a problem+json 400 that never quotes the URL (plugins/error-handler.ts).
    frameworkErrors: frameworkError
  }
}

/**
 * A safety net only: our log lines are built from known fields and never carry these. Wildcard paths
 * would cost every line a deep walk, so only top-level and header paths are listed.
 */
export const LOG_REDACTIONS = ['req.headers.authorization', 'headers.authorization', 'authorization', 'token', 'apiKey', 'secret']

async function app (fastify: FastifyInstance, opts: AppOptions) {
  const { config } = opts
  // The API speaks JSON only: anything else is a 415, not a string the schema then rejects.
  fastify.removeContentTypeParser('text/plain')
  await fastify.register(readiness)
  await fastify.register(errorHandler)
  // Before the routes: they document and time every route registered after them.
  await fastify.register(openapi, { serveDocument: config.apiDocs })
  // Before metrics: a wrong metrics token spends the same failed-auth budget as a wrong API key.
  await fastify.register(rateLimits, { config })
  await fastify.register(metrics, { config })
  // One onRequest, onSend and onResponse hook for headers, request ids, metrics and the request's log line.
  await fastify.register(requestPipeline, { config })
  await fastify.register(corsPolicy, { config })
  await fastify.register(signer, { config })
  await fastify.register(tokenIssuer, { config })
  await fastify.register(oidcAuth, { config })
  await fastify.register(clientAuth, { config })
  await fastify.register(healthRoutes)
  await fastify.register(keyRoutes)
  await fastify.register(tokenRoutes, { config })
  await fastify.register(verifyRoutes, { config })
  await fastify.register(roomRoutes, { config })
  if (config.login) await fastify.register(import('./routes/login.js'), { config })
  if (config.apiDocs) await fastify.register(docsPage)
  if (config.consoleDoctor) await fastify.register(doctorPage, { config })
}

// Not encapsulated, so server.ts and tests reach its decorators (clients.reload, readiness, …).
export default fp(app, { name: 'jitsi-token-service' })
