/**
 * Who is asking: `Authorization: Bearer <api key>` resolved to a client and its grant.
 * Missing or unknown keys get 401 with WWW-Authenticate. The credential is checked first: a valid one
 * always passes; each failure counts toward the per-address budget (fastify.authFailures), and a
 * caller past it gets 429. The clients file is reloaded on demand (SIGHUP) without dropping requests.
 */
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { findByApiKey, hashApiKey } from '../clients/api-keys.js'
import type { Caller } from '../clients/caller.js'
import { readClientsFile, type Client } from '../clients/clients-file.js'
import { FULL_GRANTS } from '../clients/grants.js'
import { ProblemError } from '../problems.js'
import { isIdpToken } from '../oidc/bearer-kind.js'
import type { OidcAuthenticator } from './oidc-auth.js'

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

  // The caller's own identity provider being away counts too: each such answer cost us a check.
  const idpCaller = async (request: FastifyRequest, oidc: OidcAuthenticator, token: string) => {
    const outcome = await oidc.authenticate(token).catch(async (error: ProblemError) => { throw await fastify.authFailures.count(request, error) })
    if ('reason' in outcome) throw await fastify.authFailures.count(request, unauthorized(outcome.reason, outcome.detail, true))
    return outcome
  }

  fastify.decorate('authenticate', async function authenticate (request: FastifyRequest) {
    const apiKey = bearerToken(request.headers.authorization)
    // No credential is not a guess: 401, not counted.
    if (apiKey === undefined) {
      throw unauthorized('missing_credentials', 'Send an API key as "Authorization: Bearer <key>".', false)
    }
    // A JWT is an identity-provider token (plugins/oidc-auth.ts); API keys (jts_…) never contain a dot.
    if (fastify.oidc && isIdpToken(apiKey)) {
      request.caller = await idpCaller(request, fastify.oidc, apiKey)
      return
    }
    const client = findByApiKey(apiKey, clients)
    // A rotated-out key past its grace period is as wrong as any other.
    if (!client || client.expiresAt! <= Date.now()) throw await fastify.authFailures.count(request, unauthorized('invalid_credentials', 'The API key is not valid.', true))
    request.caller = { id: client.id, kind: 'api-key', grants: client.grants }
  })
}, { name: 'client-auth', dependencies: ['rate-limits'] })
