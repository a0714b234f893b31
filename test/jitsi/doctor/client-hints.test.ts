/**
 * The web client's validateJwt hints (docs/jitsi.md §3.5) and the moderator flag's place: failing,
 * but never blocking, and the referee agrees Prosody accepts these tokens.
 */
import t from 'tap'
import { contextCheck, featuresCheck, jaasCheck, moderatorCheck } from '../../../src/jitsi/doctor/client-hints.js'
import { HS_HEADER, ROOM, check, claims, diagnoseAgreeing, hs } from './fixtures.js'

t.test('no context: a hint, and Prosody still accepts the token', async t => {
  const diagnosis = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ context: undefined })), ...ROOM })
  t.equal(diagnosis.valid, true)
  t.match(check(diagnosis, 'context'), { ok: false, blocking: false, detail: /"context not found"/ })
  t.match(contextCheck({ context: [] }), { ok: false })
})

t.test('features: unknown names, Prosody-only names and values the client calls invalid', async t => {
  const diagnosis = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ context: { features: { token_bypass: true, 'name-readonly': true, recording: '' } } })), ...ROOM })
  t.equal(diagnosis.valid, true)
  const { detail } = check(diagnosis, 'features')
  t.match(detail, /"token_bypass" is not a Jitsi feature \(the web client shows "Invalid feature: token_bypass"\)/)
  t.notMatch(detail, /name-readonly/, 'self-hosted, a Prosody-only name is no problem')
  t.match(detail, /"recording" is "", which the web client reports as an invalid value/)
  t.match(featuresCheck({ context: { features: { recording: true, livestreaming: 'false' } } }), { ok: true, detail: /\(2 listed\) is denied/ })
})

t.test('a moderator token without lobby_bypass knocks while the lobby is on (token_affiliation)', async t => {
  for (const user of [{ moderator: true }, { moderator: 'true' }, { affiliation: 'owner' }, { moderator: true, lobby_bypass: 'true' }]) {
    t.match(moderatorCheck({ context: { user } }), { ok: false, detail: /no context\.user\.lobby_bypass: true.*knock like everyone.*token_lobby_bypass/ }, JSON.stringify(user))
  }
  t.match(moderatorCheck({ context: { user: { moderator: true, lobby_bypass: true } } }), { ok: true })
  t.match(moderatorCheck({ sub: 'vpaas-magic-cookie-abc', context: { user: { moderator: 'true' } } }), { ok: true }, 'JaaS runs its own lobby rules')
  t.match(moderatorCheck({ context: { user: { name: 'guest' } } }), { ok: true }, 'a participant knocks anyway')
})

t.test('moderator: where and how it is written', async t => {
  const topLevel = diagnoseAgreeing(t, { token: hs(HS_HEADER, claims({ moderator: true, context: { user: { name: 'A' } } })), ...ROOM })
  t.match(check(topLevel, 'moderator'), { ok: false, blocking: false, detail: /at the top level \(true\).*context.user.moderator/ })
  t.match(moderatorCheck({ context: { user: { moderator: 'yes' } } }), { ok: false, detail: /is "yes"; token_affiliation only understands true or "true"/ })
  t.match(moderatorCheck({ context: { user: { moderator: 'true', lobby_bypass: true } } }), { ok: true, detail: /jicofo's authentication and auto-owner off/ })
  t.match(moderatorCheck({ context: { user: { moderator: false } } }), { ok: true, detail: /is false: the user joins as a member/ })
  t.match(moderatorCheck({}), { ok: true, detail: /joins as a member/ })
  // token_affiliation makes an owner affiliation owner, so a top-level true agrees with it.
  t.match(moderatorCheck({ moderator: true, context: { user: { affiliation: 'owner', lobby_bypass: true } } }), { ok: true, detail: /affiliation "owner" makes the user owner/ })
  t.match(moderatorCheck({ moderator: true, context: { user: { moderator: false, affiliation: 'teacher', lobby_bypass: true } } }), { ok: true })
  t.match(moderatorCheck({ moderator: false, context: { user: { affiliation: 'owner' } } }), { ok: false, detail: /disagree/ })
})

t.test('JaaS tokens: kid, aud, iss and features as 8x8 requires them', async t => {
  const appId = 'vpaas-magic-cookie-0123abcd'
  const jaas = { aud: 'jitsi', iss: 'chat', sub: appId, context: { features: {} } }
  t.match(jaasCheck({ kid: `${appId}/key1` }, jaas), { ok: true })
  t.match(jaasCheck({}, jaas), { ok: false, detail: /the header has no kid \(it must be "<AppID>\/<key id>"\)/ })
  t.match(jaasCheck({ kid: 'key1' }, jaas), { ok: false, detail: /kid "key1" does not start with sub "vpaas-magic-cookie-0123abcd" followed by "\/"/ })
  t.match(jaasCheck({ kid: `${appId}/k` }, { sub: appId, aud: 'jaas', iss: appId }).detail,
    /aud is "jaas", not "jitsi", iss is "vpaas-magic-cookie-0123abcd", not "chat", context.features is missing; 8x8 rejects it/)
  t.match(jaasCheck({}, { sub: 42 }), { ok: true, detail: /Not a JaaS token/ })
})

t.test('features that list only allowed ones: every default not listed is turned off', async t => {
  t.match(featuresCheck({ context: { user: { moderator: true }, features: { recording: 'true' } } }), { ok: false, detail: /lists 1 feature\(s\), all allowed, and so turns off .*including .*screen-sharing.*send-groupchat/ })
  t.match(featuresCheck({ context: { user: { affiliation: 'owner' }, features: { recording: true } } }), { ok: false, detail: /screen-sharing/ }, 'an owner affiliation is a moderator')
  t.match(featuresCheck({ context: { features: { flip: true } } }), { ok: false, detail: /including screen-sharing/ }, 'a participant loses screen sharing')
  t.match(featuresCheck({ context: { features: { recording: 'true', flip: 'false' } } }), { ok: true }, 'a written denial shows the listing rule is known')
  t.match(featuresCheck({ sub: 'vpaas-magic-cookie-abc', context: { features: { recording: 'true' } } }), { ok: true }, 'JaaS reads its features its own way')
  t.match(featuresCheck({ context: { features: { 'screen-sharing': true, 'live-translation-subscribe': true } } }), { ok: true }, 'a participant whose defaults are all listed loses nothing')
})
