/** Every answer carries X-Request-Id (the README promises it): the id of its log line and problem body. */
import t from 'tap'
import type { InjectOptions } from 'fastify'
import { bearer, build, testConfig } from '../helper.js'

t.test('X-Request-Id is on every answer: success, errors, 404, 413, 415, 429, health, metrics', async t => {
  const config = testConfig({ BODY_LIMIT: '1024', AUTH_FAILURE_LIMIT: '1' })
  // debug: probes and scrapes log their access line at debug.
  const { app, logs } = await build(t, config, 'debug')
  const key = bearer(config.developmentApiKey)
  const json = { 'content-type': 'application/json' }
  const cases: Array<[string, InjectOptions, number]> = [
    ['token issued', { method: 'POST', url: '/tokens', headers: key, payload: { room: 'r' } }, 201],
    ['health', { method: 'GET', url: '/health' }, 200],
    ['readiness', { method: 'GET', url: '/health/ready' }, 200],
    ['metrics', { method: 'GET', url: '/metrics' }, 200],
    ['unknown path', { method: 'GET', url: '/no/such/path?jwt=secret' }, 404],
    ['invalid fields', { method: 'POST', url: '/tokens', headers: key, payload: { room: 'r', ttl: 'long' } }, 400],
    ['not JSON', { method: 'POST', url: '/tokens', headers: { ...key, ...json }, payload: '{"room":' }, 400],
    ['too large', { method: 'POST', url: '/tokens', headers: key, payload: { room: 'x'.repeat(2000) } }, 413],
    ['not JSON at all', { method: 'POST', url: '/tokens', headers: { ...key, 'content-type': 'text/plain' }, payload: 'room=r' }, 415],
    ['no credentials', { method: 'POST', url: '/tokens', payload: { room: 'r' } }, 401],
    ['bad key', { method: 'POST', url: '/tokens', headers: bearer('jts_guess'), payload: { room: 'r' } }, 401],
    ['failure budget spent', { method: 'POST', url: '/tokens', headers: bearer('jts_guess'), payload: { room: 'r' } }, 429]
  ]
  for (const [name, request, status] of cases) {
    const res = await app.inject(request)
    t.equal(res.statusCode, status, name)
    const id = res.headers['x-request-id']
    t.match(id, /^[\w.-]{1,64}$/, `${name}: has an id`)
    t.equal(logs.at(-1)?.requestId, id, `${name}: the log line's id`)
    if (status >= 400) t.equal(res.json().requestId, id, `${name}: the problem body's id`)
  }
})

t.test('an id a trusted proxy sent is echoed; anything unsafe, or from anyone else, is replaced', async t => {
  const { app } = await build(t, testConfig({ TRUST_PROXY: 'loopback' }))
  t.equal((await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'nginx-4f2a.1' } })).headers['x-request-id'], 'nginx-4f2a.1')
  const { app: direct } = await build(t)
  t.match((await direct.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'nginx-4f2a.1' } })).headers['x-request-id'], /^[0-9a-f-]{36}$/, 'without TRUST_PROXY a client cannot name its request')
  const { app: elsewhere } = await build(t, testConfig({ TRUST_PROXY: '10.0.0.0/8, fd00::/8' }))
  t.match((await elsewhere.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'planted' } })).headers['x-request-id'], /^[0-9a-f-]{36}$/, 'a peer outside TRUST_PROXY')
  const { app: hops } = await build(t, testConfig({ TRUST_PROXY: '1' }))
  t.equal((await hops.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'hop-1' } })).headers['x-request-id'], 'hop-1', 'a hop count trusts the nearest peer')
  const replaced = (await app.inject({ method: 'GET', url: '/nope', headers: { 'x-request-id': 'a b\r\nSet-Cookie: x' } })).headers['x-request-id']
  t.match(replaced, /^[0-9a-f-]{36}$/)
})
