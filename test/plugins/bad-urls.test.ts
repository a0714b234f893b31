/**
 * Issue 12 item 5: malformed URLs and bad percent-encoding get the same problem+json 400 as every
 * other refusal, on every route, and neither the body nor the log quotes the URL (it may hold a token).
 */
import t from 'tap'
import { bearer, build, testConfig, writeClientsFile } from '../helper.js'

const { file, keys } = writeClientsFile([{ id: 'root', grants: { rooms: ['*'] } }])
const config = testConfig({ CLIENTS_FILE: file })
const SECRET_IN_URL = 'jwt=eyJsecret.token.here'

t.test('bad percent-encoding in the path or the query is a problem+json 400 that echoes nothing', async t => {
  const { app, rawLogs } = await build(t, config)
  const urls = ['/%', '/%zz', '/tokens/%ff', '/asap/%E0%A4%A', '/tokens?%zz', '/health?a=%', '/.well-known/jwks.json?x=%E0%A4%A', '/tokens/verify?%']
  for (const url of urls) {
    for (const method of ['GET', 'POST'] as const) {
      const res = await app.inject({ method, url: `${url}${url.includes('?') ? '&' : '?'}${SECRET_IN_URL}`, headers: bearer(keys.root), payload: method === 'POST' ? { room: 'x' } : undefined })
      t.equal(res.statusCode, 400, `${method} ${url}`)
      t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
      t.match(res.json(), { title: 'Bad Request', status: 400, detail: 'The URL is malformed (bad percent-encoding).', requestId: String })
      t.notMatch(res.body, /secret|%/, 'the URL is not echoed')
    }
  }
  t.notMatch(rawLogs(), /eyJsecret/, 'nor logged')
})

t.test('a path parameter over the router\'s length limit is a problem+json 414', async t => {
  const { app } = await build(t, config)
  const res = await app.inject(`/asap/${'a'.repeat(200)}.pem?${SECRET_IN_URL}`)
  t.equal(res.statusCode, 414)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.json(), { title: 'URI Too Long', detail: 'A segment of the URL path is too long.' })
  t.notMatch(res.body, /aaaa|secret/)
})

t.test('well-formed queries and encoded paths still work', async t => {
  const { app } = await build(t, config)
  t.equal((await app.inject('/health?x=%20y')).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/tokens?note=%E2%82%AC', headers: bearer(keys.root), payload: { room: 'x' } })).statusCode, 201)
})
