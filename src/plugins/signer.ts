/**
 * Signs claim sets. HS* goes through @fastify/jwt with its signer built once at registration
 * (passing options per call would build a new fast-jwt signer every time). The header is
 * {alg, typ: "JWT"} as Prosody requires (jitsi-tokens.md §0 rules 1–2).
 */
import fp from 'fastify-plugin'
import fastifyJwt from '@fastify/jwt'
import type { Config } from '../config.js'
import type { SigningAlgorithm } from '../jitsi/algorithms.js'

export interface Signer {
  algorithm: SigningAlgorithm
  sign: (claims: object) => Promise<string>
}

declare module 'fastify' {
  interface FastifyInstance { signer: Signer }
}

export default fp(async function signer (fastify, opts: { config: Config }) {
  const { algorithm, secret } = opts.config.jwt
  if (secret === undefined) throw new Error(`no signing key for ${algorithm}`)
  await fastify.register(fastifyJwt, { secret, sign: { algorithm } })
  fastify.decorate('signer', {
    algorithm,
    sign: async (claims: object) => fastify.jwt.sign(claims)
  })
}, { name: 'signer' })
