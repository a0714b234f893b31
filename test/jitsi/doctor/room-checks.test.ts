/** room, sub and context.tenant: the join as verify_room decides it, with the likely cause named. */
import t from 'tap'
import { roomCheck, subCheck, tenantCheck, tenantNode } from '../../../src/jitsi/doctor/room-checks.js'
import { HS_HEADER, ROOM, check, claims, diagnoseAgreeing, docker, hs, hsHost } from './fixtures.js'

t.test('the tenant in a room JID is lower-cased with dots as underscores', async t => {
  t.equal(tenantNode('Acme.Org'), 'acme_org')
})

t.test('a missing room claim', async t => {
  const missing = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ room: undefined })), ...ROOM })
  t.equal(missing.reason, 'room claim is missing')
  t.match(check(missing, 'room').detail, /Set room to "daily%20standup", or "\*" for every room/)
  t.match(roomCheck({}, {}, hsHost).detail, /Set room to the backend-safe room name/)
  const optional = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ room: undefined })), ...ROOM }, { ...hsHost, requireRoomClaim: false })
  t.equal(optional.valid, true)
  t.match(check(optional, 'room').detail, /asap_require_room_claim = false/)
})

t.test('wildcard, non-string and regex room claims', async t => {
  const wildcard = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ room: '*' })), room: 'Anything' })
  t.match(check(wildcard, 'room'), { ok: true, detail: /opens every room/ })
  const numeric = hs(HS_HEADER, claims({ room: 42 }))
  t.match(check(diagnoseAgreeing(t, { token: numeric, room: '42' }), 'room'), { ok: false, blocking: false, detail: /the number 42: Prosody lets it into this room only because Lua/ })
  t.match(check(diagnoseAgreeing(t, { token: numeric, room: '42' }, docker), 'room'), { ok: false, blocking: true, detail: /room is 42, not a string/ })
  t.match(check(diagnoseAgreeing(t, { token: numeric, room: '43', tenant: 'meet.jitsi' }, docker), 'room'), { ok: false, blocking: true })
  t.match(check(diagnoseAgreeing(t, { token: numeric }, docker), 'room'), { ok: false, blocking: false }, 'without a room to join, only a hint')

  const regexClaims = claims({ room: 'daily.*', context: { room: { regex: true } } })
  t.match(roomCheck(regexClaims, ROOM, hsHost), { ok: true, detail: /Lua pattern within Prosody's bounds.*"daily%20standup".*does not run Lua patterns/ })
  t.equal(roomCheck(regexClaims, ROOM, docker).rejection?.message, 'Room does not match the room from token', 'without domain verification Prosody ignores regex')
  t.match(roomCheck(claims({ room: 'daily%20standup', context: 'x' }), ROOM, hsHost), { ok: true })
})

t.test('without a room to join, the claim is still checked for a form the web client never uses', async t => {
  t.match(roomCheck(claims({ room: 'Daily Standup' }), {}, hsHost), { ok: false, detail: /a form the web client never joins: for that room it joins "daily%20standup"; it names the same room, but it is not percent-encoded/ })
  t.match(roomCheck(claims(), {}, hsHost), { ok: true, detail: /pass the room you open/ })
  t.match(roomCheck(claims({ room: '100%' }), {}, hsHost), { ok: false, detail: /"100%25"/ }, 'an undecodable claim is taken as it is')
})

t.test('a tenant inside the room claim is named as the cause', async t => {
  const diagnosis = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ sub: 'acme', room: 'acme/daily%20standup' })), ...ROOM, tenant: 'acme' })
  t.match(check(diagnosis, 'room').detail, /it includes the tenant, which belongs in sub and the URL, never in room/)
})

t.test('sub: missing, "*", a number, not a string, the XMPP domain under a tenant', async t => {
  const missing = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ sub: undefined })), ...ROOM })
  t.equal(missing.reason, 'sub claim is missing')
  t.match(check(missing, 'sub').detail, /required in every configuration\. Set sub to the XMPP domain "meet.jitsi"/)
  t.match(check(diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ sub: '*' })), ...ROOM, tenant: 'acme' }), 'sub'), { ok: true, detail: /matches every domain and tenant/ })
  t.equal(diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ sub: 42 })), ...ROOM, tenant: '42' }).valid, true, 'Lua coerces a number to a string')
  t.match(subCheck({ sub: ['acme'] }, {}, hsHost).detail, /a non-string sub matches nothing/)
  t.match(subCheck({ sub: 'meet.jitsi' }, { tenant: 'acme' }, hsHost).detail, /the tenant "acme".*because this room is under a tenant/)
  t.match(subCheck({ sub: 'other.example' }, {}, hsHost).detail, /or "\*"\. Prosody refuses/, 'no guess for an unknown host name')
})

t.test('context.tenant compared with the URL tenant', async t => {
  t.match(tenantCheck({ context: { tenant: 'ACME' } }, { tenant: 'acme' }), { ok: true })
  t.match(tenantCheck({ context: { tenant: 'acme' } }, {}), { ok: false, detail: /the URL has no tenant/ })
  t.match(tenantCheck({ context: { tenant: 7 } }, { tenant: '7' }), { ok: false })
  t.match(tenantCheck({ context: null }, {}), { ok: true })
})

t.test('a pattern with an upper-case class, and a tenant with "_": hints for the Jitsi people run', async t => {
  const inverted = roomCheck(claims({ room: 'room%D+', context: { room: { regex: true } } }), {}, hsHost)
  t.match(inverted, { ok: false, detail: /accepts the pattern, but room uses %D: Jitsi before jitsi-meet#17803/ })
  t.match(roomCheck(claims({ room: 'course-%d+', context: { room: { regex: true } } }), {}, hsHost), { ok: false, detail: /accepts the pattern, but room has an unescaped "-"/ })
  const underscored = subCheck(claims({ sub: 'team_a' }), { room: 'x', tenant: 'team_a' }, hsHost)
  t.match(underscored, { ok: false, detail: /matches the tenant "team_a".*Prosody 13\.0\.3 and later refuse "_"/ })
  t.match(subCheck(claims({ sub: 'team-a' }), { room: 'x', tenant: 'team-a' }, hsHost), { ok: true })
})
