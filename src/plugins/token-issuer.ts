/**
 * Issuance: the request (already validated and granted) → claims → signature → meeting URL.
 * The signer and settings are fixed at start-up; nothing is built per request.
 */
import fp from 'fastify-plugin'
import { randomUUID } from 'node:crypto'
import type { Config } from '../config.js'
import { issuanceNotes } from '../jitsi/issuance-notes.js'
import { buildClaims, isPatternRoom, type IssuerSettings, type JitsiClaims, type TokenInput } from '../jitsi/claims.js'
import { jaasIssuerSettings, jaasRequestProblems, jaasTokenInput } from '../jitsi/jaas.js'
import { meetingUrl, type MeetingOverrides } from '../jitsi/meeting-url.js'
import { invalidFields } from '../problems.js'

export interface IssuedToken {
  token: string
  url?: string
  room: string
  expiresAt: string
  /** What the caller should know about how Jitsi will read this token. */
  notes?: string[]
  claims: JitsiClaims
}

export interface TokenIssuer {
  issue: (input: TokenInput, meeting?: MeetingOverrides) => Promise<IssuedToken>
}

declare module 'fastify' {
  interface FastifyInstance { tokenIssuer: TokenIssuer }
}

export function issuerSettings (config: Config): IssuerSettings {
  const { topLevelModerator } = config.jwt
  if (config.jwt.jaasAppId) return { ...jaasIssuerSettings(config.jwt.jaasAppId, config.jwt.nbfSkew), topLevelModerator }
  return {
    issuer: config.jwt.appId,
    audience: config.jwt.audience,
    xmppDomain: config.xmppDomain,
    nbfSkew: config.jwt.nbfSkew,
    moderatorAs: 'boolean',
    topLevelModerator
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
      // A pattern names no one room, so, like "*", it has no meeting link.
      const pattern = isPatternRoom(input)
      const notes = issuanceNotes(input)
      return {
        token,
        url: pattern ? undefined : meetingUrl(publicUrl, input.room, token, input.tenant, meeting),
        room: claims.room,
        expiresAt: new Date(claims.exp * 1000).toISOString(),
        ...(notes.length > 0 ? { notes } : {}),
        claims
      }
    }
  })
}, { name: 'token-issuer', dependencies: ['signer'] })
