/**
 * A frontend user's token request with the person taken from their identity-provider token. The body may
 * repeat the identity but not change it, and only IdP moderators may touch room security, because a
 * browser user writes the body themselves. Pure; the route calls it before the grant check.
 */
import { ProblemError } from '../problems.js'
import type { FieldProblem } from '../schemas/problem.js'
import type { TokenRequest } from '../schemas/token-request.js'
import type { IdpIdentity } from './identity.js'

const IDENTITY_FIELDS = ['id', 'name', 'email', 'avatar'] as const

function conflict (path: string, fromIdp: string | undefined): FieldProblem {
  return {
    path,
    message: fromIdp === undefined
      ? 'is not in your identity-provider token and cannot be set here; leave it out'
      : 'comes from your identity-provider token and cannot be changed here; leave it out'
  }
}

/**
 * Room security a non-moderator must not change or skip: token_security_ondemand removes lobby and
 * password, lobby_bypass/security_bypass walk past them (jitsi-tokens.md §2).
 */
function roomSecurityProblems (context: TokenRequest['context']): FieldProblem[] {
  const asked: Array<[string, boolean]> = [
    ['context.user.lobby_bypass', context?.user?.lobby_bypass === true],
    ['context.user.security_bypass', context?.user?.security_bypass === true],
    ['context.room.security_bypass', context?.room?.security_bypass === true],
    ['context.room.lobby', context?.room?.lobby !== undefined],
    ['context.room.password', context?.room?.password !== undefined]
  ]
  return asked.filter(([, set]) => set).map(([path]) => ({ path, message: 'only users your identity provider marks as moderator may set this' }))
}

export function identityProblems (body: TokenRequest, identity: IdpIdentity): FieldProblem[] {
  const user = body.context?.user
  const problems = IDENTITY_FIELDS
    .filter(field => user?.[field] !== undefined && user[field] !== identity[field])
    .map(field => conflict(`context.user.${field}`, identity[field]))
  // The link's hash would show another name or address before the token's is applied.
  const info = body.meeting?.userInfo
  if (info?.displayName !== undefined && info.displayName !== identity.name) problems.push(conflict('meeting.userInfo.displayName', identity.name))
  if (info?.email !== undefined && info.email !== identity.email) problems.push(conflict('meeting.userInfo.email', identity.email))
  if (!identity.moderator) problems.push(...roomSecurityProblems(body.context))
  return problems
}

/** The body unchanged for API-key callers; for IdP users, with context.user taken from their identity (403 on conflicts). */
export function withIdentity<T extends TokenRequest> (body: T, identity: IdpIdentity | undefined): T {
  if (!identity) return body
  const problems = identityProblems(body, identity)
  if (problems.length > 0) {
    throw new ProblemError(403, 'identity_conflict', 'The person in the token comes from your identity provider; see errors.', problems)
  }
  const { moderator, ...person } = identity
  const user = { ...body.context?.user, ...person }
  // An IdP moderator is moderator unless the body asks for less (moderator: false).
  if (moderator && user.moderator === undefined) user.moderator = true
  return { ...body, context: { ...body.context, user } }
}
