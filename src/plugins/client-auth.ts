/**
 * Who is asking: `Authorization: Bearer <api key>` resolved to a client and its grant.
 * Missing or unknown keys get 401 with WWW-Authenticate; failed attempts are limited per IP so keys
 * cannot be guessed; the clients file is reloaded on demand (SIGHUP) without dropping requests.
 */
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { findByApiKey, hashApiKey } from '../clients/api-keys.js'
import { readClientsFile, type Client } from '../clients/clients-file.js'
import { FULL_GRANTS, type Grants } from '../clients/grants.js'
import { ProblemError } from '../problems.js'
import { isIdpToken } from '../oidc/bearer-kind.js'
import type { IdpIdentity } from '../oidc/identity.js'

export interface Caller {
  /** Client id, written on every audit line. */
  id: string
  kind: 'api-key' | 'oidc'
  grants: Grants
  /** OIDC callers: the person from the identity-provider token (plugins/oidc-auth.ts). */
  identity?: IdpIdentity
}

export interface ClientRegistry {
  readonly count: number
  /** Re-reads CLIENTS_FILE; on error keeps the clients it has and rethrows. */
  reload: () => void
}

declare module 'fastify' {
  interface FastifyInstance {
    clients: ClientRegistry
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  }
  interface FastifyRequest { caller?: Caller }
}

const REALM = 'Bearer realm="jitsi-token-service"'

function unauthorized (reason: string, detail: string, invalidToken: boolean) {
  return new ProblemError(401, reason, detail, undefined, {
    'www-authenticate': invalidToken ? `${REALM}, error="invalid_token"` : REALM
  })
}

export function bearerToken (header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header ?? '')
  return match?.[1]
}

function initialClients (config: Config): Client[] {
  if (config.clientsFile) return readClientsFile(config.clientsFile)
  if (config.developmentApiKey) return [{ id: 'development', apiKeySha256: hashApiKey(config.developmentApiKey), grants: FULL_GRANTS }]
  return []
}

export default fp(async function clientAuth (fastify, opts: { config: Config }) {
  const { config } = opts
  let clients = initialClients(config)
  fastify.decorate('clients', {
    get count () { return clients.length },
    reload () {
      if (config.clientsFile) clients = readClientsFile(config.clientsFile)
    }
  })

  // Counts only failures, per IP: a caller with a valid key is never slowed by this.
  const authFailures = fastify.createRateLimit({ max: config.rateLimit.authFailures, timeWindow: config.rateLimit.window })

  fastify.decorate('authenticate', async function authenticate (request: FastifyRequest) {
    // Peek without counting: the budget is spent only by failures.
    const limit = await authFailures(request, { increment: false })
    if (!limit.isAllowed && limit.remaining === 0) {
      throw new ProblemError(429, 'rate_limited', 'Too many failed authentications from this address; try again later.', undefined, {
        'retry-after': String(limit.ttlInSeconds)
      })
    }
    const apiKey = bearerToken(request.headers.authorization)
    if (apiKey === undefined) {
      throw unauthorized('missing_credentials', 'Send an API key as "Authorization: Bearer <key>".', false)
    }
    // A JWT is an identity-provider token (plugins/oidc-auth.ts); API keys (jts_…) never contain a dot.
    if (fastify.oidc && isIdpToken(apiKey)) {
      const outcome = await fastify.oidc.authenticate(apiKey)
      if ('reason' in outcome) {
        await authFailures(request)
        throw unauthorized(outcome.reason, outcome.detail, true)
      }
      request.caller = outcome
      return
    }
    const client = findByApiKey(apiKey, clients)
    if (!client) {
      await authFailures(request)
      throw unauthorized('invalid_credentials', 'The API key is not valid.', true)
    }
    request.caller = { id: client.id, kind: 'api-key', grants: client.grants }
  })
}, { name: 'client-auth', dependencies: ['@fastify/rate-limit'] })
