/**
 * The join: room claim against the MUC room node the web client joins, sub against the XMPP domain or
 * tenant, context.tenant against the URL tenant (token/util.lib.lua L327–339 and verify_room
 * L394–523; docs/jitsi.md §0 rules 11–12, §1.4).
 */
import { backendSafeRoomName } from '../room-name.js'
import { UNDERSCORE_TENANT_NOTE } from '../issuance-notes.js'
import { countQuantifiers, hyphenNote, MAX_PATTERN_LENGTH, MAX_PATTERN_QUANTIFIERS, patternCaseNote } from '../room-pattern.js'
import { STEP, hint, luaLower, pass, reject, show, type CheckResult } from './check.js'
import type { ProsodyDeployment } from './deployment.js'

export interface JoinTarget {
  /** The room as people see it in the meeting URL, decoded: "Daily Standup". */
  room?: string
  /** The tenant path segment of https://host/<tenant>/<room>. */
  tenant?: string
}

/** The tenant as it appears in the room JID `[tenant]room`: lower-cased, "." → "_" (§1.4). */
export function tenantNode (tenant: string): string {
  return tenant.toLowerCase().replaceAll('.', '_')
}

function decoded (text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Why a room claim that names the same room is still refused, in the words of §6. */
function formProblem (claim: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[^\u0000-\u007f]/.test(claim)) return 'it is not percent-encoded, and Prosody only lower-cases ASCII letters (jitsi-meet#16206)'
  if (/[^A-Za-z0-9\-_.!~*'()%]/.test(claim)) return 'it is not percent-encoded (a space must be %20)'
  return 'it was percent-encoded before being lower-cased, and Prosody only lower-cases ASCII letters (jitsi-meet#16206)'
}

function mismatchCause (claim: string, joined: string, target: JoinTarget): string {
  if (target.tenant && luaLower(claim).startsWith(tenantNode(target.tenant))) return '; it includes the tenant, which belongs in sub and the URL, never in room'
  if (backendSafeRoomName(decoded(claim)) === joined) return `; it names the same room, but ${formProblem(claim)}`
  return '; it names a different room'
}

/** A pattern room claim (PR #17803): Prosody bounds it, then matches it with Lua's string.match (§1.4). */
function patternRoomCheck (claim: string, target: JoinTarget, deployment: ProsodyDeployment): CheckResult {
  if (!deployment.domainVerification) {
    const detail = `context.room.regex is set, but with domain verification off (docker's JWT_ENABLE_DOMAIN_VERIFICATION=false) Prosody compares room ${show(claim)} literally, so it opens no room. Turn domain verification on, or send a room name.`
    return target.room === undefined ? hint('room', detail) : reject('room', STEP.roomMatch, 'Room does not match the room from token', detail)
  }
  const quantifiers = countQuantifiers(claim)
  if (quantifiers > MAX_PATTERN_QUANTIFIERS) {
    return reject('room', STEP.roomMatch, 'invalid-regex', `room ${show(claim)} is a Lua pattern with ${quantifiers} quantifiers (* + - ?); Prosody refuses more than ${MAX_PATTERN_QUANTIFIERS} (token_regex_max_quantifiers) with "invalid-regex". Escape a literal "-" as "%-".`)
  }
  const joined = target.room === undefined ? undefined : backendSafeRoomName(target.room)
  if (joined !== undefined && joined.length > MAX_PATTERN_LENGTH) {
    return reject('room', STEP.roomMatch, 'invalid-regex', `The room the web client joins, ${show(joined)}, is ${joined.length} characters; Prosody matches a pattern only against names of at most ${MAX_PATTERN_LENGTH} (token_regex_room_max_length) and answers "invalid-regex".`)
  }
  const against = joined === undefined ? 'the percent-encoded, lower-cased room name' : show(joined)
  const note = patternCaseNote(claim) ?? hyphenNote(claim)
  if (note) return hint('room', `Prosody accepts the pattern, but ${note}`)
  return pass('room', `room ${show(claim)} is a Lua pattern within Prosody's bounds (at most ${MAX_PATTERN_QUANTIFIERS} quantifiers, room names up to ${MAX_PATTERN_LENGTH} characters); Prosody matches it against ${against} and lets the join through only when the match is the whole name. The doctor does not run Lua patterns: open the room once to see it match.`)
}

export function roomCheck (payload: Record<string, unknown>, target: JoinTarget, deployment: ProsodyDeployment): CheckResult {
  const claim = payload.room
  const mismatch = deployment.domainVerification ? 'Room and token mismatched' : 'Room does not match the room from token'
  if (claim === undefined) {
    if (!deployment.requireRoomClaim) return pass('room', 'There is no room claim, and this Prosody does not require one (asap_require_room_claim = false), so the token opens every room.')
    const wanted = target.room === undefined ? 'the backend-safe room name' : show(backendSafeRoomName(target.room))
    return reject('room', STEP.roomPresent, 'room claim is missing', `There is no room claim, so Prosody answers "room claim is missing". Set room to ${wanted}, or "*" for every room.`)
  }
  // Lua's `..` turns a number into a string, so with domain verification (or a tenant, through the
  // `]claim` suffix test) a numeric claim can still match (verify_room L423–430, L512–521).
  const lenient = deployment.domainVerification || target.tenant !== undefined
  if (typeof claim === 'number' && lenient && target.room !== undefined && String(claim) === backendSafeRoomName(target.room)) {
    return hint('room', `room is the number ${claim}: Prosody lets it into this room only because Lua turns it into a string, and refuses it with domain verification off and no tenant. Send the string ${show(String(claim))}.`)
  }
  if (typeof claim !== 'string') {
    const detail = `room is ${show(claim)}, not a string, so it matches no room. Set room to the backend-safe room name, or "*".`
    return target.room === undefined ? hint('room', detail) : reject('room', STEP.roomMatch, mismatch, detail)
  }
  if (claim === '*') return pass('room', 'room is "*": the token opens every room.')
  const context = payload.context as Record<string, unknown> | undefined
  const contextRoom = typeof context === 'object' && context !== null ? context.room as Record<string, unknown> | undefined : undefined
  const regex = typeof contextRoom === 'object' && contextRoom !== null ? contextRoom.regex : undefined
  if (regex === true || regex === 'true') return patternRoomCheck(claim, target, deployment)
  if (target.room === undefined) {
    const canonical = backendSafeRoomName(decoded(claim))
    if (canonical !== luaLower(claim)) {
      return hint('room', `room is ${show(claim)}, a form the web client never joins: for that room it joins ${show(canonical)}${mismatchCause(claim, canonical, target)}. Pass the room you open (room, --room) to check the join.`)
    }
    return pass('room', `room is ${show(claim)}; pass the room you open (room, --room) to check it against the name the web client joins.`)
  }
  const joined = backendSafeRoomName(target.room)
  if (luaLower(claim) === joined) {
    const lowered = claim === joined ? '' : ' once Prosody lower-cases it'
    return pass('room', `room ${show(claim)} matches ${show(joined)}, the room the web client joins for ${show(target.room)}${lowered}.`)
  }
  return reject('room', STEP.roomMatch, mismatch, `room is ${show(claim)}, but for ${show(target.room)} the web client joins ${show(joined)}${mismatchCause(claim, joined, target)}. Prosody refuses the join ("${mismatch}"); a refreshed token sent into a session already in that room is not refused but silently ignored, so the old claims stay (jitsi-meet#17769). Set room to exactly ${show(joined)}: the name NFKC-normalised, lower-cased and percent-encoded, without the tenant.`)
}

function subCause (sub: string, target: JoinTarget, deployment: ProsodyDeployment): string {
  if (deployment.publicHost && sub === deployment.publicHost) return ', not the public host name from PUBLIC_URL (jitsi-meet#11967)'
  if (target.tenant) return sub === deployment.xmppDomain ? ', because this room is under a tenant' : ': the token was made for another tenant'
  return sub.includes('.') ? '' : '; if you join through https://host/<tenant>/<room>, give that tenant (tenant, --tenant)'
}

export function subCheck (payload: Record<string, unknown>, target: JoinTarget, deployment: ProsodyDeployment): CheckResult {
  const { sub } = payload
  const expected = target.tenant ? tenantNode(target.tenant) : deployment.xmppDomain
  const where = target.tenant
    ? `the tenant ${show(expected)} (https://host/${target.tenant}/<room>)`
    : `the XMPP domain ${show(expected)} (XMPP_DOMAIN)`
  if (sub === undefined) {
    return reject('sub', STEP.subPresent, 'sub claim is missing', `There is no sub, so Prosody answers "sub claim is missing"; it is required in every configuration. Set sub to ${where}.`)
  }
  // string.lower() coerces numbers; any other type is no domain at all.
  const domain = typeof sub === 'string' || typeof sub === 'number' ? luaLower(String(sub)) : undefined
  if (domain === '*') return pass('sub', 'sub is "*": it matches every domain and tenant.')
  if (domain === expected) {
    // Prosody 13.0.3+ refuses the conference domain such a tenant makes (§12.4).
    if (target.tenant?.includes('_')) return hint('sub', `sub ${show(sub)} matches ${where}, but the ${UNDERSCORE_TENANT_NOTE}`)
    return pass('sub', `sub ${show(sub)} matches ${where}.`)
  }
  const cause = domain === undefined ? ', and a non-string sub matches nothing' : subCause(domain, target, deployment)
  if (deployment.domainVerification) {
    return reject('sub', STEP.domainMatch, 'Room and token mismatched', `sub is ${show(sub)}, but with domain verification on (enable_domain_verification, Prosody's default) it must be ${where} or "*"${cause}. Prosody refuses the join ("Room and token mismatched").`)
  }
  return hint('sub', `sub is ${show(sub)}; Prosody does not compare it while domain verification is off (docker's JWT_ENABLE_DOMAIN_VERIFICATION=false), but refuses the join once it is on (Prosody's default): sub must then be ${where} or "*"${cause}.`)
}

export function tenantCheck (payload: Record<string, unknown>, target: JoinTarget): CheckResult {
  const context = payload.context
  const tenant = typeof context === 'object' && context !== null ? (context as Record<string, unknown>).tenant : undefined
  if (tenant === undefined || tenant === false) return pass('tenant', 'There is no context.tenant, so there is no tenant in the token to compare with the URL.')
  const urlTenant = target.tenant ?? ''
  if (typeof tenant === 'string' && luaLower(tenant) === urlTenant) return pass('tenant', `context.tenant ${show(tenant)} is the URL's tenant.`)
  return hint('tenant', `context.tenant is ${show(tenant)} but the URL has ${urlTenant ? `tenant ${show(urlTenant)}` : 'no tenant'}: Prosody logs "Tenant differs" and refuses rooms that forbid unauthenticated access, and the web client drops the token's features when tokenRespectTenant is set. Make it the URL's tenant, or leave it out.`)
}
