/**
 * The claim set Prosody and the web client accept, built from a token request.
 * Each rule cites the checklist in jitsi-tokens.md §0.
 */
import { featureClaims, type FeatureClaims, type FeatureFlags } from './features.js'
import { roomClaim } from './room-name.js'

export interface UserInput {
  id?: string
  name?: string
  email?: string
  avatar?: string
  moderator?: boolean
  affiliation?: string
  lobby_bypass?: boolean
  security_bypass?: boolean
}

export interface RoomOptionsInput {
  lobby?: boolean
  password?: string
  /** The wiki's place for it; Jitsi reads it under context.user (§7). */
  security_bypass?: boolean
}

export interface TokenInput {
  room: string
  tenant?: string
  /** Seconds; the caller has already checked it against the limits. */
  ttl: number
  context?: {
    user?: UserInput
    room?: RoomOptionsInput
    features?: FeatureFlags
    group?: string
  }
}

export interface IssuerSettings {
  /** `iss`: JWT_APP_ID, Prosody's default accepted issuer (rule 9). */
  issuer: string
  /** `aud`: always a string (rule 10). */
  audience: string
  /** `sub` when there is no tenant: the XMPP domain, not the public host (rule 11). */
  xmppDomain: string
  /** Seconds `nbf` lies in the past, because Prosody allows no clock skew (rule 7). */
  nbfSkew: number
  /** How moderator is written: core Jitsi reads `true`, JaaS documents the string "true" (§1.7, §4). */
  moderatorAs: 'boolean' | 'string'
}

export interface UserClaims {
  id?: string
  name?: string
  email?: string
  avatar?: string
  moderator?: boolean | 'true' | 'false'
  affiliation?: string
  lobby_bypass?: boolean
  security_bypass?: boolean
}

export interface JitsiClaims {
  iss: string
  aud: string
  sub: string
  room: string
  iat: number
  nbf: number
  exp: number
  jti: string
  context: {
    user: UserClaims
    room?: { lobby?: boolean, password?: string }
    features?: FeatureClaims
    group?: string
  }
}

/** NumericDate: whole seconds since the epoch, never milliseconds (rules 6–8). */
export function numericDate (epochMs: number): number {
  return Math.floor(epochMs / 1000)
}

/** `sub`: the lower-cased tenant for /<tenant>/room URLs, else the XMPP domain (rule 11, §1.4). */
export function subjectClaim (tenant: string | undefined, xmppDomain: string): string {
  return tenant ? tenant.toLowerCase() : xmppDomain
}

/**
 * `context.user`: plain strings, because presence_identity broadcasts every value (§1.5), except the
 * booleans their readers require: moderator (token_affiliation), lobby_bypass and security_bypass
 * (contrib plugins ignore the string "true", §2).
 */
export function userClaims (user: UserInput = {}, roomOptions: RoomOptionsInput = {}, moderatorAs: IssuerSettings['moderatorAs'] = 'boolean'): UserClaims {
  const claims: UserClaims = {}
  for (const key of ['id', 'name', 'email', 'avatar', 'affiliation'] as const) {
    if (user[key] !== undefined) claims[key] = user[key]
  }
  if (user.moderator !== undefined) {
    claims.moderator = moderatorAs === 'string' ? String(user.moderator) as 'true' | 'false' : user.moderator
  }
  if (user.lobby_bypass !== undefined) claims.lobby_bypass = user.lobby_bypass
  const securityBypass = user.security_bypass ?? roomOptions.security_bypass
  if (securityBypass !== undefined) claims.security_bypass = securityBypass
  return claims
}

/** `context.room` as token_security_ondemand reads it: `lobby` a boolean, `password` a string (§2). */
export function roomOptionClaims (roomOptions: RoomOptionsInput = {}): JitsiClaims['context']['room'] {
  const claims: { lobby?: boolean, password?: string } = {}
  if (roomOptions.lobby !== undefined) claims.lobby = roomOptions.lobby
  if (roomOptions.password !== undefined) claims.password = roomOptions.password
  return Object.keys(claims).length > 0 ? claims : undefined
}

export function buildClaims (input: TokenInput, settings: IssuerSettings, nowMs: number, jti: string): JitsiClaims {
  const iat = numericDate(nowMs)
  const context: JitsiClaims['context'] = {
    // Always present: the web client flags a token without `context` (§3.5).
    user: userClaims(input.context?.user, input.context?.room, settings.moderatorAs)
  }
  const roomOptions = roomOptionClaims(input.context?.room)
  if (roomOptions) context.room = roomOptions
  if (input.context?.features) context.features = featureClaims(input.context.features)
  if (input.context?.group !== undefined) context.group = input.context.group
  return {
    iss: settings.issuer,
    aud: settings.audience,
    sub: subjectClaim(input.tenant, settings.xmppDomain),
    room: roomClaim(input.room),
    iat,
    nbf: iat - settings.nbfSkew,
    exp: iat + input.ttl,
    jti,
    context
  }
}
