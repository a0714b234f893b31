/**
 * A client's grant and the check of a token request against it. Pure: the route calls it with the
 * authenticated caller and refuses with 403 naming every field outside the grant. Nothing is clamped.
 */
import type { FieldProblem } from '../schemas/problem.js'
import { isEnabled, KNOWN_FEATURES, type FeatureFlags } from '../jitsi/features.js'
import { jitsiRoomName, roomClaim, tenantClaim, WILDCARD_ROOM } from '../jitsi/room-name.js'
import { featuresWithin, OWNER_AFFILIATIONS, type Profile, type Role } from '../jitsi/feature-defaults.js'
import { customUserClaims, isKnownUserClaim } from '../jitsi/user-claims.js'
import type { IdentityGrants } from './identity-fields.js'

export interface Grants extends IdentityGrants {
  /**
   * Glob patterns (`*` = any run of characters), matched against the emitted `room` claim
   * (percent-decoded); each pattern is normalised like the claim (NFKC, then lower-case), so case
   * rules agree with the room the token is valid in. See docs/grants.md.
   */
  rooms: string[]
  /** May ask for room `*` (a token valid in every room). */
  wildcardRoom: boolean
  /** Tenants it may use; `*` = any. Without it, only tokens without a tenant. */
  tenants?: string[]
  /** May make someone moderator/owner. */
  moderator: boolean
  /** Feature names it may enable; `*` = every known feature. Disabling is always allowed. */
  features: string[]
  /** Longest lifetime in seconds (never above JWT_MAX_TTL). */
  maxTtl?: number
  /** Custom context.user claims it may send (names checked at load: jitsi/user-claims.ts). */
  userClaims?: string[]
  /** Meeting control it may use on the rooms and tenants above (routes/rooms.ts); none by default. */
  control?: ControlAction[]
}

export const CONTROL_ACTIONS = ['end', 'kick', 'read', 'message'] as const
export type ControlAction = typeof CONTROL_ACTIONS[number]

export const FULL_GRANTS: Grants = { rooms: ['*'], wildcardRoom: true, tenants: ['*'], moderator: true, features: ['*'] }

/** A pattern's literal pieces between its `*`s, each normalised as the claim is. */
const globCache = new Map<string, string[]>()

function globPieces (pattern: string): string[] {
  let pieces = globCache.get(pattern)
  if (!pieces) {
    // Split before normalising: a `＊` in a pattern is a literal (that no claim contains), not a `*`.
    pieces = pattern.split('*').map(jitsiRoomName)
    globCache.set(pattern, pieces)
  }
  return pieces
}

/**
 * Does the glob match the whole name? Greedy and linear: each literal piece is found at its leftmost
 * place after the previous one, which leaves the most room for the rest, so no choice is ever revisited
 * (a regular expression `.*a.*a.*b` backtracks polynomially, and a pattern from config may hold many `*`).
 */
export function globMatches (pattern: string, name: string): boolean {
  const pieces = globPieces(pattern)
  const first = pieces[0]!
  if (pieces.length === 1) return name === first
  if (!name.startsWith(first)) return false
  let at = first.length
  for (const piece of pieces.slice(1, -1)) {
    const found = name.indexOf(piece, at)
    if (found === -1) return false
    at = found + piece.length
  }
  const last = pieces[pieces.length - 1]!
  return name.length - last.length >= at && name.endsWith(last)
}

export interface GrantedRequest {
  room: string
  tenant?: string
  ttl: number
  context?: {
    user?: { moderator?: boolean, affiliation?: string, lobby_bypass?: boolean, security_bypass?: boolean, lobby?: boolean, 'hidden-from-recorder'?: boolean, 'video-hidden-from-recorder'?: boolean }
    room?: { lobby?: boolean, password?: string, security_bypass?: boolean, lobby_autostart?: boolean, regex?: boolean }
    features?: FeatureFlags
  }
}

/** The grant decides on the claim as emitted (decoded), never on the spelling of the request. */
export function roomGrantProblem (room: string, grants: Grants): FieldProblem | undefined {
  const claim = roomClaim(room)
  if (claim === WILDCARD_ROOM) {
    return grants.wildcardRoom ? undefined : { path: 'room', message: 'a wildcard room ("*") is not granted to this client' }
  }
  // "abc" + U+0327 is the room "abç", so "abc*" must not match it (docs/jitsi.md §3.4).
  const name = decodeURIComponent(claim)
  if (grants.rooms.some(pattern => globMatches(pattern, name))) return undefined
  return { path: 'room', message: `is not among the rooms granted to this client (${grants.rooms.join(', ') || 'none'})` }
}

export function tenantGrantProblem (tenant: string | undefined, grants: Grants): FieldProblem | undefined {
  const tenants = grants.tenants ?? []
  if (tenants.includes('*')) return undefined
  if (tenant === undefined) {
    return tenants.length === 0 ? undefined : { path: 'tenant', message: `is required: this client may only issue tokens for tenants ${tenants.join(', ')}` }
  }
  // Compared as emitted (sub and the URL path), so a grant never names another spelling of the tenant.
  if (tenants.some(granted => tenantClaim(granted) === tenantClaim(tenant))) return undefined
  return { path: 'tenant', message: tenants.length === 0 ? 'this client may not issue tokens for a tenant' : `is not among the tenants granted to this client (${tenants.join(', ')})` }
}

/** Where the moderator grant is set, for a refusal that says how to change it. */
const MODERATOR_GRANT = 'its grant has moderator: false (set grants.moderator: true in CLIENTS_FILE, or add the client with jitsi-token-service client add --moderator)'

export function moderatorGrantProblems (user: { moderator?: boolean, affiliation?: string } | undefined, grants: Grants): FieldProblem[] {
  if (grants.moderator || !user) return []
  const problems: FieldProblem[] = []
  if (user.moderator === true) problems.push({ path: 'context.user.moderator', message: `this client may not grant moderator rights: ${MODERATOR_GRANT}` })
  if (user.affiliation !== undefined && OWNER_AFFILIATIONS.includes(user.affiliation)) {
    problems.push({ path: 'context.user.affiliation', message: `"${user.affiliation}" makes the user owner, which this client may not grant: ${MODERATOR_GRANT}` })
  }
  return problems
}

/**
 * Room security is a room control too: skipping the lobby or password (token_lobby_bypass,
 * token_security_ondemand) or creating/removing them (context.room) needs the moderator grant (§2).
 */
export function roomSecurityGrantProblems (context: GrantedRequest['context'], grants: Grants): FieldProblem[] {
  if (grants.moderator || !context) return []
  const message = 'changes or bypasses room security, which needs the moderator grant'
  const fields: Array<[string, unknown]> = [
    ['context.user.lobby_bypass', context.user?.lobby_bypass === true],
    ['context.user.security_bypass', context.user?.security_bypass === true],
    ['context.room.security_bypass', context.room?.security_bypass === true],
    ['context.room.lobby', context.room?.lobby !== undefined],
    ['context.room.password', context.room?.password !== undefined],
    // Contrib's token_lobby_ondemand and token_lobby_autostart: either value controls the lobby.
    ['context.user.lobby', context.user?.lobby !== undefined],
    ['context.room.lobby_autostart', context.room?.lobby_autostart !== undefined]
  ]
  return fields.filter(([, outside]) => outside).map(([path]) => ({ path, message }))
}

/** Leaving a user (or their video) out of recordings hides them from what the moderators record: a moderator's power. */
export function hiddenFromRecorderGrantProblems (user: { 'hidden-from-recorder'?: boolean, 'video-hidden-from-recorder'?: boolean } | undefined, grants: Grants): FieldProblem[] {
  if (grants.moderator || !user) return []
  const problems: FieldProblem[] = []
  if (user['hidden-from-recorder'] === true) problems.push({ path: 'context.user.hidden-from-recorder', message: 'hides the user from recordings, which needs the moderator grant' })
  if (user['video-hidden-from-recorder'] === true) problems.push({ path: 'context.user.video-hidden-from-recorder', message: 'hides the user\'s video from recordings, which needs the moderator grant' })
  return problems
}

/** A room pattern opens every room it matches, so only a client that may open every room may ask for one. */
export function roomPatternGrantProblem (grants: Grants): FieldProblem | undefined {
  return grants.wildcardRoom ? undefined : { path: 'context.room.regex', message: 'a room pattern opens every room it matches, so it needs the wildcard-room grant' }
}

/** Custom context.user claims: each must be named in grants.userClaims. */
export function userClaimGrantProblems (user: object | undefined, grants: Grants): FieldProblem[] {
  return Object.keys(customUserClaims(user))
    .filter(name => !(grants.userClaims ?? []).includes(name))
    .map(name => ({
      path: `context.user.${name}`,
      message: isKnownUserClaim(name)
        ? 'is spelled like a claim Jitsi reads, which this service sets only through its own field'
        : 'is not a known field, nor a custom user claim granted to this client (grants.userClaims)'
    }))
}

export function featureGrantProblems (features: FeatureFlags | undefined, grants: Grants): FieldProblem[] {
  if (!features || grants.features.includes('*')) return []
  return KNOWN_FEATURES
    .filter(name => isEnabled(features[name]) && !grants.features.includes(name))
    .map(name => ({ path: `context.features.${name}`, message: 'this client may not enable this feature' }))
}

export function ttlGrantProblem (ttl: number, grants: Grants): FieldProblem | undefined {
  if (grants.maxTtl === undefined || ttl <= grants.maxTtl) return undefined
  return { path: 'ttl', message: `must be at most ${grants.maxTtl} seconds for this client` }
}

/** Every field of the request that lies outside the grant; empty when the grant covers it all. */
export function grantProblems (request: GrantedRequest, grants: Grants): FieldProblem[] {
  return [
    request.context?.room?.regex === true ? roomPatternGrantProblem(grants) : roomGrantProblem(request.room, grants),
    tenantGrantProblem(request.tenant, grants),
    ...moderatorGrantProblems(request.context?.user, grants),
    ...roomSecurityGrantProblems(request.context, grants),
    ...hiddenFromRecorderGrantProblems(request.context?.user, grants),
    ...userClaimGrantProblems(request.context?.user, grants),
    ...featureGrantProblems(request.context?.features, grants),
    ttlGrantProblem(request.ttl, grants)
  ].filter((problem): problem is FieldProblem => problem !== undefined)
}

/**
 * The features a token carries: a client granted every feature leaves the choice to Jitsi; any other
 * gets Jitsi's own defaults for the token's role minus what it is not granted (jitsi/feature-defaults.ts).
 */
export function grantedFeatures (features: FeatureFlags | undefined, grants: Grants, profile: Profile = 'jitsi', role: Role = 'participant'): FeatureFlags | undefined {
  if (grants.features.includes('*')) return features
  return featuresWithin(features, name => grants.features.includes(name), role, profile)
}
