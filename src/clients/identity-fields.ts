/**
 * Which identity fields a client's tokens may carry. mod_presence_identity copies every context.user
 * key into the presence each participant receives (docs/jitsi.md §1.5, §12.4), so an e-mail address in a
 * guest's token is shown to everyone in the room. The operator chooses per grant: `identityFields` for
 * every token, `guestIdentityFields` for participant (non-moderator) tokens.
 */
import type { Role } from '../jitsi/feature-defaults.js'
import type { FieldProblem } from '../schemas/problem.js'

export const IDENTITY_FIELDS = ['id', 'name', 'email', 'avatar'] as const
export type IdentityField = typeof IDENTITY_FIELDS[number]

export interface IdentityGrants {
  identityFields?: IdentityField[]
  guestIdentityFields?: IdentityField[]
}

export function allowedIdentityFields (grants: IdentityGrants, role: Role): readonly IdentityField[] {
  const all = grants.identityFields ?? IDENTITY_FIELDS
  return role === 'participant' && grants.guestIdentityFields ? grants.guestIdentityFields.filter(field => all.includes(field)) : all
}

/** API clients send the person themselves: a field outside the grant is refused, naming it. */
export function identityFieldProblems (user: Partial<Record<IdentityField, unknown>> | undefined, grants: IdentityGrants, role: Role): FieldProblem[] {
  const allowed = allowedIdentityFields(grants, role)
  return IDENTITY_FIELDS
    .filter(field => user?.[field] !== undefined && !allowed.includes(field))
    .map(field => ({
      path: `context.user.${field}`,
      message: `is shown to every participant, and this client's ${role === 'participant' && grants.guestIdentityFields ? 'guestIdentityFields' : 'identityFields'} grant leaves it out of ${role} tokens`
    }))
}

/** An identity provider's person: fields outside the grant are left out of the token, not refused. */
export function withAllowedIdentityFields<U extends Partial<Record<IdentityField, unknown>>> (user: U, grants: IdentityGrants, role: Role): U {
  const allowed = allowedIdentityFields(grants, role)
  const kept = { ...user }
  for (const field of IDENTITY_FIELDS) if (!allowed.includes(field)) delete kept[field]
  return kept
}
