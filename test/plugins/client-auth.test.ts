import t from 'tap'
import { writeFileSync } from 'node:fs'
import { bearer, build, testConfig, writeClientsFile } from '../helper.js'
import { bearerToken } from '../../src/plugins/client-auth.js'

const room = { room: 'r' }

t.test('no token without a valid key: 401 with WWW-Authenticate', async t => {
  const { file, keys } = writeClientsFile([{ id: 'a', grants: { rooms: ['*'] } }])
  const { app, logs, rawLogs } = await build(t, testConfig({ CLIENTS_FILE: file }), 'trace')
  const cases: Array<[Record<string, string>, string, string]> = [
    [{}, 'Bearer realm="jitsi-token-service"', 'missing_credentials'],
    [{ authorization: 'Basic dXNlcjpwYXNz' }, 'Bearer realm="jitsi-token-service"', 'missing_credentials'],
    [{ authorization: 'Bearer' }, 'Bearer realm="jitsi-token-service"', 'missing_credentials'],
    [bearer('jts_not-a-key'), 'Bearer realm="jitsi-token-service", error="invalid_token"', 'invalid_credentials'],
    [bearer(keys.a + 'x'), 'Bearer realm="jitsi-token-service", error="invalid_token"', 'invalid_credentials']
  ]
  for (const [headers, challenge] of cases) {
    const res = await app.inject({ method: 'POST', url: '/tokens', headers, payload: room })
    t.equal(res.statusCode, 401, JSON.stringify(headers))
    t.equal(res.headers['www-authenticate'], challenge)
    t.equal(res.json().status, 401)
    t.notOk(res.body.includes(keys.a!), 'the key is not echoed')
  }
  const refusals = logs.filter(line => line.event === 'token.refused')
  t.same(refusals.map(line => line.reason), cases.map(c => c[2]))
  const ok = await app.inject({ method: 'POST', url: '/tokens', headers: { authorization: `bearer  ${keys.a}` }, payload: room })
  t.equal(ok.statusCode, 201, 'the scheme is case-insensitive')
  t.notOk(rawLogs().includes(keys.a!), 'the API key never reaches the logs, even at trace')
  t.notOk(rawLogs().includes(ok.json().token), 'the issued token never reaches the logs')
})

t.test('authentication comes before reading the body', async t => {
  const { app } = await build(t, testConfig())
  const res = await app.inject({ method: 'POST', url: '/tokens', payload: 'not json', headers: { 'content-type': 'application/json' } })
  t.equal(res.statusCode, 401)
})

t.test('failed authentications are limited per IP; valid keys are not slowed', async t => {
  const { file, keys } = writeClientsFile([{ id: 'a', grants: { rooms: ['*'] } }])
  const { app } = await build(t, testConfig({ CLIENTS_FILE: file, AUTH_FAILURE_LIMIT: '3' }))
  for (let i = 0; i < 3; i++) {
    t.equal((await app.inject({ method: 'POST', url: '/tokens', headers: bearer('jts_guess' + i), payload: room })).statusCode, 401)
  }
  const limited = await app.inject({ method: 'POST', url: '/tokens', headers: bearer('jts_guess'), payload: room })
  t.equal(limited.statusCode, 429)
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After says when to come back')
  t.equal(limited.json().status, 429)
  const other = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(keys.a), payload: room, remoteAddress: '10.0.0.9' })
  t.equal(other.statusCode, 201, 'another address is unaffected')
})

t.test('per-client rate limit answers 429 with Retry-After', async t => {
  const { file, keys } = writeClientsFile([{ id: 'a', grants: { rooms: ['*'] } }, { id: 'b', grants: { rooms: ['*'] } }])
  const { app, logs } = await build(t, testConfig({ CLIENTS_FILE: file, RATE_LIMIT_MAX: '2' }))
  const statuses = []
  for (let i = 0; i < 3; i++) statuses.push((await app.inject({ method: 'POST', url: '/tokens', headers: bearer(keys.a), payload: room })).statusCode)
  t.same(statuses, [201, 201, 429])
  const limited = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(keys.a), payload: room })
  t.ok(Number(limited.headers['retry-after']) > 0)
  t.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal((await app.inject({ method: 'POST', url: '/tokens', headers: bearer(keys.b), payload: room })).statusCode, 201, 'limits are per client')
  t.match(logs.filter(line => line.event === 'token.refused').at(-1), { client: 'a', reason: 'rate_limited', status: 429 })
})

t.test('reloading the clients file adds and removes clients without a restart', async t => {
  const first = writeClientsFile([{ id: 'old', grants: { rooms: ['*'] } }])
  const { app } = await build(t, testConfig({ CLIENTS_FILE: first.file }))
  t.equal(app.clients.count, 1)
  const second = writeClientsFile([{ id: 'new', grants: { rooms: ['*'] } }, { id: 'other', grants: { rooms: ['*'] } }])
  writeFileSync(first.file, JSON.stringify(JSON.parse((await import('node:fs')).readFileSync(second.file, 'utf8'))))
  app.clients.reload()
  t.equal(app.clients.count, 2)
  t.equal((await app.inject({ method: 'POST', url: '/tokens', headers: bearer(second.keys.new), payload: room })).statusCode, 201)
  t.equal((await app.inject({ method: 'POST', url: '/tokens', headers: bearer(first.keys.old), payload: room })).statusCode, 401)

  writeFileSync(first.file, '{"clients": [{"id": "broken"}]}')
  t.throws(() => app.clients.reload(), /client "broken", field apiKeySha256|apiKeySha256/)
  t.equal((await app.inject({ method: 'POST', url: '/tokens', headers: bearer(second.keys.new), payload: room })).statusCode, 201, 'a bad file keeps the clients loaded before')
})

t.test('a malformed clients file stops start-up naming client and field', async t => {
  const { file } = writeClientsFile([{ id: 'lms', grants: { rooms: ['*'], features: ['teleport'] as never } }])
  await t.rejects(build(t, testConfig({ CLIENTS_FILE: file })), /client "lms", field grants\.features/)
})

t.test('bearerToken reads only the Bearer scheme', async t => {
  t.equal(bearerToken('Bearer abc'), 'abc')
  t.equal(bearerToken('BEARER\tabc '), 'abc')
  t.equal(bearerToken('Bearer a b'), undefined)
  t.equal(bearerToken(undefined), undefined)
})

t.test('production with only OIDC callers has no API-key clients', async t => {
  const config = testConfig({ NODE_ENV: 'production', METRICS_PUBLIC: 'true', OIDC_ISSUER: 'https://sso.example.org/realms/x', OIDC_AUDIENCE: 'jitsi' })
  t.equal(config.clientsFile, undefined)
  t.equal(config.developmentApiKey, undefined)
  const { app } = await build(t, config)
  t.equal(app.clients.count, 0)
  const res = await app.inject({ method: 'POST', url: '/tokens', headers: bearer('jts_anything'), payload: room })
  t.equal(res.statusCode, 401)
})
