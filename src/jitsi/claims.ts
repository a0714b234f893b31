/**
 * The claim set Prosody and the web client accept, built from a token request.
 * Each rule cites the checklist in docs/jitsi.md §0.
 */
import { tokenRole } from './feature-defaults.js'
import { featureClaims, type FeatureClaims, type FeatureFlags } from './features.js'
import { roomClaim } from './room-name.js'
import { customUserClaims } from './user-claims.js'

export interface UserInput {
  id?: string
  name?: string
  email?: string
  avatar?: string
  moderator?: boolean
  affiliation?: string
  lobby_bypass?: boolean
  security_bypass?: boolean
  'hidden-from-recorder'?: boolean
  'video-hidden-from-recorder'?: boolean
  role?: string
  lobby?: boolean
}

export interface RoomOptionsInput {
  lobby?: boolean
  password?: string
  /** The wiki's place for it; Jitsi reads it under context.user (§7). */
  security_bypass?: boolean
  lobby_autostart?: boolean
  /** `room` is a Lua pattern (docs/jitsi.md §1.4). */
  regex?: boolean
}

export interface TokenInput {
  room: string
  tenant?: string
  /** Seconds; the caller has already checked it against the limits. */
  ttl: number
  /** Seconds since 1970: not valid before then (a guest invitation before its meeting starts); default now. */
  notBefore?: number
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
  /** JWT_TOP_LEVEL_MODERATOR: also a top-level boolean `moderator`, where the community token_moderation plugin reads it (§2). */
  topLevelModerator?: boolean
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
  'hidden-from-recorder'?: boolean
  'video-hidden-from-recorder'?: boolean
  role?: string
  lobby?: boolean
  /** Custom claims granted to the client (grants.userClaims). */
  [custom: string]: string | boolean | undefined
}

export interface RoomOptionClaims {
  lobby?: boolean
  password?: string
  lobby_autostart?: boolean
  regex?: true
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
  moderator?: boolean
  context: {
    user: UserClaims
    room?: RoomOptionClaims
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
 * booleans their readers require: moderator (token_affiliation), lobby_bypass, security_bypass and
 * lobby (contrib plugins ignore the string "true", §2), hidden-from-recorder and video-hidden-from-recorder
 * (true or "true" for the web client and the recorder, §3.2, §12). role is the string "visitor". Granted custom claims follow as sent.
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
  for (const key of ['hidden-from-recorder', 'video-hidden-from-recorder'] as const) {
    if (user[key] !== undefined) claims[key] = user[key]
  }
  if (user.role !== undefined) claims.role = user.role
  if (user.lobby !== undefined) claims.lobby = user.lobby
  return { ...claims, ...customUserClaims(user) }
}

/**
 * `context.room` as its readers take it: `lobby` a boolean and `password` a string (token_security_ondemand),
 * `lobby_autostart` a boolean (token_lobby_autostart acts on false only), `regex` true (§1.4, §2).
 */
export function roomOptionClaims (roomOptions: RoomOptionsInput = {}): RoomOptionClaims | undefined {
  const claims: RoomOptionClaims = {}
  if (roomOptions.lobby !== undefined) claims.lobby = roomOptions.lobby
  if (roomOptions.password !== undefined) claims.password = roomOptions.password
  if (roomOptions.lobby_autostart !== undefined) claims.lobby_autostart = roomOptions.lobby_autostart
  if (roomOptions.regex === true) claims.regex = true
  return Object.keys(claims).length > 0 ? claims : undefined
}

/** A pattern room claim is kept as written: Lua pattern classes are case-sensitive (§1.4). */
export function isPatternRoom (input: Pick<TokenInput, 'context'>): boolean {
  return input.context?.room?.regex === true
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
    room: isPatternRoom(input) ? input.room : roomClaim(input.room),
    iat,
    nbf: (input.notBefore ?? iat) - settings.nbfSkew,
    exp: iat + input.ttl,
    jti,
    // token_moderation sets the role from this alone, so an owner affiliation must say true here too.
    ...(settings.topLevelModerator ? { moderator: tokenRole(input.context?.user) === 'moderator' } : {}),
    context
  }
}
