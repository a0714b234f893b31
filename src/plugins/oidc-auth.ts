/**
 * Frontend callers: `Authorization: Bearer <identity-provider JWT>` verified against OIDC_ISSUER and
 * turned into a caller with the OIDC grant and the person's identity. plugins/client-auth.ts sends
 * JWT-shaped bearers here, counts refusals toward its per-IP failure limit and answers them 401.
 */
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import type { Caller } from '../clients/caller.js'
import { ProblemError } from '../problems.js'
import { idpIdentity, type IdpIdentity } from '../oidc/identity.js'
import type { OidcConfig } from '../oidc/oidc-config.js'
import type { Rejection } from '../oidc/verifier.js'

export interface OidcAuthenticator {
  /** The caller for a valid token, or why it is refused; throws a 503 problem when the IdP's keys cannot be fetched. */
  authenticate: (token: string) => Promise<Caller | Rejection>
}

declare module 'fastify' {
  interface FastifyInstance {
    /** null when OIDC_ISSUER is not set. */
    oidc: OidcAuthenticator | null
  }
}

const NO_SUBJECT: Rejection = { reason: 'idp_token_claims', detail: 'The identity-provider token names no user (sub).' }

/** The caller an IdP user is, for POST /tokens and the login alike: moderator rights come only from the IdP's claim. */
export function oidcCallers (oidc: OidcConfig): (identity: IdpIdentity) => Caller {
  const memberGrants = Object.freeze({ ...oidc.grants, moderator: false })
  const moderatorGrants = Object.freeze({ ...oidc.grants, moderator: true })
  return identity => ({ id: `oidc:${identity.id}`, kind: 'oidc', grants: identity.moderator ? moderatorGrants : memberGrants, identity })
}

export default fp(async function oidcAuth (fastify, opts: { config: Config }) {
  const oidc = opts.config.oidc
  if (!oidc) {
    fastify.decorate('oidc', null)
    return
  }
  // Loaded only when OIDC_ISSUER is set: jose and the remote key sets cost the others nothing.
  const { createIdpVerifier } = await import('../oidc/verifier.js')
  const verify = createIdpVerifier(oidc)
  const callerFor = oidcCallers(oidc)

  fastify.decorate<OidcAuthenticator>('oidc', {
    async authenticate (token) {
      let verification
      try {
        verification = await verify(token)
      } catch (error) {
        const unavailable = new ProblemError(503, 'idp_unavailable', 'The identity provider\'s keys could not be fetched to check the token; try again later.')
        // Logged by the error handler (5xx): the operator needs the IdP's answer, the caller does not.
        unavailable.cause = error
        throw unavailable
      }
      if ('rejected' in verification) return verification.rejected
      const identity = idpIdentity(verification.claims, oidc.moderator)
      if (!identity) return NO_SUBJECT
      return callerFor(identity)
    }
  })
}, { name: 'oidc-auth' })
