/**
 * Issuance: the request (already validated and granted) → claims → signature → meeting URL.
 * The signer and settings are fixed at start-up; nothing is built per request.
 */
import fp from 'fastify-plugin'
import { randomUUID } from 'node:crypto'
import type { Config } from '../config.js'
import { buildClaims, type IssuerSettings, type JitsiClaims, type TokenInput } from '../jitsi/claims.js'
import { jaasIssuerSettings, jaasRequestProblems, jaasTokenInput } from '../jitsi/jaas.js'
import { meetingUrl, type MeetingOverrides } from '../jitsi/meeting-url.js'
import { invalidFields } from '../problems.js'

export interface IssuedToken {
  token: string
  url?: string
  room: string
  expiresAt: string
  claims: JitsiClaims
}

export interface TokenIssuer {
  issue: (input: TokenInput, meeting?: MeetingOverrides) => Promise<IssuedToken>
}

declare module 'fastify' {
  interface FastifyInstance { tokenIssuer: TokenIssuer }
}

export function issuerSettings (config: Config): IssuerSettings {
  if (config.jwt.jaasAppId) return jaasIssuerSettings(config.jwt.jaasAppId, config.jwt.nbfSkew)
  return {
    issuer: config.jwt.appId,
    audience: config.jwt.audience,
    xmppDomain: config.xmppDomain,
    nbfSkew: config.jwt.nbfSkew,
    moderatorAs: 'boolean'
  }
}

export default fp(async function tokenIssuer (fastify, opts: { config: Config }) {
  const settings = issuerSettings(opts.config)
  const { publicUrl } = opts.config
  const { jaasAppId } = opts.config.jwt
  fastify.decorate('tokenIssuer', {
    async issue (input, meeting) {
      if (jaasAppId) {
        const problems = jaasRequestProblems(input, jaasAppId)
        if (problems.length > 0) throw invalidFields(problems)
        input = jaasTokenInput(input, jaasAppId)
      }
      const claims = buildClaims(input, settings, Date.now(), randomUUID())
      const token = await fastify.signer.sign(claims)
      return {
        token,
        url: meetingUrl(publicUrl, input.room, token, input.tenant, meeting),
        room: claims.room,
        expiresAt: new Date(claims.exp * 1000).toISOString(),
        claims
      }
    }
  })
}, { name: 'token-issuer', dependencies: ['signer'] })
