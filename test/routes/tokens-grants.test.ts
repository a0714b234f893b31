import t from 'tap'
import { bearer, build, decodeJwt, testConfig, writeClientsFile } from '../helper.js'

const { file, keys } = writeClientsFile([
  { id: 'lms', grants: { rooms: ['course-*'], tenants: ['acme'], moderator: false, features: ['screen-sharing'], maxTtl: 7200 } },
  { id: 'root', grants: { rooms: ['*'], wildcardRoom: true, tenants: ['*'], moderator: true, features: ['*'] } },
  { id: 'plain', grants: { rooms: ['lobby'] } }
])
const config = testConfig({ CLIENTS_FILE: file })

const post = (app: Awaited<ReturnType<typeof build>>['app'], client: string, payload: object) =>
  app.inject({ method: 'POST', url: '/tokens', headers: bearer(keys[client]), payload })

t.test('a grant that allows exactly what is asked gives 201', async t => {
  const { app, logs } = await build(t, config)
  const res = await post(app, 'lms', {
    room: 'Course-101', tenant: 'ACME', ttl: 7200, context: { user: { name: 'Bob', affiliation: 'member' }, features: { 'screen-sharing': true, recording: false } }
  })
  t.equal(res.statusCode, 201, res.body)
  const { payload } = decodeJwt(res.json().token)
  t.equal(payload.sub, 'acme')
  t.equal(payload.room, 'course-101')
  const audit = logs.find(line => line.event === 'token.issued')
  t.match(audit, { client: 'lms', jti: payload.jti, room: 'course-101', sub: 'acme', moderator: false, exp: payload.exp })
})

t.test('one request with several violations names each field in one 403', async t => {
  const { app, logs } = await build(t, config)
  const res = await post(app, 'lms', {
    room: 'staff-room',
    tenant: 'other',
    ttl: 7201,
    context: { user: { moderator: true, affiliation: 'teacher' }, features: { recording: true, 'screen-sharing': true, livestreaming: 'true' } }
  })
  t.equal(res.statusCode, 403)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.same(res.json().errors.map((e: { path: string }) => e.path), [
    'room', 'tenant', 'context.user.moderator', 'context.user.affiliation', 'context.features.livestreaming', 'context.features.recording', 'ttl'
  ])
  const refusal = logs.find(line => line.event === 'token.refused')
  t.match(refusal, { client: 'lms', status: 403, reason: 'outside_grant' })
  t.notOk(logs.some(line => line.event === 'token.issued'), 'nothing issued')
})

t.test('without an explicit ttl the default never exceeds the client grant', async t => {
  const { app } = await build(t, testConfig({ CLIENTS_FILE: file, JWT_TTL: '10000', JWT_MAX_TTL: '20000' }))
  const res = await post(app, 'lms', { room: 'course-1', tenant: 'acme' })
  t.equal(res.statusCode, 201)
  const { payload } = decodeJwt(res.json().token)
  t.equal(payload.exp - payload.iat, 7200)
})

t.test('tenants: a listed tenant is required; none listed means no tenant; * means any', async t => {
  const { app } = await build(t, config)
  t.equal((await post(app, 'lms', { room: 'course-1' })).statusCode, 403, 'lms may not mint for the root domain')
  t.equal((await post(app, 'plain', { room: 'lobby', tenant: 'acme' })).statusCode, 403)
  t.equal((await post(app, 'plain', { room: 'LOBBY' })).statusCode, 201, 'room patterns ignore case')
  t.equal((await post(app, 'root', { room: 'x', tenant: 'anything' })).statusCode, 201)
  t.equal((await post(app, 'root', { room: 'x' })).statusCode, 201)
})

t.test('wildcard rooms need wildcardRoom and yield no URL', async t => {
  const { app } = await build(t, config)
  const refused = await post(app, 'lms', { room: '*', tenant: 'acme' })
  t.equal(refused.statusCode, 403)
  t.same(refused.json().errors.map((e: { path: string }) => e.path), ['room'])
  const granted = await post(app, 'root', { room: '*' })
  t.equal(granted.statusCode, 201)
  t.equal(granted.json().room, '*')
  t.notOk('url' in granted.json())
  t.equal(decodeJwt(granted.json().token).payload.room, '*')
})

t.test('feature grants: * allows all, disabling is always allowed', async t => {
  const { app } = await build(t, config)
  t.equal((await post(app, 'root', { room: 'r', context: { features: { recording: true, transcription: 'true' } } })).statusCode, 201)
  t.equal((await post(app, 'plain', { room: 'lobby', context: { features: { recording: false, transcription: 'false' } } })).statusCode, 201)
})

t.test('a restricted client\'s tokens give Jitsi\'s defaults for the role, minus what it is not granted', async t => {
  const { app } = await build(t, config)
  const plain = decodeJwt((await post(app, 'plain', { room: 'lobby' })).json().token).payload
  t.same(plain.context.features, { 'screen-sharing': 'false', 'live-translation-subscribe': 'false' },
    'present, so Jitsi cannot fall back to every feature; what a missing key would allow is denied in writing')
  const lms = decodeJwt((await post(app, 'lms', { room: 'course-1', tenant: 'acme', context: { features: { 'screen-sharing': true } } })).json().token).payload
  t.same(lms.context.features, { 'screen-sharing': 'true', 'live-translation-subscribe': 'false' })
  const root = decodeJwt((await post(app, 'root', { room: 'x' })).json().token).payload
  t.notOk('features' in root.context, 'a client granted every feature may leave the choice to Jitsi')
})

t.test('a restricted client\'s moderators keep recording, polls and chat when it is granted them', async t => {
  const { file, keys } = writeClientsFile([{ id: 'school', grants: { rooms: ['*'], moderator: true, features: ['recording', 'create-polls', 'send-groupchat', 'send-private-message', 'screen-sharing'] } }])
  const { app } = await build(t, testConfig({ CLIENTS_FILE: file }))
  const res = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(keys.school), payload: { room: 'class', context: { user: { moderator: true } } } })
  t.equal(res.statusCode, 201, res.body)
  const granted = ['recording', 'create-polls', 'send-groupchat', 'send-private-message', 'screen-sharing']
  const denied = ['livestreaming', 'transcription', 'outbound-call', 'flip', 'live-translation', 'live-translation-subscribe']
  t.same(decodeJwt(res.json().token).payload.context.features, {
    ...Object.fromEntries(granted.map(name => [name, 'true'])), ...Object.fromEntries(denied.map(name => [name, 'false']))
  })
  const participant = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(keys.school), payload: { room: 'class' } })
  t.same(decodeJwt(participant.json().token).payload.context.features, { 'screen-sharing': 'true', 'live-translation-subscribe': 'false' },
    'a participant gets no more than Jitsi gives participants')
})

t.test('bypassing or changing room security needs the moderator grant', async t => {
  const { app } = await build(t, config)
  const asked = { room: 'course-1', tenant: 'acme', context: { user: { lobby_bypass: true, security_bypass: true }, room: { lobby: false, password: '' } } }
  const refused = await post(app, 'lms', asked)
  t.equal(refused.statusCode, 403)
  t.same(refused.json().errors.map((e: { path: string }) => e.path), ['context.user.lobby_bypass', 'context.user.security_bypass', 'context.room.lobby', 'context.room.password'])
  t.equal((await post(app, 'lms', { room: 'course-1', tenant: 'acme', context: { user: { lobby_bypass: false }, room: { security_bypass: false } } })).statusCode, 201, 'false asks for nothing')
  t.equal((await post(app, 'lms', { room: 'course-1', tenant: 'acme', context: { room: { security_bypass: true } } })).statusCode, 403)
  t.equal((await post(app, 'root', { ...asked, tenant: 'acme' })).statusCode, 201)
})

t.test('with the JaaS profile a restricted client lists its features without Prosody-only names', async t => {
  const { rsaKey, keyFile } = await import('../keys/fixtures.js')
  const jaas = testConfig({
    CLIENTS_FILE: file,
    JWT_PROFILE: 'jaas',
    JAAS_APP_ID: 'vpaas-magic-cookie-0123456789abcdef0123456789abcdef',
    JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().pem),
    JWT_KID: 'abc123',
    JWT_APP_SECRET: undefined
  })
  const { app } = await build(t, jaas)
  const res = await post(app, 'plain', { room: 'lobby' })
  t.equal(res.statusCode, 201, res.body)
  t.same(decodeJwt(res.json().token).payload.context.features, { 'screen-sharing': 'false' }, 'present; what JaaS allows when unlisted is denied in writing')
})
