/**
 * Malformed URLs on the login routes are the client's fault: a readable 4xx page, no error-level log,
 * counted by the login's rate limit like any other request, never a 5xx in metrics.
 */
import t from 'tap'
import { build } from '../helper.js'
import { startTestIdp } from '../support/oidc-idp.js'
import { LOGIN_BASE, loginConfig } from './support.js'

t.test('bad percent-encoding in the query of every login route: a 400 page, not a 503', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app, logs } = await build(t, loginConfig(idp, { RATE_LIMIT_MAX: '3' }))
  for (const path of ['/login', '/login/callback', '/logout', '/logout/done']) {
    for (const query of ['state=%zz', 'code=%E0%A4%A&state=x', '%', 'nonce=%zz']) {
      const res = await app.inject({ method: 'GET', url: `${path}?${query}` })
      if (res.statusCode === 429) continue
      t.equal(res.statusCode, 400, `${path}?${query}`)
      t.match(res.headers['content-type'], /^text\/html/, 'a page a person can read')
      t.match(res.body, /malformed/)
      t.notMatch(res.body, /%zz|%E0/, 'the URL is not echoed')
    }
  }
  t.same(logs.filter(line => Number(line.level) >= 50), [], 'no error-level log lines')
  t.notOk(logs.some(line => line.err !== undefined), 'no errors with stacks')

  const limited = await app.inject({ method: 'GET', url: '/login?state=%zz' })
  t.equal(limited.statusCode, 429, 'malformed logins spend the same per-address budget as good ones')
  const metrics = await app.inject({ method: 'GET', url: '/metrics' })
  t.notMatch(metrics.body, /status_code="5\d\d"/, 'no 5xx counted')
})
