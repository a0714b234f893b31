/**
 * The login against a real OpenID provider, without a browser: Jitsi's state in, the IdP's login
 * form, and a token Prosody accepts for that room out, per platform; refusals as readable pages.
 */
import t from 'tap'
import { build, decodeJwt } from '../helper.js'
import { CookieJar, loginAtIdp, startTestIdp } from '../support/oidc-idp.js'
import { acceptsJoin } from '../support/prosody-verifier.js'
import { fullLogin, jitsiState, LOGIN_BASE, loginConfig, loginUrl, postedMessage, PROSODY, startLogin } from './support.js'

t.test('a browser login lands on the meeting with a token Prosody accepts for that room', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app, logs, rawLogs } = await build(t, loginConfig(idp, { OIDC_GRANTS: '{"tenants":["acme"]}' }))
  const state = jitsiState('Daily%20Standup', 'acme', { 'config.subject': 'Hi', 'interfaceConfig.SHOW_CHROME_EXTENSION_BANNER': false, 'iceServers.replace': [], 'userInfo.displayName': 'Mallory', ios: false })
  const { res, callback } = await fullLogin(app, loginUrl(state, '&unknown=1&redirect_uri=https%3A%2F%2Fevil.example'))
  t.equal(res.statusCode, 302)
  t.equal(res.headers['cache-control'], 'no-store')
  const target = res.headers.location as string
  t.match(target, /^https:\/\/meet\.example\.org\/acme\/Daily%20Standup\?jwt=/, 'built from PUBLIC_URL, whatever the request says')
  t.match(target, /#config\.prejoinConfig\.enabled=false&config\.subject=%22Hi%22&interfaceConfig\.SHOW_CHROME_EXTENSION_BANNER=false&iceServers\.replace=%5B%5D$/, 'config, interfaceConfig and iceServers keys; nothing else')
  const verdict = acceptsJoin(undefined, target, PROSODY)
  t.ok(verdict.ok, JSON.stringify(verdict))
  t.notOk(acceptsJoin(undefined, target.replace('Daily%20Standup', 'Board'), PROSODY).ok, 'not another room')
  const { payload } = decodeJwt(new URL(target).searchParams.get('jwt')!)
  t.equal(payload.room, 'daily%20standup')
  t.equal(payload.sub, 'acme')
  t.same(payload.context.user, { id: 'alice', name: 'Alice Example', email: 'alice@example.org', moderator: true, lobby_bypass: true })
  const audit = logs.find(line => line.event === 'token.issued')
  t.match(audit, { client: 'oidc:alice', room: 'daily%20standup', via: 'login', moderator: true })
  const raw = rawLogs()
  t.notOk(raw.includes(callback.searchParams.get('code')!), 'the IdP code is not logged')
  t.notOk(raw.includes(new URL(target).searchParams.get('jwt')!), 'the token is not logged')
})

t.test('the transaction cookie is HttpOnly, SameSite=Lax, short-lived, scoped to the login path; Secure in production', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  for (const production of [false, true]) {
    // The test IdP speaks http: the config is built for development and then marked production.
    const config = { ...loginConfig(idp), production }
    const { app } = await build(t, config)
    const res = await app.inject({ url: loginUrl(jitsiState('room1')) })
    t.equal(res.statusCode, 302)
    const authorization = new URL(res.headers.location as string)
    t.equal(authorization.origin, idp.issuer)
    t.equal(authorization.searchParams.get('redirect_uri'), `${LOGIN_BASE}/login/callback`)
    t.equal(authorization.searchParams.get('code_challenge_method'), 'S256')
    t.equal(authorization.searchParams.get('scope'), 'openid profile email')
    t.ok(authorization.searchParams.get('nonce'))
    const [cookie] = res.cookies as Array<Record<string, unknown>>
    t.equal(cookie!.name, `jts_login_${authorization.searchParams.get('state')}`, 'named after the state sent to the IdP')
    t.match(cookie, { httpOnly: true, sameSite: 'Lax', path: '/token-service/login', maxAge: 600 })
    t.equal(cookie!.secure, production ? true : undefined)
    t.notOk(String(cookie!.value).includes('room1'), 'the transaction is encrypted')
  }
})

t.test('inline: a page posts oauth-success to its opener, for the Jitsi origin only', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app } = await build(t, loginConfig(idp))
  const { res } = await fullLogin(app, loginUrl(jitsiState('Daily%20Standup'), `&nonce=${'ab'.repeat(32)}`), 'bob')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  const csp = String(res.headers['content-security-policy'])
  const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1]!
  t.match(csp, /default-src 'none'.*frame-ancestors 'none'/)
  t.equal(res.headers['cross-origin-opener-policy'], undefined, 'the popup keeps its opener after the trip through the IdP')
  t.match(res.body, `<script nonce="${nonce}">`)
  const { message, targetOrigin } = postedMessage(res.body)
  t.equal(targetOrigin, 'https://meet.example.org')
  t.equal(message.type, 'oauth-success')
  t.ok(message.idToken, 'the IdP\'s ID token, for logout\'s id_token_hint')
  t.ok(message.refreshToken, 'our refresh token')
  const verdict = acceptsJoin(message.accessToken, 'https://meet.example.org/Daily%20Standup', PROSODY)
  t.ok(verdict.ok, JSON.stringify(verdict))
  t.same(decodeJwt(message.accessToken).payload.context.user, { id: 'bob', name: 'Bob Example', email: 'bob@example.org' }, 'not in the moderator group: no moderator')
})

t.test('the apps get their own links on a page with a button', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app } = await build(t, loginConfig(idp, { OIDC_GRANTS: '{"tenants":["acme"]}' }))
  const jar = new CookieJar()
  const links: Record<string, RegExp> = {
    ios: /^org\.jitsi\.meet:\/\/meet\.example\.org\/acme\/R%C3%A9union\?jwt=[^#]+#config\.prejoinConfig\.enabled=false$/,
    android: /^intent:\/\/meet\.example\.org\/acme\/R%C3%A9union\?jwt=[^#]+#config\.prejoinConfig\.enabled=false#Intent;scheme=org\.jitsi\.meet;package=org\.jitsi\.meet;end$/,
    electron: /^jitsi-meet:\/\/meet\.example\.org\/acme\/R%C3%A9union\?jwt=[^#]+#config\.prejoinConfig\.enabled=false$/
  }
  for (const [platform, link] of Object.entries(links)) {
    // The apps send the literal {code_challenge} (docs/jitsi.md §11.2) and no nonce.
    // Electron's token-expired prompt may still add the inline nonce (§11.1): the app link wins.
    const nonce = platform === 'electron' ? `&nonce=${'e'.repeat(64)}` : ''
    const url = `/login?state=${encodeURIComponent(jitsiState('R%C3%A9union', 'acme', { [platform]: true }))}&code_challenge={code_challenge}${nonce}`
    const { res } = await fullLogin(app, url, 'alice', jar)
    t.equal(res.statusCode, 200, platform)
    const href = /<a class="button" href="([^"]+)"/.exec(res.body)![1]!.replaceAll('&amp;', '&')
    t.match(href, link, platform)
    const jwt = /jwt=([^#&]+)/.exec(href)![1]!
    t.ok(acceptsJoin(jwt, 'https://meet.example.org/acme/R%C3%A9union', PROSODY).ok, `${platform}: Prosody accepts it for that room`)
  }
})

t.test('a public client (no secret) logs in with PKCE alone; the bare {room} parameter works too', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE, { publicClient: true })
  const config = loginConfig(idp)
  config.login!.clientSecret = undefined
  const { app } = await build(t, config)
  const { res } = await fullLogin(app, '/login?room=Daily%20Standup')
  t.equal(res.statusCode, 302)
  t.ok(acceptsJoin(undefined, res.headers.location as string, PROSODY).ok)
})

t.test('without OIDC_CLIENT_ID there are no login routes', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const config = loginConfig(idp)
  config.login = undefined
  const { app } = await build(t, config)
  for (const url of ['/login?room=a', '/login/callback', '/logout']) t.equal((await app.inject({ url })).statusCode, 404, url)
})

t.test('two logins at once in one browser (two tabs) both finish, each with its own room', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app } = await build(t, loginConfig(idp))
  const jar = new CookieJar()
  const [first, second] = [await startLogin(app, loginUrl(jitsiState('first'))), await startLogin(app, loginUrl(jitsiState('second')))]
  const cookies = { ...first.cookies, ...second.cookies }
  for (const [started, room] of [[second, 'second'], [first, 'first']] as const) {
    const callback = new URL(await loginAtIdp(started.location!, 'alice', jar))
    const res = await app.inject({ url: `/login/callback${callback.search}`, cookies })
    t.match(res.headers.location, new RegExp(`^https://meet\\.example\\.org/${room}\\?jwt=`), room)
  }
})

t.test('settings at the character limit still fit the browser\'s 4 KB cookie', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app } = await build(t, loginConfig(idp))
  const started = await startLogin(app, loginUrl(JSON.stringify({ room: 'r'.repeat(200), 'config.subject': 'x'.repeat(2000) })))
  t.equal(started.status, 302)
  const setCookie = String(started.headers['set-cookie'])
  t.ok(Buffer.byteLength(setCookie) < 4096, `Set-Cookie is ${Buffer.byteLength(setCookie)} bytes`)
})
