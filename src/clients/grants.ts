/**
 * A client's grant and the check of a token request against it. Pure: the route calls it with the
 * authenticated caller and refuses with 403 naming every field outside the grant. Nothing is clamped.
 */
import type { FieldProblem } from '../schemas/problem.js'
import { isEnabled, KNOWN_FEATURES, type FeatureFlags } from '../jitsi/features.js'
import { WILDCARD_ROOM } from '../jitsi/room-name.js'
import { featuresWithin, type Profile, type Role } from '../jitsi/feature-defaults.js'
import { customUserClaims, isKnownUserClaim } from '../jitsi/user-claims.js'

export interface Grants {
  /**
   * Glob patterns (`*` = any run of characters), matched case-insensitively against the room name
   * after NFKC, as Jitsi normalises it: the grant covers the room the token is valid in.
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
}

export const FULL_GRANTS: Grants = { rooms: ['*'], wildcardRoom: true, tenants: ['*'], moderator: true, features: ['*'] }

/** Affiliations token_affiliation turns into owner (jitsi-tokens.md §1.5). */
export const OWNER_AFFILIATIONS = ['owner', 'moderator', 'teacher']

const globCache = new Map<string, RegExp>()

export function globToRegExp (pattern: string): RegExp {
  let regexp = globCache.get(pattern)
  if (!regexp) {
    const source = pattern.normalize('NFKC').split('*').map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')
    regexp = new RegExp(`^${source}$`, 'isu')
    globCache.set(pattern, regexp)
  }
  return regexp
}

export interface GrantedRequest {
  room: string
  tenant?: string
  ttl: number
  context?: {
    user?: { moderator?: boolean, affiliation?: string, lobby_bypass?: boolean, security_bypass?: boolean, lobby?: boolean, 'hidden-from-recorder'?: boolean }
    room?: { lobby?: boolean, password?: string, security_bypass?: boolean, lobby_autostart?: boolean, regex?: boolean }
    features?: FeatureFlags
  }
}

export function roomGrantProblem (room: string, grants: Grants): FieldProblem | undefined {
  if (room === WILDCARD_ROOM) {
    return grants.wildcardRoom ? undefined : { path: 'room', message: 'a wildcard room ("*") is not granted to this client' }
  }
  // NFKC first: "abc" + U+0327 matches "abc*" but is the room "abç" (jitsi-tokens.md §3.4).
  const normalised = room.normalize('NFKC')
  if (grants.rooms.some(pattern => globToRegExp(pattern).test(normalised))) return undefined
  return { path: 'room', message: `is not among the rooms granted to this client (${grants.rooms.join(', ') || 'none'})` }
}

export function tenantGrantProblem (tenant: string | undefined, grants: Grants): FieldProblem | undefined {
  const tenants = grants.tenants ?? []
  if (tenants.includes('*')) return undefined
  if (tenant === undefined) {
    return tenants.length === 0 ? undefined : { path: 'tenant', message: `is required: this client may only issue tokens for tenants ${tenants.join(', ')}` }
  }
  if (tenants.some(granted => granted.toLowerCase() === tenant.toLowerCase())) return undefined
  return { path: 'tenant', message: tenants.length === 0 ? 'this client may not issue tokens for a tenant' : `is not among the tenants granted to this client (${tenants.join(', ')})` }
}

export function moderatorGrantProblems (user: { moderator?: boolean, affiliation?: string } | undefined, grants: Grants): FieldProblem[] {
  if (grants.moderator || !user) return []
  const problems: FieldProblem[] = []
  if (user.moderator === true) problems.push({ path: 'context.user.moderator', message: 'this client may not grant moderator rights' })
  if (user.affiliation !== undefined && OWNER_AFFILIATIONS.includes(user.affiliation)) {
    problems.push({ path: 'context.user.affiliation', message: `"${user.affiliation}" makes the user owner, which this client may not grant` })
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

/** Leaving a user out of recordings hides them from what the moderators record: a moderator's power. */
export function hiddenFromRecorderGrantProblem (user: { 'hidden-from-recorder'?: boolean } | undefined, grants: Grants): FieldProblem | undefined {
  if (grants.moderator || user?.['hidden-from-recorder'] !== true) return undefined
  return { path: 'context.user.hidden-from-recorder', message: 'hides the user from recordings, which needs the moderator grant' }
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
    hiddenFromRecorderGrantProblem(request.context?.user, grants),
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
