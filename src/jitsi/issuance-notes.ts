/**
 * What the caller of POST /tokens should know about how Jitsi will read a token it was given: not
 * errors (the token is what was asked for), but deployments on which it behaves differently.
 */
import { isPatternRoom, type TokenInput } from './claims.js'
import { hyphenNote, PATTERN_NOTE, patternCaseNote } from './room-pattern.js'
import { tenantClaim } from './room-name.js'

/**
 * Prosody 13.0.3+ refuses `_` in a domain name, and a tenant becomes part of the MUC domain
 * (conference.<tenant>.<domain>): docker-jitsi-meet patches that check out (#2197, #2208, #2223),
 * plain Prosody installs do not (docs/jitsi.md §12.4).
 */
export const UNDERSCORE_TENANT_NOTE = 'tenant contains "_": Prosody 13.0.3 and later refuse "_" in domain names, and the tenant becomes part of the conference domain (conference.<tenant>.<domain>). docker-jitsi-meet patches this check out; a plain Prosody 13.0.3+ install (Debian, Ubuntu, Prosody\'s own packages) refuses the join. Prefer "-".'

export function issuanceNotes (input: TokenInput): string[] {
  const notes: string[] = []
  if (isPatternRoom(input)) notes.push(PATTERN_NOTE, ...[patternCaseNote(input.room), hyphenNote(input.room)].filter(note => note !== undefined))
  if (input.tenant !== undefined && tenantClaim(input.tenant).includes('_')) notes.push(UNDERSCORE_TENANT_NOTE)
  return notes
}
