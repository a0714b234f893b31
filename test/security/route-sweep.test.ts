/**
 * Every route the app registers (collected with onRoute, so routes added later are swept too) gets
 * malformed queries, paths and headers: none of them may produce a 5xx.
 */
import Fastify, { type HTTPMethods } from 'fastify'
import t from 'tap'
import app, { LOG_REDACTIONS, serverOptions } from '../../src/app.js'
import { bearer, writeClientsFile } from '../helper.js'
import { startTestIdp } from '../support/oidc-idp.js'
import { LOGIN_BASE, loginConfig } from '../login/support.js'

const QUERIES = ['?%zz', '?state=%E0%A4%A', '?%', `?state=${'x'.repeat(20_000)}`, '?a=1&a=2&a=3', '?__proto__[x]=1&constructor[prototype][y]=2', '?room=%00%ff', '?nonce=%zz&state=%7B']
const SUFFIXES = ['/%zz', '%00', '/..%2f..%2fetc', `/${'y'.repeat(600)}`]
const HEADERS: Array<Record<string, string>> = [
  { 'x-request-id': '../../etc/passwd\u0007' },
  { 'x-forwarded-for': 'not-an-ip, ::ffff:zz' },
  { authorization: 'Bearer \u00ff\u00fe' },
  { authorization: 'Basic %zz' },
  { cookie: 'a=%zz; jts_tx_x=%E0%A4%A; ' + 'c'.repeat(3000) },
  { 'content-type': 'application/json; charset=utf-7' },
  { accept: '*/*;q=zz' }
]

t.test('malformed queries, paths and headers on every registered route: never a 5xx', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { file, keys } = writeClientsFile([{ id: 'root', grants: { rooms: ['*'], wildcardRoom: true, tenants: ['*'], moderator: true, features: ['*'] } }])
  const config = loginConfig(idp, { CLIENTS_FILE: file, RATE_LIMIT_MAX: '1000000', METRICS_TOKEN: 'a-metrics-token-for-the-sweep-0123456789' })
  const fastify = Fastify(serverOptions(config, { level: 'silent', redact: LOG_REDACTIONS }))
  const routes: Array<{ method: HTTPMethods, url: string }> = []
  fastify.addHook('onRoute', route => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url })
  })
  await fastify.register(app, { config })
  await fastify.ready()
  t.teardown(() => fastify.close())
  t.ok(routes.length >= 10, `${routes.length} routes collected`)
  t.ok(routes.some(route => route.url === '/login/callback'), 'the login routes are among them')

  let requests = 0
  for (const { method, url } of routes) {
    const path = url.replace(/:[^/]+/g, 'x').replace(/\*$/, 'x')
    const variants = [...QUERIES.map(query => ({ url: path + query, headers: {} })), ...SUFFIXES.map(suffix => ({ url: path + suffix, headers: {} })), ...HEADERS.map(headers => ({ url: path, headers }))]
    for (const variant of variants) {
      const res = await fastify.inject({ method, url: variant.url, headers: { ...bearer(keys.root), ...variant.headers }, payload: method === 'GET' || method === 'DELETE' ? undefined : '{"room":"r"}' })
      requests++
      if (res.statusCode >= 500) t.fail(`${method} ${variant.url.slice(0, 80)} ${JSON.stringify(variant.headers).slice(0, 80)} → ${res.statusCode} ${res.body.slice(0, 200)}`)
    }
  }
  t.pass(`${requests} hostile requests over ${routes.length} routes, no 5xx`)
})
