/**
 * /meetings without a browser (test/browser/meetings-page.test.ts drives it in Chromium): what the form
 * says for grants the person lacks, how it keeps their choices, and the failures of signing in.
 */
import t from 'tap'
import { consoleSessions, CONSOLE_SESSION_COOKIE } from '../../src/console/console-session.js'
import { formField } from '../../src/console/meetings-page.js'
import { shownName } from '../../src/routes/meetings.js'
import type { IdpIdentity } from '../../src/oidc/identity.js'
import { build, decodeJwt } from '../helper.js'
import { freePort } from '../support/redis-server.js'
import { startTestIdp } from '../support/oidc-idp.js'
import { LOGIN_BASE, LOGIN_SECRET, loginConfig } from './support.js'

const sessions = consoleSessions(LOGIN_SECRET)
const BOB: IdpIdentity = { id: 'bob', name: 'Bob', moderator: false }
const hour = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString().slice(0, 16)

/** The form page for `identity`, and what posting `fields` from it answers. */
async function post (app: Awaited<ReturnType<typeof build>>['app'], identity: IdpIdentity, fields: Record<string, string | string[]>) {
  const session = { [CONSOLE_SESSION_COOKIE]: await sessions.seal(identity) }
  const form = await app.inject({ method: 'GET', url: '/meetings', cookies: session })
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!
  const cookies = { ...session, ...Object.fromEntries(form.cookies.map(cookie => [cookie.name, cookie.value])) }
  const body = new URLSearchParams({ _csrf: csrf })
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item)
  return { form, answer: await app.inject({ method: 'POST', url: '/meetings', cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() }), cookies, csrf }
}

t.test('a lobby needs a moderator: the form says so beside the checkbox, and keeps what was chosen', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app } = await build(t, loginConfig(idp, { OIDC_GRANTS: '{"rooms":["*"],"tenants":["*"],"features":["recording","screen-sharing"]}' }))
  const { form, answer } = await post(app, BOB, { room: 'Standup', start: hour(0), end: hour(0.5), lobby: 'on', features: ['recording'] })
  t.match(form.body, /id="feature-recording"/)
  t.notMatch(form.body, /id="feature-livestreaming"/, 'only the features the grant allows are offered')
  t.equal(answer.statusCode, 403)
  t.match(answer.body, /id="lobby"[^>]* checked aria-invalid="true" aria-describedby="lobby-problem"/)
  t.match(answer.body, /<p class="problem" id="lobby-problem">context\.room\.lobby /)
  t.match(answer.body, /id="feature-recording" name="features" value="recording" checked/)

  const { answer: made } = await post(app, BOB, { room: 'Standup', tenant: 'Acme', start: hour(0), end: hour(0.5), features: ['recording'] })
  t.equal(made.statusCode, 200)
  const guest = decodeJwt(/id="guest-link"[^>]*>[^<]*jwt=([\w.-]+)/.exec(made.body)![1]!).payload
  t.equal(guest.context.features.recording, 'true', 'the chosen feature, within the grant')
  t.equal(guest.sub, 'acme', 'the tenant\'s meeting')
  t.match(made.body, /https:\/\/meet\.example\.org\/acme\/Standup\?jwt=/)
})

t.test('without a session: a form post is sent to sign in; the IdP unreachable is a clear 503', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app } = await build(t, loginConfig(idp))
  const { cookies, csrf } = await post(app, BOB, {})
  const { [CONSOLE_SESSION_COOKIE]: _session, ...csrfOnly } = cookies
  const expired = await app.inject({ method: 'POST', url: '/meetings', cookies: csrfOnly, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrf}&room=x` })
  t.equal(expired.statusCode, 303)
  t.equal(expired.headers.location, `${LOGIN_BASE}/meetings/login`)
  const forged = await app.inject({ method: 'POST', url: '/meetings', cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'room=x' })
  t.equal(forged.statusCode, 403, 'no CSRF token')
  t.equal((await app.inject({ method: 'GET', url: '/meetings/app.js' })).headers['content-type'], 'text/javascript; charset=utf-8')

  const port = await freePort()
  const down = await build(t, loginConfig({ ...idp, issuer: `http://127.0.0.1:${port}` }))
  const login = await down.app.inject({ method: 'GET', url: '/meetings/login' })
  t.equal(login.statusCode, 503)
  t.match(login.json().detail, /identity provider cannot be reached/)
})

t.test('abandoned sign-ins do not pile up cookies either', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app } = await build(t, loginConfig(idp))
  const jar: Record<string, string> = {}
  for (let attempt = 0; attempt < 6; attempt++) {
    const res = await app.inject({ method: 'GET', url: '/meetings/login', cookies: jar })
    t.equal(res.statusCode, 302)
    for (const cookie of res.cookies) {
      if (cookie.value === '') delete jar[cookie.name]
      else jar[cookie.name] = cookie.value
    }
  }
  t.equal(Object.keys(jar).length, 2, 'the newest two stay')
})

t.test('who the page names, and where a problem is shown', async t => {
  t.equal(shownName({ id: 'x', email: 'a@example.org', moderator: false }), 'a@example.org')
  t.equal(shownName({ id: 'x', moderator: false }), 'x')
  t.same(['room', 'ttl', 'context.features.recording', 'context.user.name', 'meeting'].map(formField), ['room', 'end', 'features', 'guestName', 'general'])
})
