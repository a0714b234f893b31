/**
 * The step POST /tokens and Jitsi's login share: the caller's person and grant applied to a token
 * request. Outside the grant it names the fields that are; otherwise it gives the request as minted.
 */
import type { Config } from '../config.js'
import type { TokenInput } from '../jitsi/claims.js'
import { tokenRole } from '../jitsi/feature-defaults.js'
import { withModeratorLobbyBypass } from '../jitsi/lobby-bypass.js'
import { withIdentity } from '../oidc/identity-merge.js'
import type { Caller } from '../plugins/client-auth.js'
import type { FieldProblem } from '../schemas/problem.js'
import type { TokenRequest } from '../schemas/token-request.js'
import { grantedFeatures, grantProblems } from './grants.js'

export type CallerGrant<T> = { granted: T & TokenInput, outside?: undefined } | { granted?: undefined, outside: FieldProblem[] }

export function applyCallerGrant<T extends TokenRequest> (request: T, caller: Caller, jwt: Config['jwt']): CallerGrant<T> {
  // Frontend (OIDC) callers and logins: the person comes from their identity-provider token, not the request.
  const body = withIdentity(request, caller.identity)
  const { grants } = caller
  // Without an explicit ttl, the default never exceeds what the client is granted.
  const ttl = body.ttl ?? Math.min(jwt.ttl, grants.maxTtl ?? jwt.ttl)
  const outside = grantProblems({ ...body, ttl }, grants)
  if (outside.length > 0) return { outside }
  // Feature defaults follow the role the token gives, so a moderator keeps a moderator's defaults.
  const role = tokenRole(body.context?.user)
  const context = { ...body.context, features: grantedFeatures(body.context?.features, grants, jwt.profile, role) }
  // Self-hosted moderators skip the lobby (contrib token_lobby_bypass); JaaS runs its own lobby rules.
  const user = jwt.profile === 'jitsi' ? withModeratorLobbyBypass(body.context?.user) : body.context?.user
  if (user) context.user = user
  return { granted: { ...body, ttl, context } }
}
