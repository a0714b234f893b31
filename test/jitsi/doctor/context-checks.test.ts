/** The doctor on the claims read after acceptance: contrib booleans, role, hidden-from-recorder, room patterns, top-level moderator. */
import t from 'tap'
import { featuresCheck, moderatorCheck } from '../../../src/jitsi/doctor/client-hints.js'
import { contextClaimsCheck } from '../../../src/jitsi/doctor/context-checks.js'
import { roomCheck } from '../../../src/jitsi/doctor/room-checks.js'
import { HS_HEADER, ROOM, check, claims, diagnoseAgreeing, docker, hs, hsHost } from './fixtures.js'

t.test('claims in the types their readers take pass', async t => {
  const token = hs(HS_HEADER, claims({ context: { user: { name: 'A', lobby_bypass: true, lobby: false, role: 'visitor', 'hidden-from-recorder': 'true', department: 'x' }, room: { lobby: true, lobby_autostart: false, password: '' } } }))
  t.match(check(diagnoseAgreeing(t, { token, ...ROOM }), 'claims'), { ok: true })
  t.match(contextClaimsCheck({}), { ok: true }, 'no context: nothing to read')
})

t.test('each claim its reader ignores or cannot carry is named', async t => {
  const { ok, detail } = contextClaimsCheck({
    context: {
      user: { lobby_bypass: 'true', security_bypass: 1, lobby: 'yes', role: 'moderator', 'hidden-from-recorder': 'yes', 'bad key': 'x', department: { a: 1 } },
      room: { lobby: 'true', lobby_autostart: 'false', password: 1234 }
    }
  })
  t.equal(ok, false)
  for (const expected of [
    /"bad key" is not an XML name/, /context\.user\.department is \{"a":1\}.*string or boolean/, /role is "moderator"; Jitsi reads only "visitor"/,
    /hidden-from-recorder is "yes"/, /context\.user\.lobby_bypass is "true", but token_lobby_bypass acts only on a boolean/,
    /context\.user\.security_bypass is 1/, /context\.user\.lobby is "yes", but token_lobby_ondemand/, /context\.room\.lobby is "true"/,
    /context\.room\.lobby_autostart is "false", but token_lobby_autostart/, /context\.room\.password is 1234/
  ]) t.match(detail, expected)
})

t.test('room patterns: bounds as Prosody applies them, literal with domain verification off', async t => {
  const pattern = (room: string) => claims({ room, context: { room: { regex: 'true' } } })
  t.match(roomCheck(pattern('daily%%20.*'), {}, hsHost), { ok: true, detail: /percent-encoded, lower-cased room name/ })
  t.match(roomCheck(pattern('a*b*c*d*'), ROOM, hsHost), { ok: false, rejection: { message: 'invalid-regex' }, detail: /4 quantifiers/ })
  t.match(roomCheck(pattern('.*'), { room: 'x'.repeat(129) }, hsHost), { ok: false, rejection: { message: 'invalid-regex' }, detail: /129 characters/ })
  t.match(roomCheck(pattern('daily.*'), {}, docker), { ok: false, rejection: undefined, detail: /compares room "daily\.\*" literally/ })
})

t.test('top-level moderator: consistent with context.user.moderator, or a hint', async t => {
  t.match(moderatorCheck({ moderator: true, context: { user: { moderator: true, lobby_bypass: true } } }), { ok: true })
  t.match(moderatorCheck({ moderator: false, context: { user: {} } }), { ok: true }, 'false at the top level agrees with no moderator')
  t.match(moderatorCheck({ moderator: true, context: { user: {} } }), { ok: false, detail: /at the top level/ })
  t.match(moderatorCheck({ moderator: false, context: { user: { moderator: 'true' } } }), { ok: false, detail: /disagree/ })
})

t.test('Prosody-only features: fine self-hosted, a hint in a JaaS token', async t => {
  const features = { 'live-translation-subscribe': 'false', 'name-readonly': true }
  t.match(featuresCheck({ context: { features } }), { ok: true, detail: /live-translation-subscribe, name-readonly are read by Prosody only/ })
  t.match(featuresCheck({ context: { features: { flip: 'true', 'name-readonly': true, recording: false } } }), { ok: true, detail: /name-readonly is read by Prosody only/ })
  t.match(featuresCheck({ sub: 'vpaas-magic-cookie-abc', context: { features } }), { ok: false, detail: /JaaS's web client reports it as "Invalid feature"/ })
  t.match(featuresCheck({ context: {} }), { ok: true, detail: /moderators get Jitsi's default permissions \(.*send-private-message.*\), participants screen-sharing, live-translation-subscribe/ })
})

t.test('identity broadcast: private-looking keys are flagged, e-mail is named as shown to everyone', async t => {
  t.match(contextClaimsCheck({ context: { user: { name: 'A', phone: '+1 555', home_address: 'x' } } }), { ok: false, detail: /context\.user\.phone looks private.*every participant.*context\.user\.home_address looks private/ })
  t.match(contextClaimsCheck({ context: { user: { name: 'A', email: 'a@example.org' } } }), { ok: true, detail: /context\.user\.email, like every context\.user key, is shown to every participant/ })
  t.notMatch(contextClaimsCheck({ context: { user: { name: 'A' } } }).detail, /email/)
})

t.test('values that are not XML text break presence: flagged in context.user and context.group', async t => {
  const flagged = contextClaimsCheck({ context: { user: { name: 'Eve\u001f', department: 'x\uFFFE' }, group: 'g\u0000' } })
  t.match(flagged, { ok: false, detail: /context\.user\.name contains U\+001F.*context\.user\.department contains U\+FFFE.*context\.group contains U\+0000/ })
  t.match(contextClaimsCheck({ context: { user: { name: 'Zoë' }, group: 'acme' } }), { ok: true })
})
