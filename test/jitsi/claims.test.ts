import t from 'tap'
import { buildClaims, numericDate, roomOptionClaims, subjectClaim, userClaims, type IssuerSettings } from '../../src/jitsi/claims.js'

const settings: IssuerSettings = { issuer: 'my-app', audience: 'jitsi', xmppDomain: 'meet.jitsi', nbfSkew: 30, moderatorAs: 'boolean' }
// 2026-01-01T00:00:00.999Z: the fraction of a second must not leak into the claims.
const NOW_MS = 1_767_225_600_999
const JTI = '0b5f3c1e-7d2a-4f7e-9a4b-2f1d9c8e6a11'

t.test('time claims are whole seconds: iat = now, nbf = now - skew, exp = now + ttl', async t => {
  const claims = buildClaims({ room: 'r', ttl: 7200 }, settings, NOW_MS, JTI)
  t.equal(claims.iat, 1_767_225_600)
  t.equal(claims.nbf, 1_767_225_570)
  t.equal(claims.exp, 1_767_232_800)
  for (const name of ['iat', 'nbf', 'exp'] as const) {
    t.ok(Number.isInteger(claims[name]), `${name} is an integer`)
    t.ok(claims[name] < 1e10, `${name} is in seconds, not milliseconds`)
  }
  t.ok(claims.nbf < claims.iat && claims.iat < claims.exp)
  t.equal(buildClaims({ room: 'r', ttl: 60 }, { ...settings, nbfSkew: 0 }, NOW_MS, JTI).nbf, 1_767_225_600, 'no skew: nbf = iat')
  t.equal(numericDate(999), 0, 'rounds down, so a token is never valid before it was issued')
})

t.test('registered claims: iss, aud as a string, sub, room, jti', async t => {
  const claims = buildClaims({ room: 'Daily Standup', ttl: 60 }, settings, NOW_MS, JTI)
  t.equal(claims.iss, 'my-app')
  t.equal(claims.aud, 'jitsi')
  t.type(claims.aud, 'string', 'an array aud fails as soon as JWT_ACCEPTED_AUDIENCES is set')
  t.equal(claims.sub, 'meet.jitsi', 'without a tenant: the XMPP domain')
  t.equal(claims.room, 'daily%20standup', 'the backend-safe room name')
  t.equal(claims.jti, JTI)
  t.same(Object.keys(claims).sort(), ['aud', 'context', 'exp', 'iat', 'iss', 'jti', 'nbf', 'room', 'sub'])
})

t.test('sub is the lower-cased tenant; the room never carries it', async t => {
  const claims = buildClaims({ room: 'Standup', tenant: 'AcMe', ttl: 60 }, settings, NOW_MS, JTI)
  t.equal(claims.sub, 'acme')
  t.equal(claims.room, 'standup')
  t.equal(subjectClaim(undefined, 'meet.jitsi'), 'meet.jitsi')
  t.equal(subjectClaim('', 'meet.jitsi'), 'meet.jitsi', 'an empty tenant is no tenant')
  t.equal(subjectClaim('Team_1', 'meet.jitsi'), 'team_1')
})

t.test('a wildcard room is the claim "*"', async t => {
  t.equal(buildClaims({ room: '*', ttl: 60 }, settings, NOW_MS, JTI).room, '*')
})

t.test('context is always present, with context.user even when empty', async t => {
  t.same(buildClaims({ room: 'r', ttl: 60 }, settings, NOW_MS, JTI).context, { user: {} })
  t.same(buildClaims({ room: 'r', ttl: 60, context: {} }, settings, NOW_MS, JTI).context, { user: {} })
})

const USER = { id: 'u-42', name: 'Alice', email: 'alice@example.org', avatar: 'https://example.org/a.png' }

t.test('context.user: strings as given, booleans where their readers need booleans', async t => {
  const claims = buildClaims({
    room: 'r',
    ttl: 60,
    context: {
      user: { ...USER, moderator: true, affiliation: 'owner', lobby_bypass: true, security_bypass: false },
      group: 'sales'
    }
  }, settings, NOW_MS, JTI)
  t.same(claims.context, {
    user: { ...USER, affiliation: 'owner', moderator: true, lobby_bypass: true, security_bypass: false },
    group: 'sales'
  })
  t.equal(claims.context.user.lobby_bypass, true, 'token_lobby_bypass ignores the string "true"')
})

t.test('absent user fields stay absent: no nulls are broadcast in presence', async t => {
  const user = userClaims({ name: 'Bob' })
  t.same(user, { name: 'Bob' })
  t.notOk(Object.values(user).some(value => value === null || value === undefined))
  t.same(userClaims(), {})
})

t.test('moderator is a boolean by default and the string "true"/"false" for JaaS', async t => {
  t.equal(userClaims({ moderator: true }).moderator, true)
  t.equal(userClaims({ moderator: false }).moderator, false)
  t.equal(userClaims({ moderator: true }, {}, 'string').moderator, 'true')
  t.equal(userClaims({ moderator: false }, {}, 'string').moderator, 'false')
  const jaas = buildClaims({ room: 'r', ttl: 60, context: { user: { moderator: true } } }, { ...settings, moderatorAs: 'string' }, NOW_MS, JTI)
  t.equal(jaas.context.user.moderator, 'true')
  t.notOk('moderator' in userClaims({ name: 'x' }, {}, 'string'), 'no moderator claim unless asked')
})

t.test('security_bypass sent under context.room (the wiki) is emitted under context.user (where Jitsi reads it)', async t => {
  const claims = buildClaims({ room: 'r', ttl: 60, context: { room: { security_bypass: true, lobby: true } } }, settings, NOW_MS, JTI)
  t.equal(claims.context.user.security_bypass, true)
  t.same(claims.context.room, { lobby: true }, 'and not left under context.room')
  t.equal(userClaims({ security_bypass: false }, { security_bypass: true }).security_bypass, false, 'the context.user value wins')
  const onlyBypass = buildClaims({ room: 'r', ttl: 60, context: { room: { security_bypass: true } } }, settings, NOW_MS, JTI)
  t.notOk('room' in onlyBypass.context, 'no empty context.room is left behind')
})

t.test('context.room carries lobby as a boolean and password as a string, including ""', async t => {
  t.same(roomOptionClaims({ lobby: false, password: '' }), { lobby: false, password: '' }, '"" unsets the password')
  t.same(roomOptionClaims({ password: 's3cret' }), { password: 's3cret' })
  t.equal(roomOptionClaims({}), undefined)
  t.equal(roomOptionClaims(), undefined)
})

t.test('features: strings for every reader, except name-readonly, which must be the boolean true', async t => {
  const claims = buildClaims({
    room: 'r',
    ttl: 60,
    context: { features: { recording: true, livestreaming: false, 'screen-sharing': 'true', transcription: 'false', 'name-readonly': true } }
  }, settings, NOW_MS, JTI)
  t.same(claims.context.features, { livestreaming: 'false', recording: 'true', 'screen-sharing': 'true', transcription: 'false', 'name-readonly': true })
  t.same(buildClaims({ room: 'r', ttl: 60, context: { features: {} } }, settings, NOW_MS, JTI).context.features, {},
    'an empty features object is kept: it denies every feature')
  t.notOk('features' in buildClaims({ room: 'r', ttl: 60, context: { user: {} } }, settings, NOW_MS, JTI).context, 'no features unless asked')
})

t.test('the claims survive a JSON round trip unchanged (what the signer serialises)', async t => {
  const claims = buildClaims({ room: 'Тест', tenant: 'acme', ttl: 600, context: { user: { name: 'Zoë' }, features: { recording: true } } }, settings, NOW_MS, JTI)
  t.same(JSON.parse(JSON.stringify(claims)), claims)
})

t.test('new claims: hidden-from-recorder, role, lobby as given; custom claims after them; lobby_autostart and regex in context.room', async t => {
  const claims = buildClaims({
    room: 'team%-%d+',
    ttl: 60,
    context: {
      user: { name: 'Ann', 'hidden-from-recorder': false, role: 'visitor', lobby: false, department: 'sales' } as never,
      room: { lobby_autostart: false, regex: true }
    }
  }, { ...settings, topLevelModerator: true }, NOW_MS, JTI)
  t.same(claims.context.user, { name: 'Ann', 'hidden-from-recorder': false, role: 'visitor', lobby: false, department: 'sales' })
  t.same(claims.context.room, { lobby_autostart: false, regex: true })
  t.equal(claims.room, 'team%-%d+', 'a pattern is kept as written')
  t.equal(claims.moderator, false)
  t.same(roomOptionClaims({ regex: false }), undefined, 'regex: false is no pattern and no claim')
  t.notOk('moderator' in buildClaims({ room: 'r', ttl: 60 }, settings, NOW_MS, JTI), 'top-level moderator only when asked')
})
