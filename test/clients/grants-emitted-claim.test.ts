/**
 * Issue 12 item 1: the grant decides on the room claim as emitted, whatever spelling the request uses.
 * The claim is checked against an independent copy of the web client's getBackendSafeRoomName.
 */
import t from 'tap'
import { globMatches, roomGrantProblem, tenantGrantProblem, type Grants } from '../../src/clients/grants.js'
import { roomClaim, roomNameProblem } from '../../src/jitsi/room-name.js'
import { meetingUrl } from '../../src/jitsi/meeting-url.js'
import { getBackendSafeRoomName } from '../support/web-client-room.js'

const OIDC_LIKE: Grants = { rooms: ['*'], wildcardRoom: false, moderator: false, features: [] }
const rooms = (...patterns: string[]): Grants => ({ ...OIDC_LIKE, rooms: patterns })

t.test('a name Jitsi folds into "*" is the wildcard claim, and needs the wildcard grant', async t => {
  // U+FF0A FULLWIDTH ASTERISK and U+FE61 SMALL ASTERISK are "*" after NFKC; U+2217 and U+204E are not.
  for (const star of ['\uff0a', '\ufe61']) {
    t.equal(getBackendSafeRoomName(encodeURIComponent(star)), '*', `the web client turns ${star} into *`)
    t.equal(roomClaim(star), '*', `${star} would be emitted as *`)
    t.same(roomGrantProblem(star, OIDC_LIKE), { path: 'room', message: 'a wildcard room ("*") is not granted to this client' }, `${star} with rooms ["*"] but no wildcard grant`)
    t.match(roomNameProblem(star), /normalises it \(NFKC\) to "\*"/, `${star} is refused as a room name`)
    t.equal(meetingUrl('https://meet.example.org', star, 'h.p.s'), undefined, 'a wildcard claim never gets a url')
  }
  t.equal(roomClaim('\u2217'), '%e2%88%97', 'ASTERISK OPERATOR stays itself')
})

t.test('every character that folds into one the web client strips is refused, naming the typed character', async t => {
  const folding: Array<[string, string]> = [['\uff1f', '?'], ['\uff0f', '/'], ['\uff03', '#'], ['\ufe55', ':'], ['\uff07', '\''], ['\uff08', '('], ['\ufe57', '!'], ['\u2474', '(']]
  for (const [typed, folded] of folding) {
    t.match(roomNameProblem(`team${typed}room`), `"${typed}": Jitsi normalises it (NFKC) to "${folded}"`, `${typed} → ${folded}`)
  }
  t.match(roomNameProblem('\uff0e'), /"\." or "\.\."/, 'FULLWIDTH FULL STOP is the dot segment "."')
  t.match(roomNameProblem('\u2025'), /"\." or "\.\."/, 'TWO DOT LEADER is ".."')
  t.match(roomNameProblem('\u203eroom'), /start or end with spaces/, 'OVERLINE becomes a space and a combining mark')
})

t.test('patterns match the claim, with the case rules that build it', async t => {
  const allowed = (room: string, ...patterns: string[]) => roomGrantProblem(room, rooms(...patterns)) === undefined
  // Final sigma: "σ" and "ς" are two rooms once lower-cased, though a case-insensitive regex equates them.
  t.not(roomClaim('ς'), roomClaim('σ'))
  t.notOk(allowed('ς', 'σ'), 'σ does not grant the room ς')
  t.notOk(allowed('σ', 'ς'), 'ς does not grant the room σ')
  t.ok(allowed('ΟΔΟΣ', 'οδος'), 'an upper-case word ends in ς once lower-cased, and so does the pattern')
  t.ok(allowed('ΟΔΟΣ', 'ΟΔΟΣ'))
  // Dotted capital I lower-cases to "i" + U+0307: neither "i" nor "I" names that room.
  t.equal(roomClaim('İ'), 'i%cc%87')
  t.notOk(allowed('İ', 'i'), '"i" does not grant the room of İ')
  t.notOk(allowed('i', 'İ'), '"İ" does not grant the room "i"')
  t.ok(allowed('İ', 'İ'))
  // KELVIN SIGN is "k" for NFKC and for toLowerCase: the claim is "k", so "k" covers it.
  t.equal(roomClaim('\u212a'), 'k')
  t.ok(allowed('\u212a', 'k'))
  t.ok(allowed('k', '\u212a'), 'a pattern written with the Kelvin sign means the room "k"')
  // ß is not "ss" in the claim, so "ss" does not cover it (a case-folding comparison would).
  t.notOk(allowed('ß', 'ss'))
  t.notOk(allowed('SS', 'ß'))
  t.ok(allowed('ẞ', 'ß'), 'capital sharp s lower-cases to ß')
  // NFKC before lower-case, as the client does: Ⅻ (ROMAN NUMERAL TWELVE) is "xii".
  t.ok(allowed('Ⅻ', 'xii'))
  t.ok(allowed('room-Ⅻ', 'ROOM-*'))
})

t.test('a pattern never matches a name whose claim names another room (exhaustive over the BMP)', async t => {
  // For every single character c, pattern c matches the room c2 only when the claims agree.
  const seen = new Map<string, string[]>()
  for (let code = 0x20; code <= 0xffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue
    const char = String.fromCharCode(code)
    if (char === '*') continue
    const claim = roomClaim(char)
    seen.set(claim, [...(seen.get(claim) ?? []), char])
  }
  let checked = 0
  for (const [claim, chars] of seen) {
    for (const char of chars) {
      // The pattern with the same claim matches; a pattern with the upper-case of another claim's char does not.
      if (!globMatches(char, decodeURIComponent(claim))) throw new Error(`pattern ${char} does not match its own claim ${claim}`)
      const upper = char.toUpperCase()
      if (roomClaim(upper) !== claim && upper !== '*' && globMatches(upper, decodeURIComponent(claim))) {
        throw new Error(`pattern ${upper} matches ${claim}, which is not its claim`)
      }
      checked++
    }
  }
  t.ok(checked > 60_000, `${checked} characters checked`)
})

t.test('tenants are compared as emitted (lower-case ASCII)', async t => {
  const acme: Grants = { ...OIDC_LIKE, tenants: ['Acme'] }
  t.equal(tenantGrantProblem('ACME', acme), undefined)
  t.equal(tenantGrantProblem('acme', acme), undefined)
  t.type(tenantGrantProblem('acme2', acme), 'object')
  // KELVIN SIGN lower-cases to "k": a grant for "k" names the same emitted tenant, and only that one.
  t.equal(tenantGrantProblem('k', { ...OIDC_LIKE, tenants: ['\u212a'] }), undefined)
  t.type(tenantGrantProblem('\u212a', { ...OIDC_LIKE, tenants: ['kk'] }), 'object')
})
