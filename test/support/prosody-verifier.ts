/**
 * Test-only, independent emulation of how Jitsi's Prosody plugins accept a token and
 * let its holder into a MUC room. It is the referee for our tests, so it must never import
 * anything from src/: it re-implements the Lua code with node:crypto only.
 *
 * Sources (line numbers from the verbatim copy ericva01/jitsi-meeting @ aeac810 of
 * jitsi/jitsi-meet master, see docs/jitsi.md §10):
 *   - resources/prosody-plugins/luajwtjitsi.lib.lua       M.verify            L184–261
 *   - resources/prosody-plugins/token/util.lib.lua        Util.new            L55–214
 *                                                         process_and_verify  L264–382
 *                                                         verify_room         L394–523
 *   - resources/prosody-plugins/mod_token_verification.lua verify_user         L63–109
 *
 * Lua semantics that matter and are emulated here:
 *   - a JSON `null` decodes to cjson.null, a *truthy* userdata, so `{"exp": null}` is
 *     "exp must be number"; only `false` and an absent key are falsy;
 *   - `==` is type-strict, so an array `aud` never equals a string;
 *   - string.lower() only lower-cases ASCII;
 *   - numbers are coerced to strings by `..` and string.lower(); other non-strings raise a
 *     runtime error, which makes Prosody drop the request (reported as "Lua runtime error").
 */
import { createHmac, createPublicKey, verify as verifySignature } from 'node:crypto'
import type { KeyObject } from 'node:crypto'

import { roomFromMeetingUrl } from './web-client-room.js'
import type { MeetingRoom } from './web-client-room.js'

export interface ProsodySettings {
  /** `app_id`; Prosody refuses to load token auth without it (util.lib.lua L96–99). */
  appId?: string
  /** `app_secret`: the raw HMAC key (JWT_APP_SECRET in docker). */
  appSecret?: string
  /**
   * Emulates `asap_key_server` serving this PEM for every kid. When set, `app_secret` is
   * ignored and the kid/alg header rules apply (util.lib.lua L278–308).
   */
  publicKeyPem?: string
  /** `signature_algorithm`; default RS256 with a key server, else HS256 (util.lib.lua L120–127). */
  signatureAlgorithm?: string
  /** `asap_accepted_issuers`; default `[appId]` (util.lib.lua L130). */
  acceptedIssuers?: string[]
  /** `asap_accepted_audiences`; default `['*']` (util.lib.lua L133). */
  acceptedAudiences?: string[]
  /** `enable_domain_verification`: Prosody default true (L104), docker default false. */
  enableDomainVerification: boolean
  /** `muc_mapper_domain_base`, the XMPP domain (docker: 'meet.jitsi'). */
  xmppDomain: string
  /** `muc_mapper_domain_prefix`; docker uses 'muc' (Prosody's own default is 'conference'). */
  mucDomainPrefix?: string
  /** `asap_require_room_claim`; default true (util.lib.lua L135). */
  requireRoomClaim?: boolean
}

export type Claims = Record<string, unknown>

export type TokenResult = { ok: true, claims: Claims } | { ok: false, reason: string }

export interface RoomTarget {
  /** The MUC room node the web client joins (already backend-safe). */
  roomNode: string
  /** The tenant, as it appears in the room JID `[tenant]room@muc.<xmppDomain>`. */
  tenant?: string
  /** `?prefix=` that nginx passes to Prosody (the raw tenant); defaults to `tenant ?? ''`. */
  prefix?: string
}

export interface RoomResult {
  ok: boolean
  /** The jitsi.org/jitmeet error element Prosody adds to the error, if any. */
  condition?: string
  reason?: string
  /** A problem Prosody only logs (e.g. 'Tenant differs …'), not a rejection. */
  warning?: string
}

export type JoinResult =
  | { ok: true, claims: Claims, target: MeetingRoom, warning?: string }
  | { ok: false, stage: 'token' | 'room', reason: string, condition?: string, target: MeetingRoom }

export interface VerifyOptions {
  /** The Prosody clock, os.time(), in seconds. Defaults to the current time. */
  now?: number
}

interface Resolved {
  key: string
  usesKeyServer: boolean
  signatureAlgorithm: string
  acceptedIssuers: string[]
  acceptedAudiences: string[]
  enableDomainVerification: boolean
  mucDomainPrefix: string
  mucDomain: string
  requireRoomClaim: boolean
}

/** A runtime error the Lua code would raise (e.g. indexing a number, concatenating a table). */
class LuaError extends Error {}

const ALGORITHMS: Record<string, { kind: 'hmac' | 'rsa', hash: string }> = {
  HS256: { kind: 'hmac', hash: 'sha256' },
  HS384: { kind: 'hmac', hash: 'sha384' },
  HS512: { kind: 'hmac', hash: 'sha512' },
  RS256: { kind: 'rsa', hash: 'sha256' },
  RS384: { kind: 'rsa', hash: 'sha384' },
  RS512: { kind: 'rsa', hash: 'sha512' }
}

function resolveSettings (settings: ProsodySettings): Resolved {
  const acceptedIssuers = settings.acceptedIssuers ?? (settings.appId === undefined ? undefined : [settings.appId])
  if (acceptedIssuers === undefined) {
    throw new Error("ProsodySettings needs appId or acceptedIssuers (Prosody: 'app_id' must not be empty)")
  }
  const key = settings.publicKeyPem ?? settings.appSecret
  if (key === undefined) {
    throw new Error("ProsodySettings needs appSecret or publicKeyPem (Prosody: 'app_secret', 'asap_key_server' or 'cacheKeysUrl' must be specified)")
  }
  const usesKeyServer = settings.publicKeyPem !== undefined
  const mucDomainPrefix = settings.mucDomainPrefix ?? 'muc'
  return {
    key,
    usesKeyServer,
    signatureAlgorithm: settings.signatureAlgorithm ?? (usesKeyServer ? 'RS256' : 'HS256'),
    acceptedIssuers,
    acceptedAudiences: settings.acceptedAudiences ?? ['*'],
    enableDomainVerification: settings.enableDomainVerification,
    mucDomainPrefix,
    mucDomain: `${mucDomainPrefix}.${settings.xmppDomain}`,
    requireRoomClaim: settings.requireRoomClaim ?? true
  }
}

// ---------------------------------------------------------------------------------------------
// Lua value helpers

function luaType (value: unknown): string {
  if (value === undefined) return 'nil'
  if (value === null) return 'userdata' // cjson.null
  if (typeof value === 'object') return 'table'
  return typeof value
}

/** Lua truthiness: only nil and false are falsy (cjson.null and 0 are truthy). */
function truthy (value: unknown): boolean {
  return value !== undefined && value !== false
}

/** `value[key]` for a decoded JSON value. Strings index the string library (none of our keys). */
function luaIndex (value: unknown, key: string, what: string): unknown {
  const type = luaType(value)
  if (type === 'table') {
    return Object.hasOwn(value as object, key) ? (value as Record<string, unknown>)[key] : undefined
  }
  if (type === 'string') return undefined
  throw new LuaError(`attempt to index a ${type} value (${what})`)
}

/** What `..` and string.lower() do with a value: strings pass, numbers are coerced, else error. */
function luaString (value: unknown, what: string): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  throw new LuaError(`attempt to use a ${luaType(value)} value as a string (${what})`)
}

/** Lua arithmetic operand: numbers, or strings that convert to numbers. */
function luaNumber (value: unknown, what: string): number {
  if (typeof value === 'number') return value
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value)
  throw new LuaError(`attempt to perform arithmetic on a ${luaType(value)} value (${what})`)
}

/** string.lower() in the C locale: ASCII only. */
function asciiLower (value: string): string {
  return value.replace(/[A-Z]+/g, letters => letters.toLowerCase())
}

// ---------------------------------------------------------------------------------------------
// luajwtjitsi.lib.lua

/** basexx.from_url64: '=' is skipped anywhere, any other non-alphabet character fails. */
function fromUrl64 (text: string): Buffer | undefined {
  const stripped = text.replaceAll('=', '')
  if (!/^[A-Za-z0-9_-]*$/.test(stripped)) return undefined
  return Buffer.from(stripped, 'base64url')
}

/** cjson_safe.decode(basexx.from_url64(segment)); a failure in either step is an error. */
function decodeSegment (segment: string): { ok: true, value: unknown } | { ok: false } {
  const bytes = fromUrl64(segment)
  if (bytes === undefined) return { ok: false }
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) }
  } catch {
    return { ok: false }
  }
}

/** split_token (L59–65): gmatch "([^\\.]+)" splits on '.' *and* '\', skipping empty pieces. */
function splitToken (token: string): string[] {
  return token.split(/[.\\]/).filter(segment => segment.length > 0)
}

/** verify_claim (L112–123): '*' accepts anything, otherwise type-strict equality. */
function verifyClaim (claim: unknown, accepted: string[]): boolean {
  return accepted.some(value => value === '*' || value === claim)
}

function verifyAlgorithm (algorithm: string, input: string, signature: Buffer, key: string): boolean {
  const { kind, hash } = ALGORITHMS[algorithm] as { kind: 'hmac' | 'rsa', hash: string }
  if (kind === 'hmac') {
    // L48–50: the app secret's bytes are the HMAC key, compared with plain string equality.
    return createHmac(hash, key).update(input).digest().equals(signature)
  }
  // L28–36: luaossl pkey.new() raises on anything that is not a key.
  let publicKey: KeyObject
  try {
    publicKey = createPublicKey(key)
  } catch {
    throw new LuaError('pkey.new: the verification key is not a PEM key')
  }
  return verifySignature(hash, Buffer.from(input), publicKey, signature)
}

/** M.verify(token, expectedAlgo, key, acceptedIssuers, acceptedAudiences), L184–261. */
function luaJwtVerify (token: string, config: Resolved, now: number): TokenResult {
  const fail = (reason: string): TokenResult => ({ ok: false, reason })
  const expectedAlgo = config.signatureAlgorithm
  if (!Object.hasOwn(ALGORITHMS, expectedAlgo)) return fail('Algorithm not supported') // L195–197

  // parse_token, L70–92
  const segments = splitToken(token)
  if (segments.length !== 3) return fail('Invalid token')
  const [headerPart, bodyPart, signaturePart] = segments as [string, string, string]
  const header = decodeSegment(headerPart)
  if (!header.ok) return fail('Invalid header')
  const body = decodeSegment(bodyPart)
  if (!body.ok) return fail('Invalid body')
  const signature = fromUrl64(signaturePart)
  if (signature === undefined) return fail('Invalid signature')

  // L205–211: typ must be exactly "JWT", alg must equal the configured algorithm.
  if (luaIndex(header.value, 'typ', 'header') !== 'JWT') return fail('Invalid typ')
  if (luaIndex(header.value, 'alg', 'header') !== expectedAlgo) return fail('Invalid or incorrect alg')

  // L214–216: strip_signature re-joins the split segments.
  if (!verifyAlgorithm(expectedAlgo, `${headerPart}.${bodyPart}`, signature, config.key)) {
    return fail('Invalid signature')
  }

  // L219–238: seconds, no leeway; exp is optional.
  const exp = luaIndex(body.value, 'exp', 'body')
  const nbf = luaIndex(body.value, 'nbf', 'body')
  if (truthy(exp) && typeof exp !== 'number') return fail('exp must be number')
  if (truthy(nbf) && typeof nbf !== 'number') return fail('nbf must be number')
  if (typeof exp === 'number' && now >= exp) {
    const iat = luaIndex(body.value, 'iat', 'body')
    const validFor = truthy(iat) ? `, valid for:${exp - luaNumber(iat, 'iat')} sec` : ''
    return fail(`Not acceptable by exp (${now - exp} sec since expired${validFor})`)
  }
  if (typeof nbf === 'number' && now < nbf) return fail('Not acceptable by nbf')

  // L240–258
  const iss = luaIndex(body.value, 'iss', 'body')
  if (iss === undefined) return fail("'iss' claim is missing")
  if (!verifyClaim(iss, config.acceptedIssuers)) return fail("invalid 'iss' claim")
  const aud = luaIndex(body.value, 'aud', 'body')
  if (aud === undefined) return fail("'aud' claim is missing")
  if (!verifyClaim(aud, config.acceptedAudiences)) return fail("invalid 'aud' claim")

  return { ok: true, claims: body.value as Claims }
}

// ---------------------------------------------------------------------------------------------
// token/util.lib.lua

/** Util:process_and_verify_token(session), L264–382, for a session whose auth_token is `token`. */
function processAndVerifyToken (token: string | undefined, config: Resolved, now: number): TokenResult {
  const fail = (reason: string): TokenResult => ({ ok: false, reason })
  // L265–271 (allow_empty_token is not emulated: a token is always required).
  if (token === undefined) return fail('token required')

  if (config.usesKeyServer) {
    // L278–308: the header is read before any verification to find the key.
    const dot = token.indexOf('.')
    if (dot === -1) return fail('Invalid token')
    const headerBytes = fromUrl64(token.slice(0, dot))
    if (headerBytes === undefined) return fail('Invalid token')
    let header: unknown
    try {
      header = JSON.parse(headerBytes.toString('utf8'))
    } catch {
      return fail('bad token format')
    }
    if (luaIndex(header, 'kid', 'header') === undefined) return fail("'kid' claim is missing")
    const alg = luaIndex(header, 'alg', 'header')
    if (alg === undefined) return fail("'alg' claim is missing")
    // `alg.sub(alg, 1, 2)` only works on strings.
    if (typeof alg !== 'string') throw new LuaError(`attempt to index a ${luaType(alg)} value (alg)`)
    if (alg.slice(0, 2) !== 'RS') return fail("'kid' claim only support with RS family")
    // The emulated key server serves publicKeyPem for every kid.
  }

  const verified = luaJwtVerify(token, config, now) // L319–325
  if (!verified.ok) return verified
  const claims = verified.claims

  // L327–332, then L337–339: both only test for presence (a JSON null passes).
  if (config.requireRoomClaim && luaIndex(claims, 'room', 'claims') === undefined) return fail('room claim is missing')
  if (luaIndex(claims, 'sub', 'claims') === undefined) return fail('sub claim is missing')

  // L344–362: the context is indexed, which raises on a number, boolean or null.
  const context = luaIndex(claims, 'context', 'claims')
  if (context !== undefined) luaIndex(context, 'tenant', 'context')

  return verified
}

/** `[tenant]room` node as the MUC sees it after muc_domain_mapper; nodeprep applied. */
function roomJidNode (target: RoomTarget): string {
  const node = target.tenant ? `[${target.tenant}]${target.roomNode}` : target.roomNode
  // Prosody preps the `to` JID before any hook runs: nodeprep case-folds and NFKC-normalises.
  return node.normalize('NFKC').toLowerCase()
}

/** Util:verify_room(session, room_address), L394–523, plus mod_token_verification L90–106. */
function verifyRoomInternal (claims: Claims, target: RoomTarget, config: Resolved): RoomResult {
  const mismatch: RoomResult = { ok: false, reason: 'Room and token mismatched' } // mod_token_verification L91–93
  const room = roomJidNode(target)

  // L396–400: jid.split finds no node.
  if (room === '') return { ok: false, condition: 'invalid-room-address', reason: 'Room address is invalid' }
  // stanza_router: nodeprep prohibits these characters, so the join never reaches the MUC.
  if (/[\s"&'/:<>@]/.test(room)) {
    return { ok: false, condition: 'jid-malformed', reason: `Room JID node '${room}' is invalid (nodeprep)` }
  }
  // L401–405 (room must exist) is assumed: jicofo creates the room before clients join.

  // L414–421
  let authRoom = luaIndex(claims, 'room', 'claims')
  if (typeof authRoom === 'string') authRoom = asciiLower(authRoom)

  // L423–430
  if (!config.enableDomainVerification) {
    if (truthy(authRoom) && room !== authRoom && !room.endsWith(`]${luaString(authRoom, 'room claim')}`) && authRoom !== '*') {
      return { ok: false, condition: 'room-mismatch', reason: 'Room does not match the room from token' }
    }
    return { ok: true }
  }

  // L432–436: extract_subdomain (util.lib.lua) on the node.
  const roomAddress = `${room}@${config.mucDomain}`
  const parts = /^\[([^\]]+)\](.+)$/s.exec(room)
  const targetSubdomain = parts?.[1]
  const targetRoom = parts ? parts[2] as string : room

  // L441–476
  const context = luaIndex(claims, 'context', 'claims')
  let roomToCheck: unknown
  if (authRoom === '*') {
    roomToCheck = targetRoom
  } else {
    const contextRoom = context === undefined ? undefined : luaIndex(context, 'room', 'context')
    const regex = truthy(contextRoom) ? luaIndex(contextRoom, 'regex', 'context.room') : undefined
    if (regex === true || regex === 'true') {
      return { ok: false, condition: 'not-emulated', reason: 'context.room.regex (Lua patterns) is not emulated by this referee' }
    }
    roomToCheck = authRoom
    if (!truthy(roomToCheck)) {
      if (!config.requireRoomClaim) return { ok: true }
      return { ok: false, condition: 'room-name-does-not-match', reason: 'Room name cannot be matched to the one from token.' }
    }
  }

  // L478–490: a tenant mismatch only denies rooms with allowUnauthenticatedAccess == false.
  let warning: string | undefined
  const tokenTenant = context === undefined ? undefined : luaIndex(context, 'tenant', 'context')
  const prefix = target.prefix ?? target.tenant ?? ''
  if (truthy(tokenTenant) && asciiLower(luaString(tokenTenant, 'context.tenant')) !== prefix) {
    warning = `Tenant differs: url_tenant:${prefix} token_tenant:${luaString(tokenTenant, 'context.tenant')}`
  }

  // L492–522
  const authDomain = asciiLower(luaString(luaIndex(claims, 'sub', 'claims'), 'sub claim'))
  const roomPart = luaString(roomToCheck, 'room claim')
  let expected: string
  if (targetSubdomain !== undefined) {
    const subdomain = authDomain === '*' ? targetSubdomain : authDomain
    expected = `[${subdomain}]${roomPart}@${config.mucDomain}`
  } else {
    const host = authDomain === '*' ? config.mucDomain : `${config.mucDomainPrefix}.${authDomain}`
    expected = `${roomPart}@${host}`
  }
  if (roomAddress !== expected) return { ...mismatch, warning }
  return { ok: true, warning }
}

function luaErrorReason (err: unknown): string {
  /* c8 ignore next */
  if (!(err instanceof LuaError)) throw err
  return `Lua runtime error: ${err.message}`
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Would Prosody's token auth (mod_auth_token → process_and_verify_token → luajwtjitsi M.verify)
 * accept this token at connection time? `undefined` means the client sent no token.
 */
export function verifyToken (token: string | undefined, settings: ProsodySettings, options: VerifyOptions = {}): TokenResult {
  const config = resolveSettings(settings)
  const now = options.now ?? Math.floor(Date.now() / 1000)
  try {
    return processAndVerifyToken(token, config, now)
  } catch (err) {
    return { ok: false, reason: luaErrorReason(err) }
  }
}

/**
 * Would mod_token_verification let a session holding these (already verified) claims join the
 * MUC room `[tenant]roomNode@<mucDomainPrefix>.<xmppDomain>`?
 */
export function verifyRoom (claims: Claims, target: RoomTarget, settings: ProsodySettings): RoomResult {
  const config = resolveSettings(settings)
  try {
    return verifyRoomInternal(claims, target, config)
  } catch (err) {
    return { ok: false, reason: luaErrorReason(err) }
  }
}

/**
 * Opens `meetingUrl` like the web client, connects with `token` (or, when it is undefined, with
 * the token the web client reads from the URL) and joins the room: would Prosody allow it?
 */
export function acceptsJoin (token: string | undefined, meetingUrl: string, settings: ProsodySettings, options: VerifyOptions = {}): JoinResult {
  const target = roomFromMeetingUrl(meetingUrl)
  const verified = verifyToken(token ?? target.jwt, settings, options)
  if (!verified.ok) return { ok: false, stage: 'token', reason: verified.reason, target }
  const room = verifyRoom(verified.claims, target, settings)
  if (!room.ok) {
    return { ok: false, stage: 'room', reason: room.reason as string, condition: room.condition, target }
  }
  return { ok: true, claims: verified.claims, target, warning: room.warning }
}
