/** exp, nbf, iss, aud: the failures Prosody reports, and the sentences that go with them. */
import t from 'tap'
import { audCheck, issCheck } from '../../../src/jitsi/doctor/claim-checks.js'
import { duration, expCheck, nbfCheck } from '../../../src/jitsi/doctor/time-checks.js'
import { HS_HEADER, NOW, ROOM, check, claims, diagnoseAgreeing, hs, hsHost } from './fixtures.js'

t.test('durations read like a person would say them', async t => {
  t.same([5, 119, 120, 7199, 7200, 172_799, 172_800, -90].map(duration), ['5 s', '119 s', '2 min', '120 min', '2 h', '48 h', '2 days', '90 s'])
})

t.test('exp: absent, false, null and expired without iat', async t => {
  for (const exp of [undefined, false]) {
    const diagnosis = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ exp })), ...ROOM })
    t.equal(diagnosis.valid, true, 'Prosody accepts a token without exp')
    t.match(check(diagnosis, 'exp'), { ok: false, blocking: false, detail: /There is no exp: Prosody accepts the token and it never expires.*"invalid exp"/ })
  }
  const nullExp = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ exp: null })), ...ROOM })
  t.equal(nullExp.reason, 'exp must be number', 'JSON null is a value in Lua (cjson.null)')
  t.match(check(nullExp, 'exp').detail, /exp is null, not a JSON number.*send exp as a number of seconds since 1970/)

  const noIat = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ iat: undefined, exp: NOW })), ...ROOM })
  t.equal(noIat.reason, 'Not acceptable by exp (0 sec since expired)', 'expired at the very second exp names')
  t.match(expCheck({ exp: NOW + 200_000 }, NOW).detail, /expires in 2 days/)
})

t.test('nbf: absent, a string, and passing', async t => {
  t.match(nbfCheck({}, NOW), { ok: true, detail: /There is no nbf/ })
  const stringNbf = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ nbf: 'now' })), ...ROOM })
  t.equal(stringNbf.reason, 'nbf must be number')
  t.match(check(stringNbf, 'nbf').detail, /nbf is "now", not a JSON number/)
  t.match(nbfCheck({ nbf: NOW }, NOW), { ok: true, detail: /lies 0 s in the past/ })
})

t.test('iss and aud: missing, not accepted, "*"', async t => {
  const noIss = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ iss: undefined })), ...ROOM })
  t.equal(noIss.reason, "'iss' claim is missing")
  t.match(check(noIss, 'iss').detail, /Set iss to Prosody's app_id \(JWT_APP_ID\) or another accepted issuer: "my_app"/)
  t.match(issCheck({ iss: 'anyone' }, { ...hsHost, acceptedIssuers: ['*'] }), { ok: true })

  const otherAud = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ aud: 'meet' })), ...ROOM }, { ...hsHost, acceptedAudiences: ['jitsi', 'my_app'] })
  t.equal(otherAud.reason, "invalid 'aud' claim")
  t.match(check(otherAud, 'aud').detail, /aud is "meet", but Prosody accepts only "jitsi", "my_app" \(asap_accepted_audiences, JWT_ACCEPTED_AUDIENCES\)/)
  t.match(audCheck({ aud: 'jitsi' }, hsHost), { ok: true, detail: 'aud "jitsi" is accepted ("*").' })
})
