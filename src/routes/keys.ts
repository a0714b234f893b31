/**
 * Public keys for verifiers:
 * - GET /asap/<sha256 hex of kid>.pem: what Prosody's `asap_key_server` fetches, an SPKI PEM
 *   (docs/jitsi.md §0 rule 5, §1.2). Set asap_key_server to http://<this service>/asap, no trailing slash.
 * - GET /.well-known/jwks.json: every published key as JWK, for `cache_keys_url` and other consumers.
 * Both read the current key snapshot, so a reload shows at once.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { KEYS_MAX_AGE } from '../keys/key-set.js'
import { sendProblem } from '../plugins/error-handler.js'
import { ProblemSchema } from '../schemas/problem.js'

/** `<sha256 hex of kid>.pem`, the file name Prosody asks a key repository for. */
export const PEM_FILE = /^([0-9a-f]{64})\.pem$/

const JwkSchema = Type.Object({
  kty: Type.Literal('RSA'),
  kid: Type.String(),
  use: Type.Literal('sig'),
  alg: Type.String(),
  n: Type.String(),
  e: Type.String()
})

const keys: FastifyPluginAsyncTypebox = async (fastify) => {
  const cacheControl = `public, max-age=${KEYS_MAX_AGE}`

  fastify.get('/asap/:file', {
    schema: {
      summary: 'Public key for Prosody\'s asap_key_server',
      description: 'The SPKI PEM of the key whose kid hashes (SHA-256, lower-case hex) to the file name.',
      tags: ['keys'],
      params: Type.Object({ file: Type.String({ description: '<sha256 hex of kid>.pem' }) }),
      response: {
        200: { description: 'SPKI public key (-----BEGIN PUBLIC KEY-----)', content: { 'application/x-pem-file': { schema: { type: 'string' } } } },
        404: ProblemSchema
      }
    }
  }, async (request, reply) => {
    const pathId = PEM_FILE.exec(request.params.file)?.[1]
    const key = pathId === undefined ? undefined : fastify.keys.current.byPathId.get(pathId)
    if (!key) {
      return sendProblem(request, reply, { status: 404, reason: 'unknown_key', detail: 'No published key has this id; the file name is the SHA-256 hex of the kid, then .pem.' })
    }
    return reply.type('application/x-pem-file').header('cache-control', cacheControl).send(key.publicPem)
  })

  fastify.get('/.well-known/jwks.json', {
    schema: {
      summary: 'Published public keys (JWKS)',
      description: 'Every key tokens may still be signed with, including retired ones until their tokens expire.',
      tags: ['keys'],
      response: { 200: Type.Object({ keys: Type.Array(JwkSchema) }) }
    }
  }, async (_request, reply) => {
    return reply.header('cache-control', cacheControl).send(fastify.keys.current.jwks)
  })
}

export default keys
