/**
 * A frontend user's token request with the person taken from their identity-provider token. The body may
 * repeat the identity but not change it. Room security and moderator rights are the grant check's job:
 * IdP users who are not moderators get grants without `moderator` (plugins/oidc-auth.ts). Pure; the
 * route calls it before the grant check.
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

export function identityProblems (body: TokenRequest, identity: IdpIdentity): FieldProblem[] {
  const user = body.context?.user
  const problems = IDENTITY_FIELDS
    .filter(field => user?.[field] !== undefined && user[field] !== identity[field])
    .map(field => conflict(`context.user.${field}`, identity[field]))
  // The link's hash would show another name or address before the token's is applied.
  const info = body.meeting?.userInfo
  if (info?.displayName !== undefined && info.displayName !== identity.name) problems.push(conflict('meeting.userInfo.displayName', identity.name))
  if (info?.email !== undefined && info.email !== identity.email) problems.push(conflict('meeting.userInfo.email', identity.email))
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
