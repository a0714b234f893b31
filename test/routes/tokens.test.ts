import t from 'tap'
import { jwtVerify } from 'jose'
import { APP_ID, PUBLIC_URL, SECRET, bearer, build, decodeJwt, testConfig } from '../helper.js'

const config = testConfig()
const key = config.developmentApiKey

t.test('issues a token Prosody accepts, with a meeting URL', async t => {
  const { app } = await build(t, config)
  const before = Math.floor(Date.now() / 1000)
  const res = await app.inject({
    method: 'POST',
    url: '/tokens',
    headers: bearer(key),
    payload: {
      room: 'Daily Standup',
      tenant: 'acme',
      ttl: 600,
      context: {
        user: { id: 'u-42', name: 'Alice', email: 'alice@example.org', moderator: true, affiliation: 'owner' },
        room: { lobby: false, security_bypass: true },
        features: { recording: true, 'screen-sharing': 'false' }
      },
      meeting: { config: { 'prejoinConfig.enabled': false }, userInfo: { displayName: 'Alice' } }
    }
  })
  t.equal(res.statusCode, 201, res.body)
  const body = res.json()
  t.equal(body.room, 'daily%20standup')
  t.equal(body.url, `${PUBLIC_URL}/acme/Daily%20Standup?jwt=${body.token}#config.prejoinConfig.enabled=false&userInfo.displayName=%22Alice%22`)

  // Verified by a different library than the one that signed it, with Prosody's rules.
  const { payload, protectedHeader } = await jwtVerify(body.token, new TextEncoder().encode(SECRET), {
    algorithms: ['HS256'], issuer: APP_ID, audience: 'jitsi', clockTolerance: 0
  })
  t.same(protectedHeader, { alg: 'HS256', typ: 'JWT' })
  t.equal(payload.sub, 'acme')
  t.equal(payload.room, 'daily%20standup')
  t.type(payload.aud, 'string')
  t.ok(Number.isInteger(payload.exp) && payload.exp! < 1e11, 'exp is in seconds')
  t.ok(payload.iat! >= before && payload.iat! <= before + 2)
  t.equal(payload.exp! - payload.iat!, 600)
  t.equal(payload.iat! - payload.nbf!, 30)
  t.match(payload.jti, /^[0-9a-f-]{36}$/)
  t.same(payload.context, {
    user: { id: 'u-42', name: 'Alice', email: 'alice@example.org', affiliation: 'owner', moderator: true, security_bypass: true, lobby_bypass: true },
    room: { lobby: false },
    features: { recording: 'true', 'screen-sharing': 'false' }
  })
  t.equal(body.expiresAt, new Date(payload.exp! * 1000).toISOString())
})

t.test('without a tenant, sub is the XMPP domain, not the public host', async t => {
  const { app } = await build(t, config)
  const res = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(key), payload: { room: 'Тест' } })
  t.equal(res.statusCode, 201)
  const { payload } = decodeJwt(res.json().token)
  t.equal(payload.sub, 'meet.jitsi')
  t.equal(payload.room, '%d1%82%d0%b5%d1%81%d1%82')
  t.equal(payload.exp - payload.iat, 3600, 'JWT_TTL by default')
  t.same(payload.context, { user: {} }, 'context is always present')
  t.equal(res.json().url, `${PUBLIC_URL}/%D0%A2%D0%B5%D1%81%D1%82?jwt=${res.json().token}`)
})

t.test('every bad field is named in one 400 problem', async t => {
  const { app } = await build(t, config)
  const res = await app.inject({
    method: 'POST',
    url: '/tokens',
    headers: bearer(key),
    payload: {
      tenant: 'acme.org',
      ttl: '60',
      context: { user: { moderator: 'yes', 'nick name': 'x' }, features: { teleport: true, recording: 'on' } }
    }
  })
  t.equal(res.statusCode, 400)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  const problem = res.json()
  t.equal(problem.status, 400)
  t.equal(problem.requestId, res.headers['x-request-id'] ?? problem.requestId)
  t.same(problem.errors.map((e: { path: string }) => e.path).sort(), [
    'context.features.recording', 'context.features.teleport', 'context.user.moderator', 'context.user.nick name', 'room', 'tenant', 'ttl'
  ])
  t.match(problem.errors.find((e: { path: string }) => e.path === 'context.features.teleport').message, /not a known feature/)
})

t.test('room names the web client would mangle are refused', async t => {
  const { app } = await build(t, config)
  for (const room of ['a/b', 'what?', 'x#y', 'me@home', 'a:b', '..', ' padded', 'tab\there']) {
    const res = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(key), payload: { room } })
    t.equal(res.statusCode, 400, room)
    t.equal(res.json().errors[0].path, 'room', room)
  }
})

t.test('ttl above JWT_MAX_TTL is refused, not clamped', async t => {
  const { app } = await build(t, testConfig({ JWT_MAX_TTL: '7200' }))
  const res = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(testConfig().developmentApiKey), payload: { room: 'r', ttl: 7201 } })
  t.equal(res.statusCode, 401, 'a fresh config has a fresh development key')
  const own = testConfig({ JWT_MAX_TTL: '7200' })
  const built = await build(t, own)
  const refused = await built.app.inject({ method: 'POST', url: '/tokens', headers: bearer(own.developmentApiKey), payload: { room: 'r', ttl: 7201 } })
  t.equal(refused.statusCode, 400)
  t.same(refused.json().errors, [{ path: 'ttl', message: 'must be at most 7200' }])
  const ok = await built.app.inject({ method: 'POST', url: '/tokens', headers: bearer(own.developmentApiKey), payload: { room: 'r', ttl: 7200 } })
  t.equal(ok.statusCode, 201)
})

t.test('bodies that are not JSON objects get a clear 4xx, never a 500', async t => {
  const own = testConfig({ BODY_LIMIT: '2048' })
  const { app } = await build(t, own)
  const post = (payload: string, contentType = 'application/json') => app.inject({
    method: 'POST', url: '/tokens', headers: { ...bearer(own.developmentApiKey), 'content-type': contentType }, payload
  })
  const cases: Array<[string, string, number]> = [
    ['{"room": "x"', 'application/json', 400],
    ['', 'application/json', 400],
    ['[]', 'application/json', 400],
    ['"room"', 'application/json', 400],
    ['null', 'application/json', 400],
    ['{"room": "x", "__proto__": {"admin": true}}', 'application/json', 400],
    ['room=x', 'application/x-www-form-urlencoded', 415],
    ['room: x', 'text/plain', 415],
    [JSON.stringify({ room: 'x'.repeat(3000) }), 'application/json', 413],
    ['{"room": "\\ud800"}', 'application/json', 400]
  ]
  for (const [payload, contentType, status] of cases) {
    const res = await post(payload, contentType)
    t.equal(res.statusCode, status, `${contentType} ${payload.slice(0, 40)}`)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.type(res.json().requestId, 'string')
  }
})

t.test('the request id of a proxy is kept, junk ids are replaced', async t => {
  const { app } = await build(t, { ...config, trustProxy: ['loopback'] })
  const kept = await app.inject({ method: 'POST', url: '/tokens', headers: { 'x-request-id': 'abc-123' }, payload: {} })
  t.equal(kept.json().requestId, 'abc-123')
  const replaced = await app.inject({ method: 'POST', url: '/tokens', headers: { 'x-request-id': 'a b\nc' }, payload: {} })
  t.match(replaced.json().requestId, /^[0-9a-f-]{36}$/)
})

t.test('unknown routes answer 404 problem+json without echoing the query', async t => {
  const { app } = await build(t, config)
  const res = await app.inject({ method: 'GET', url: '/nope?jwt=secret-token' })
  t.equal(res.statusCode, 404)
  t.notMatch(res.body, /secret-token/)
})
