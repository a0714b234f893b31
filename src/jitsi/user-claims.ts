/**
 * `context.user` keys: the ones Jitsi and the common plugins read, and the custom ones a client may be
 * granted (grants.userClaims). mod_presence_identity writes every key as an XML element into the
 * presence all participants receive (docs/jitsi.md §1.5), so a custom name must be an XML name and a
 * value a flat string or boolean.
 */

/**
 * What an XML element name in presence can be, kept to ASCII: an NCName, so no ':' — presence declares no
 * namespace prefixes, and `<lms:course>` with an unbound prefix breaks every participant's presence.
 */
export const USER_CLAIM_NAME = '^[A-Za-z_][A-Za-z0-9_.-]*$'

/** The context.user fields POST /tokens takes, each with its own rule and grant. */
export const USER_FIELDS = [
  'id', 'name', 'email', 'avatar', 'moderator', 'affiliation', 'lobby_bypass', 'security_bypass',
  'hidden-from-recorder', 'video-hidden-from-recorder', 'role', 'lobby'
] as const

/** Keys Jitsi reads (the web client prefers avatarUrl to avatar); a custom claim may not take or shadow one. */
export const KNOWN_USER_CLAIMS = [...USER_FIELDS, 'avatarUrl'] as const

const NAME = new RegExp(USER_CLAIM_NAME)

export function isKnownUserClaim (name: string): boolean {
  return KNOWN_USER_CLAIMS.some(known => known.toLowerCase() === name.toLowerCase())
}

/** Why a name cannot be granted as a custom user claim, or undefined when it can. */
export function customUserClaimProblem (name: string): string | undefined {
  if (name.length > 64 || !NAME.test(name)) return `"${name}" is not a valid claim name: use a letter or _ first, then letters, digits, _ . - (at most 64; no ":", which would be an unbound XML namespace prefix in presence)`
  if (isKnownUserClaim(name)) return `"${name}" is a claim Jitsi reads (${KNOWN_USER_CLAIMS.join(', ')}); it has its own field and grant`
  return undefined
}

/** The custom keys of a request's context.user (the schema allows only strings and booleans there). */
export function customUserClaims (user: object | undefined): Record<string, string | boolean> {
  return Object.fromEntries(Object.entries(user ?? {}).filter(([name]) => !(USER_FIELDS as readonly string[]).includes(name)))
}
