import t from 'tap'
import { build, testConfig } from '../helper.js'

const preflight = (origin: string) => ({
  method: 'OPTIONS' as const,
  url: '/tokens',
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' }
})

t.test('CORS: allowed origins get a preflight answer, others do not', async t => {
  const { app } = await build(t, testConfig({ CORS_ORIGINS: 'https://app.example.org, https://lms.example.org' }))
  const allowed = await app.inject(preflight('https://app.example.org'))
  t.equal(allowed.statusCode, 204)
  t.equal(allowed.headers['access-control-allow-origin'], 'https://app.example.org')
  t.match(allowed.headers['access-control-allow-headers'], /Authorization/i)
  t.match(allowed.headers['access-control-allow-methods'], /POST/)

  const refused = await app.inject(preflight('https://evil.example.com'))
  t.notOk(refused.headers['access-control-allow-origin'], 'no allow-origin for an unknown origin')
})

t.test('CORS: no origin is allowed by default', async t => {
  const { app } = await build(t, testConfig())
  const res = await app.inject(preflight('https://app.example.org'))
  t.notOk(res.headers['access-control-allow-origin'])
})

t.test('security headers are set on API answers', async t => {
  const { app } = await build(t, testConfig())
  const res = await app.inject({ method: 'GET', url: '/health' })
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.match(res.headers['content-security-policy'], /default-src 'none'/)
  t.ok(res.headers['strict-transport-security'])
})
