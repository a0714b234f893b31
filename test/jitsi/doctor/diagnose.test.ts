/**
 * One case per failure in docs/jitsi.md §6 that a token can show: the doctor names the failing
 * check with an actionable detail, and its verdict and reason agree with the independent Prosody
 * referee (test/support/prosody-verifier.ts).
 */
import t from 'tap'
import { CHECK_NAMES, diagnose } from '../../../src/jitsi/doctor/diagnose.js'
import {
  HS_HEADER, NOW, PUBLIC_PEM, ROOM, RS_HEADER, SECRET, check, claims, diagnoseAgreeing, diagnoseAgreeingAsync, docker, hs, hsHost, hsKeys, rs, rsHost, rsKeys
} from './fixtures.js'

t.test('a token built like POST /tokens builds it passes every check', async t => {
  const diagnosis = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims()), ...ROOM })
  t.same(diagnosis.checks.map(c => c.name), CHECK_NAMES, 'every check, in Prosody\'s order, then the hints')
  t.same(diagnosis.checks.filter(c => !c.ok), [])
  t.equal(diagnosis.reason, undefined)
  t.match(check(diagnosis, 'exp').detail, /expires in 60 min \(2026-01-01T01:00:00.000Z\)/)
  t.match(check(diagnosis, 'room').detail, /matches "daily%20standup", the room the web client joins for "Daily Standup"/)
})

t.test('exp in milliseconds: Prosody accepts the token, which then never expires', async t => {
  const diagnosis = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ exp: (NOW + 3600) * 1000 })), ...ROOM })
  t.equal(diagnosis.valid, true)
  t.match(check(diagnosis, 'exp'), { ok: false, blocking: false, detail: /looks like milliseconds.*never expires.*Send seconds/ })
})

t.test('nbf in milliseconds: "Not acceptable by nbf"', async t => {
  const diagnosis = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ nbf: (NOW - 30) * 1000 })), ...ROOM })
  t.equal(diagnosis.reason, 'Not acceptable by nbf')
  t.match(check(diagnosis, 'nbf'), { ok: false, blocking: true, detail: /looks like milliseconds.*Send seconds/ })
})

t.test('exp as a string: "exp must be number"', async t => {
  const diagnosis = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ exp: String(NOW + 3600) })), ...ROOM })
  t.equal(diagnosis.reason, 'exp must be number')
  t.match(check(diagnosis, 'exp'), { ok: false, blocking: true, detail: /not a JSON number.*remove the quotes/ })
})

t.test('missing aud: "\'aud\' claim is missing", even when every audience is accepted', async t => {
  const diagnosis = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ aud: undefined })), ...ROOM })
  t.equal(diagnosis.reason, "'aud' claim is missing")
  t.match(check(diagnosis, 'aud'), { ok: false, blocking: true, detail: /required even when every audience is accepted.*aud: "jitsi"/ })
})

t.test('wrong iss: "invalid \'iss\' claim" names the accepted issuers', async t => {
  const diagnosis = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ iss: 'jitsi' })), ...ROOM })
  t.equal(diagnosis.reason, "invalid 'iss' claim")
  t.match(check(diagnosis, 'iss'), { ok: false, blocking: true, detail: /iss is "jitsi", but Prosody accepts only "my_app".*JWT_APP_ID/ })
})

t.test('missing typ: "Invalid typ", and jose is named as the usual cause', async t => {
  const diagnosis = diagnoseAgreeing(t, { token: hs({ alg: 'HS256' }, claims()), ...ROOM })
  t.equal(diagnosis.reason, 'Invalid typ')
  t.match(check(diagnosis, 'typ'), { ok: false, blocking: true, detail: /no typ.*exactly "JWT".*jose/ })
})

t.test('alg mismatch: "Invalid or incorrect alg", while the key itself is right', async t => {
  const hs512 = diagnoseAgreeing(t, { token: hs({ alg: 'HS512', typ: 'JWT' }, claims(), SECRET, 'sha512'), ...ROOM })
  t.equal(hs512.reason, 'Invalid or incorrect alg')
  t.match(check(hs512, 'alg'), { ok: false, blocking: true, detail: /alg is HS512, but Prosody verifies only HS256.*JWT_SIGN_TYPE/ })
  t.equal(check(hs512, 'signature').ok, true, 'the signature is checked with the header\'s algorithm')

  const rs512 = await diagnoseAgreeingAsync(t, { token: rs({ ...RS_HEADER, alg: 'RS512' }, claims(), undefined, 'sha512'), ...ROOM }, rsHost)
  t.equal(rs512.reason, 'Invalid or incorrect alg')
  t.match(check(rs512, 'alg').detail, /RS512.*RS256.*docker-jitsi-meet#1903/)
})

t.test('RS token without kid on a key-server host: "\'kid\' claim is missing" comes first', async t => {
  const { kid, ...header } = RS_HEADER
  t.ok(kid)
  const diagnosis = await diagnoseAgreeingAsync(t, { token: rs(header, claims({ iss: 'someone-else' })), ...ROOM }, rsHost, { publicKey: { key: PUBLIC_PEM, from: 'the supplied public key' } })
  t.equal(diagnosis.reason, "'kid' claim is missing", 'before the wrong iss, as in Prosody')
  t.match(check(diagnosis, 'kid'), { ok: false, blocking: true, detail: /no kid.*asap_key_server.*JWT_KID/ })
})

t.test('room claim not in the backend-safe form the web client joins', async t => {
  const spaced = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ room: 'Daily Standup' })), ...ROOM })
  t.equal(spaced.reason, 'Room and token mismatched')
  t.match(check(spaced, 'room'), { ok: false, blocking: true, detail: /room is "Daily Standup", but for "Daily Standup" the web client joins "daily%20standup".*not percent-encoded.*Set room to exactly "daily%20standup"/ })

  const encoded = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ room: 'Daily%20Standup' })), ...ROOM })
  t.equal(encoded.valid, true, 'Prosody lower-cases ASCII, so the encoded mixed-case claim is accepted')
  t.match(check(encoded, 'room').detail, /once Prosody lower-cases it/)

  for (const room of ['Тест', '%D0%A2%D0%B5%D1%81%D1%82']) {
    const cyrillic = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ room })), room: 'Тест' })
    t.match(check(cyrillic, 'room'), { ok: false, blocking: true, detail: /joins "%d1%82%d0%b5%d1%81%d1%82".*only lower-cases ASCII letters \(jitsi-meet#16206\)/ }, room)
  }

  const otherRoom = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims()), room: 'Weekly' }, docker)
  t.equal(otherRoom.reason, 'Room does not match the room from token', 'docker: domain verification off')
  t.match(check(otherRoom, 'room').detail, /names a different room/)
})

t.test('sub is the public host name while domain verification is on', async t => {
  const token = hs(HS_HEADER, claims({ sub: 'meet.example.org' }))
  const strict = diagnoseAgreeing(t, { token, ...ROOM })
  t.equal(strict.reason, 'Room and token mismatched')
  t.match(check(strict, 'sub'), { ok: false, blocking: true, detail: /sub is "meet.example.org".*the XMPP domain "meet.jitsi".*not the public host name from PUBLIC_URL \(jitsi-meet#11967\)/ })

  const off = diagnoseAgreeing(t, { token, ...ROOM }, docker)
  t.equal(off.valid, true, 'docker does not compare sub')
  t.match(check(off, 'sub'), { ok: false, blocking: false, detail: /does not compare it while domain verification is off.*once it is on/ })
})

t.test('tenant mismatch: a token for one tenant opened under another', async t => {
  const token = hs(HS_HEADER, claims({ sub: 'acme' }))
  const diagnosis = diagnoseAgreeing(t, { token, ...ROOM, tenant: 'globex' })
  t.equal(diagnosis.reason, 'Room and token mismatched')
  t.match(check(diagnosis, 'sub'), { ok: false, blocking: true, detail: /must be the tenant "globex".*made for another tenant/ })
  t.equal(diagnoseAgreeing(t, { token, ...ROOM, tenant: 'acme' }).valid, true, 'under its own tenant')

  const noTenant = diagnoseAgreeing(t, { token, ...ROOM })
  t.match(check(noTenant, 'sub').detail, /give that tenant \(tenant, --tenant\)/)

  const contextTenant = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ sub: 'acme', context: { tenant: 'globex' } })), ...ROOM, tenant: 'acme' })
  t.equal(contextTenant.valid, true, 'context.tenant only makes Prosody log a warning')
  t.match(check(contextTenant, 'tenant'), { ok: false, blocking: false, detail: /context.tenant is "globex" but the URL has tenant "acme".*Tenant differs/ })
})

t.test('expired: "Not acceptable by exp" with the seconds Prosody logs', async t => {
  const diagnosis = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ iat: NOW - 7200, nbf: NOW - 7230, exp: NOW - 3600 })), ...ROOM })
  t.equal(diagnosis.reason, 'Not acceptable by exp (3600 sec since expired, valid for:3600 sec)')
  t.match(check(diagnosis, 'exp'), { ok: false, blocking: true, detail: /expired 60 min ago.*Mint a new one.*clocks/ })
})

t.test('nbf in the future: Prosody allows no clock skew', async t => {
  const diagnosis = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ nbf: NOW + 20 })), ...ROOM })
  t.equal(diagnosis.reason, 'Not acceptable by nbf')
  t.match(check(diagnosis, 'nbf'), { ok: false, blocking: true, detail: /20 s in the future.*no clock skew.*JWT_NBF_SKEW/ })
})

t.test('array aud: refused once accepted audiences are listed, a hint while "*" is accepted', async t => {
  const token = hs(HS_HEADER, claims({ aud: ['jitsi', 'other'] }))
  const listed = diagnoseAgreeing(t, { token, ...ROOM }, { ...hsHost, acceptedAudiences: ['jitsi'] })
  t.equal(listed.reason, "invalid 'aud' claim")
  t.match(check(listed, 'aud'), { ok: false, blocking: true, detail: /array.*with ==.*contains "\*".*Send aud as one of those strings/ })

  const open = diagnoseAgreeing(t, { token, ...ROOM })
  t.equal(open.valid, true)
  t.match(check(open, 'aud'), { ok: false, blocking: false, detail: /passes only because every audience is accepted/ })
})

t.test('signed with another secret: "Invalid signature"', async t => {
  const diagnosis = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims(), 'not-the-secret'), ...ROOM })
  t.equal(diagnosis.reason, 'Invalid signature')
  t.match(check(diagnosis, 'signature'), { ok: false, blocking: true, detail: /does not match JWT_APP_SECRET.*same string on the issuer and on Prosody/ })
})

t.test('an RS256 token with a known kid passes on a key-server host', async t => {
  const diagnosis = await diagnoseAgreeingAsync(t, { token: rs(RS_HEADER, claims()), ...ROOM }, rsHost, rsKeys)
  t.same(diagnosis.checks.filter(c => !c.ok), [])
  t.match(check(diagnosis, 'kid').detail, /<asap_key_server>\/[0-9a-f]{64}\.pem/)
  t.match(check(diagnosis, 'signature').detail, /verifies with the public key of kid "my_app\/2026-01"/)
})

t.test('not a JWT at all: one clear failing check, no exception', async t => {
  for (const token of ['hello', 'a.b', 'eyJ.eyJ.sig.extra', '']) {
    const diagnosis = diagnoseAgreeing(t, { token, ...ROOM })
    t.equal(diagnosis.valid, false, token)
    t.match(diagnosis.checks, [{ name: 'token', ok: false, blocking: true, detail: /not a JWT/ }], token)
  }
  const rsDiagnosis = diagnoseAgreeing(t, { token: 'hello', ...ROOM }, rsHost)
  t.same(rsDiagnosis.checks.map(c => c.name), ['token', 'kid'], 'a key-server host fails on the header first')
})

t.test('several problems at once are all reported; the reason is the first Prosody meets', async t => {
  const diagnosis = diagnoseAgreeing(t, { token: hs({ alg: 'HS256', typ: 'jwt' }, claims({ iss: 'x', aud: undefined, exp: 'soon', sub: 'meet.example.org' })), ...ROOM })
  t.equal(diagnosis.reason, 'Invalid typ')
  t.same(diagnosis.checks.filter(c => c.blocking).map(c => c.name), ['typ', 'exp', 'iss', 'aud', 'sub'])
})

t.test('without a room the token checks still run and the room claim is only described', async t => {
  const diagnosis = diagnose({ token: hs(HS_HEADER, claims()) }, hsHost, hsKeys, NOW)
  t.equal(diagnosis.valid, true)
  t.match(check(diagnosis, 'room').detail, /pass the room you open/)
})
