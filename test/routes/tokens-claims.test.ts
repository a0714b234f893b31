/**
 * The claims Jitsi reads today, through POST /tokens: validated (400), grant-checked where they give
 * power (403), and emitted in the type their reader needs.
 */
import t from 'tap'
import { bearer, build, decodeJwt, testConfig, writeClientsFile } from '../helper.js'

const { file, keys } = writeClientsFile([
  { id: 'root', grants: { rooms: ['*'], wildcardRoom: true, tenants: ['*'], moderator: true, features: ['*'], userClaims: ['department', 'lms.course'] } },
  { id: 'lms', grants: { rooms: ['course-*'], moderator: false, features: ['recording'] } },
  { id: 'mod', grants: { rooms: ['course-*'], moderator: true, features: ['*'] } }
])
const config = testConfig({ CLIENTS_FILE: file })

type App = Awaited<ReturnType<typeof build>>['app']
const post = (app: App, client: string, payload: object) =>
  app.inject({ method: 'POST', url: '/tokens', headers: bearer(keys[client]), payload })
const paths = (res: { json: () => { errors: Array<{ path: string }> } }) => res.json().errors.map(e => e.path)

t.test('new user and room claims are emitted with the types their readers need', async t => {
  const { app } = await build(t, config)
  const res = await post(app, 'root', {
    room: 'Town Hall',
    context: {
      user: { name: 'Ann', 'hidden-from-recorder': true, role: 'visitor', lobby: true, department: 'sales', 'lms.course': true },
      room: { lobby_autostart: false },
      features: { 'send-private-message': true }
    }
  })
  t.equal(res.statusCode, 201, res.body)
  const { payload } = decodeJwt(res.json().token)
  t.same(payload.context.user, { name: 'Ann', 'hidden-from-recorder': true, role: 'visitor', lobby: true, department: 'sales', 'lms.course': true })
  t.same(payload.context.room, { lobby_autostart: false }, 'token_lobby_autostart acts on the boolean false only')
  t.same(payload.context.features, { 'send-private-message': 'true' })
  t.notOk('moderator' in payload, 'no top-level moderator unless JWT_TOP_LEVEL_MODERATOR is on')
  t.notOk('notes' in res.json())
})

t.test('bad values are 400s naming the field', async t => {
  const { app } = await build(t, config)
  const res = await post(app, 'root', {
    room: 'r',
    context: { user: { role: 'moderator', 'hidden-from-recorder': 'yes', lobby: 'true', '1bad': 'x', department: { nested: true } }, room: { lobby_autostart: 'false', regex: 'true' } }
  })
  t.equal(res.statusCode, 400)
  t.same(paths(res).sort(), [
    'context.room.lobby_autostart', 'context.room.regex', 'context.user.1bad', 'context.user.department', 'context.user.hidden-from-recorder',
    'context.user.lobby', 'context.user.role'
  ])
})

t.test('claims that give power need their grant; role visitor needs none', async t => {
  const { app } = await build(t, config)
  const res = await post(app, 'lms', {
    room: 'course-1',
    context: { user: { 'hidden-from-recorder': true, lobby: false, department: 'x', Moderator: 'true' }, room: { lobby_autostart: false } }
  })
  t.equal(res.statusCode, 403)
  t.same(paths(res), ['context.user.lobby', 'context.room.lobby_autostart', 'context.user.hidden-from-recorder', 'context.user.department', 'context.user.Moderator'])
  t.match(res.json().errors[3].message, /grants\.userClaims/)
  t.match(res.json().errors[4].message, /spelled like a claim Jitsi reads/)
  const ok = await post(app, 'lms', { room: 'course-1', context: { user: { role: 'visitor', 'hidden-from-recorder': false } } })
  t.equal(ok.statusCode, 201, 'a viewer, or staying visible, asks for nothing')
  t.equal(decodeJwt(ok.json().token).payload.context.user.role, 'visitor')
})

t.test('a room pattern: kept as written, no link, a note on domain verification, wildcard grant only', async t => {
  const { app } = await build(t, config)
  const res = await post(app, 'root', { room: 'course%-%d+', context: { room: { regex: true } } })
  t.equal(res.statusCode, 201, res.body)
  const body = res.json()
  t.equal(body.room, 'course%-%d+')
  t.notOk('url' in body, 'a pattern names no one room')
  t.match(body.notes, [/only with domain verification on/])
  t.same(decodeJwt(body.token).payload.context.room, { regex: true })
  t.equal(decodeJwt(body.token).payload.room, 'course%-%d+', 'not lower-cased or encoded: Lua classes are case-sensitive')

  const refused = await post(app, 'mod', { room: 'course%-%d+', context: { room: { regex: true } } })
  t.equal(refused.statusCode, 403)
  t.same(paths(refused), ['context.room.regex'])

  const unbounded = await post(app, 'root', { room: 'a*b*c*d*', context: { room: { regex: true } } })
  t.equal(unbounded.statusCode, 400)
  t.match(unbounded.json().errors, [{ path: 'room', message: /4 quantifiers/ }])
  t.equal(unbounded.json().errors.length, 1, 'one error per field, not the if/then wrapper too')
  const long = await post(app, 'root', { room: 'x'.repeat(129), context: { room: { regex: true } } })
  t.match(long.json().errors, [{ path: 'room', message: /at most 128/ }])
  const literal = await post(app, 'root', { room: 'course%-%d+', context: { room: { regex: false } } })
  t.equal(literal.statusCode, 400, 'without regex the room is a name, and % is fine but + is stripped by the web client')
})

t.test('JWT_TOP_LEVEL_MODERATOR adds a top-level boolean moderator', async t => {
  const { app } = await build(t, testConfig({ CLIENTS_FILE: file, JWT_TOP_LEVEL_MODERATOR: 'true' }))
  const moderator = decodeJwt((await post(app, 'mod', { room: 'course-1', context: { user: { moderator: true } } })).json().token).payload
  t.equal(moderator.moderator, true)
  t.equal(moderator.context.user.moderator, true, 'core Jitsi still reads it under context.user')
  const member = decodeJwt((await post(app, 'mod', { room: 'course-1' })).json().token).payload
  t.equal(member.moderator, false, 'always a boolean, so the plugin never guesses')
  const owner = decodeJwt((await post(app, 'mod', { room: 'course-1', context: { user: { affiliation: 'owner' } } })).json().token).payload
  t.equal(owner.moderator, true, 'an owner affiliation makes a moderator, so token_moderation must not demote them')
})

t.test('video-hidden-from-recorder: a boolean like its sibling, and hiding needs the moderator grant', async t => {
  const { app } = await build(t, config)
  const res = await post(app, 'mod', { room: 'course-1', context: { user: { name: 'Cam', 'video-hidden-from-recorder': true } } })
  t.equal(res.statusCode, 201, res.body)
  t.equal(decodeJwt(res.json().token).payload.context.user['video-hidden-from-recorder'], true)

  const refused = await post(app, 'lms', { room: 'course-1', context: { user: { 'video-hidden-from-recorder': true, 'hidden-from-recorder': true } } })
  t.equal(refused.statusCode, 403)
  t.same(paths(refused), ['context.user.hidden-from-recorder', 'context.user.video-hidden-from-recorder'])
  t.match(refused.json().errors[1].message, /video from recordings, which needs the moderator grant/)
  const visible = await post(app, 'lms', { room: 'course-1', context: { user: { 'video-hidden-from-recorder': false } } })
  t.equal(visible.statusCode, 201, 'staying visible asks for nothing')

  const bad = await post(app, 'root', { room: 'r', context: { user: { 'video-hidden-from-recorder': 'yes' } } })
  t.equal(bad.statusCode, 400)
  t.same(paths(bad), ['context.user.video-hidden-from-recorder'])
})

t.test('a moderator token skips the lobby (token_lobby_bypass) unless the request says otherwise', async t => {
  const { app } = await build(t, config)
  const user = async (client: string, u: object) => decodeJwt((await post(app, client, { room: 'course-1', context: { user: u } })).json().token).payload.context.user
  t.equal((await user('mod', { moderator: true })).lobby_bypass, true)
  t.equal((await user('mod', { affiliation: 'teacher' })).lobby_bypass, true, 'an owner affiliation is a moderator too')
  t.equal((await user('mod', { moderator: true, lobby_bypass: false })).lobby_bypass, false, 'the request decides when it says')
  t.notOk('lobby_bypass' in await user('mod', { name: 'Guest' }), 'a participant knocks')
  t.notOk('lobby_bypass' in await user('lms', { moderator: false }))

  const { rsaKey, keyFile } = await import('../keys/fixtures.js')
  const { app: jaas } = await build(t, testConfig({
    CLIENTS_FILE: file,
    JWT_PROFILE: 'jaas',
    JAAS_APP_ID: 'vpaas-magic-cookie-0123456789abcdef0123456789abcdef',
    JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().pem),
    JWT_KID: 'abc123',
    JWT_APP_SECRET: undefined
  }))
  const res = await jaas.inject({ method: 'POST', url: '/tokens', headers: bearer(keys.mod), payload: { room: 'course-1', context: { user: { moderator: true } } } })
  t.equal(res.statusCode, 201, res.body)
  t.notOk('lobby_bypass' in decodeJwt(res.json().token).payload.context.user, 'JaaS runs its own lobby rules')
})

t.test('notes: an upper-case Lua class in a pattern, and a tenant with "_"', async t => {
  const { app } = await build(t, config)
  const inverted = await post(app, 'root', { room: 'room%D+', context: { room: { regex: true } } })
  t.equal(inverted.statusCode, 201, inverted.body)
  t.match(inverted.json().notes, [/domain verification/, /%D: Jitsi before jitsi-meet#17803.*\[\^%d\]/])
  const underscored = await post(app, 'root', { room: 'r', tenant: 'Team_A' })
  t.equal(underscored.statusCode, 201, underscored.body)
  t.match(underscored.json().notes, [/tenant contains "_": Prosody 13\.0\.3 and later/])
  t.equal(decodeJwt(underscored.json().token).payload.sub, 'team_a', 'still minted: docker-jitsi-meet accepts it')
  t.notOk('notes' in (await post(app, 'root', { room: 'r', tenant: 'team-a' })).json())
})

t.test('identityFields and guestIdentityFields: an API client may not put a field everyone sees outside its grant', async t => {
  const { file, keys } = writeClientsFile([{ id: 'school', grants: { rooms: ['*'], moderator: true, features: ['*'], guestIdentityFields: ['id', 'name'] } }])
  const { app } = await build(t, testConfig({ CLIENTS_FILE: file }))
  const send = (user: object) => app.inject({ method: 'POST', url: '/tokens', headers: bearer(keys.school), payload: { room: 'r', context: { user } } })
  const guest = await send({ name: 'Pupil', email: 'pupil@example.org', avatar: 'https://example.org/p.png' })
  t.equal(guest.statusCode, 403)
  t.same(paths(guest), ['context.user.email', 'context.user.avatar'])
  t.match(guest.json().errors[0].message, /shown to every participant.*guestIdentityFields grant leaves it out of participant tokens/)
  t.equal((await send({ name: 'Pupil', id: 'p-1' })).statusCode, 201)
  t.equal((await send({ name: 'Teacher', email: 'teacher@example.org', moderator: true })).statusCode, 201, 'moderators keep every field')

  const { file: strict, keys: strictKeys } = writeClientsFile([{ id: 'anon', grants: { rooms: ['*'], features: ['*'], identityFields: ['name'] } }])
  const { app: anon } = await build(t, testConfig({ CLIENTS_FILE: strict }))
  const refused = await anon.inject({ method: 'POST', url: '/tokens', headers: bearer(strictKeys.anon), payload: { room: 'r', context: { user: { id: 'u', name: 'A' } } } })
  t.same(paths(refused), ['context.user.id'])
  t.match(refused.json().errors[0].message, /identityFields grant/)
})

t.test('what reaches other participants is XML text: control and non-characters are 400s naming the field', async t => {
  const { app } = await build(t, config)
  const res = await post(app, 'root', {
    room: 'r',
    context: {
      user: { name: 'Eve\u001f', email: 'e\u0000@example.org', avatar: 'https://example.org/\uFFFE.png', id: 'x\uD800', department: 'sales\u0007' },
      group: 'g\uFFFF'
    }
  })
  t.equal(res.statusCode, 400)
  t.same(paths(res).sort(), ['context.group', 'context.user.avatar', 'context.user.department', 'context.user.email', 'context.user.id', 'context.user.name'])
  t.match(res.json().errors.find((e: { path: string }) => e.path === 'context.user.name').message, /contains U\+001F, which XML cannot carry/)
  const fine = await post(app, 'root', { room: 'r', context: { user: { name: 'Zoë\tTab 😀', department: 'a\nb' }, group: 'acme' } })
  t.equal(fine.statusCode, 201, fine.body)
})
