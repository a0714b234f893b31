/**
 * The step POST /tokens and Jitsi's login share: the caller's person and grant applied to a token
 * request. Outside the grant it names the fields that are; otherwise it gives the request as minted.
 */
import type { Config } from '../config.js'
import type { TokenInput } from '../jitsi/claims.js'
import { tokenRole } from '../jitsi/feature-defaults.js'
import { withModeratorLobbyBypass } from '../jitsi/lobby-bypass.js'
import { withIdentity } from '../oidc/identity-merge.js'
import type { Caller } from './caller.js'
import type { FieldProblem } from '../schemas/problem.js'
import type { TokenRequest } from '../schemas/token-request.js'
import { grantedFeatures, grantProblems } from './grants.js'
import { identityFieldProblems, withAllowedIdentityFields } from './identity-fields.js'

export type CallerGrant<T> = { granted: T & TokenInput, outside?: undefined } | { granted?: undefined, outside: FieldProblem[] }

/** An identity provider's person keeps only the identity fields the grant lets every participant see. */
function identityWithinGrant<T extends TokenRequest> (body: T, caller: Caller): T {
  if (!caller.identity) return body
  // withIdentity has put the person into context.user.
  const user = withAllowedIdentityFields(body.context!.user!, caller.grants, tokenRole(body.context?.user))
  return { ...body, context: { ...body.context, user } }
}

export function applyCallerGrant<T extends TokenRequest> (request: T, caller: Caller, jwt: Config['jwt']): CallerGrant<T> {
  // Frontend (OIDC) callers and logins: the person comes from their identity-provider token, not the request.
  const { grants } = caller
  const body = identityWithinGrant(withIdentity(request, caller.identity), caller)
  const role = tokenRole(body.context?.user)
  // Without an explicit ttl, the default never exceeds what the client is granted.
  const ttl = body.ttl ?? Math.min(jwt.ttl, grants.maxTtl ?? jwt.ttl)
  const outside = [...grantProblems({ ...body, ttl }, grants), ...identityFieldProblems(body.context?.user, grants, role)]
  if (outside.length > 0) return { outside }
  // Feature defaults follow the role the token gives, so a moderator keeps a moderator's defaults.
  const context = { ...body.context, features: grantedFeatures(body.context?.features, grants, jwt.profile, role) }
  // Self-hosted moderators skip the lobby (contrib token_lobby_bypass); JaaS runs its own lobby rules.
  const user = jwt.profile === 'jitsi' ? withModeratorLobbyBypass(body.context?.user) : body.context?.user
  if (user) context.user = user
  return { granted: { ...body, ttl, context } }
}
