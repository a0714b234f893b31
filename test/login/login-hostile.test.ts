/**
 * Hostile logins: the Jitsi state is anyone's to write, callbacks can be replayed and cookies forged.
 * Each gets a readable page (or oauth-error), never a token, and changes nothing.
 */
import t from 'tap'
import { build } from '../helper.js'
import { loginAtIdp, startTestIdp } from '../support/oidc-idp.js'
import { transactionStore } from '../../src/login/transaction.js'
import { keyFile, rsaKey } from '../keys/fixtures.js'
import { fullLogin, jitsiState, LOGIN_BASE, LOGIN_SECRET, loginConfig, loginUrl, postedMessage, startLogin } from './support.js'

t.test('states no token can be made for are refused before the IdP, with a readable page', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app, logs } = await build(t, loginConfig(idp))
  const hostile: Record<string, [string, RegExp]> = {
    'no state at all': ['/login', /names no room/],
    'not JSON': ['/login?state=%7Bnope', /not valid JSON/],
    'a JSON array': [`/login?state=${encodeURIComponent('[1]')}`, /must be a JSON object/],
    'a room that is not a string': [`/login?state=${encodeURIComponent('{"room":5}')}`, /"room" must be a string/],
    'broken percent-encoding': [loginUrl(JSON.stringify({ room: '%E0%A4%A' })), /not valid percent-encoding/],
    'roomSafe naming another room': [loginUrl(JSON.stringify({ room: 'lobby', roomSafe: 'boardroom' })), /two different rooms/],
    'the wildcard room': [loginUrl(JSON.stringify({ room: '*' })), /room: must name a room/],
    'a path in the room (open redirect)': [loginUrl(JSON.stringify({ room: '..%2F..%2Fevil.example%2Fx' })), /room: must not contain "\/"/],
    'a host as the tenant (open redirect)': [loginUrl(jitsiState('room', '//evil.example')), /tenant: /],
    'a multi-segment tenant': [loginUrl(jitsiState('room', 'a/b')), /tenant: /],
    'an oversized state': [loginUrl(JSON.stringify({ room: 'r', pad: 'x'.repeat(9000) })), /longer than 8192/],
    'too many settings': [loginUrl(JSON.stringify({ room: 'r', ...Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`config.k${i}`, i])) })), /more than 32 settings/],
    'settings nested deeper than meeting.config allows': [loginUrl(JSON.stringify({ room: 'r', 'config.toolbarButtons': [[[['deep']]]] })), /config.toolbarButtons nests deeper than 3 levels/],
    'oversized settings': [loginUrl(JSON.stringify({ room: 'r', 'config.subject': 'x'.repeat(3000) })), /settings are longer than 2048/],
    'settings short in characters but over the cookie limit in bytes': [loginUrl(JSON.stringify({ room: 'r', 'config.subject': '€'.repeat(2000) })), /too long to keep during the login/],
    'an oversized refresh token': [loginUrl(JSON.stringify({ room: 'r', refreshToken: 'x'.repeat(5000) })), /refresh token .* too long/]
  }
  for (const [name, [url, reason]] of Object.entries(hostile)) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 400, name)
    t.match(res.headers['content-type'], /^text\/html/, name)
    t.match(res.body.replaceAll('&quot;', '"'), reason, name)
    t.notOk(res.headers['set-cookie'], `${name}: no transaction started`)
  }
  t.equal(idp.requests.get('/auth'), undefined, 'nobody was sent to the IdP')
  t.ok(logs.some(line => line.reason === 'invalid_state' && line.status === 400), 'the refusal reason is logged')

  const inline = await app.inject({ url: `/login?nonce=${'0'.repeat(64)}` })
  const { message, targetOrigin } = postedMessage(inline.body)
  t.same(message, { type: 'oauth-error', error: 'The login link names no room: open the login from a Jitsi meeting.' }, 'inline: oauth-error to the opener')
  t.equal(targetOrigin, 'https://meet.example.org')
})

t.test('a user without the grant for the room or tenant gets a readable refusal, not a token', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app, logs } = await build(t, loginConfig(idp, { OIDC_GRANTS: '{"rooms":["team-*"],"tenants":["acme"]}' }))
  const { res } = await fullLogin(app, loginUrl(jitsiState('board', 'globex')), 'bob')
  t.equal(res.statusCode, 403)
  t.match(res.body, /No token for this meeting/)
  t.match(res.body, /room: is not among the rooms granted to this client \(team-\*\)/)
  t.match(res.body, /tenant: is not among the tenants granted/)
  t.notOk(/eyJ/.test(res.body), 'no token anywhere on the page')
  t.match(logs.find(line => line.event === 'token.refused'), { client: 'oidc:bob', status: 403, reason: 'outside_grant', fields: ['room', 'tenant'] })
  const granted = await fullLogin(app, loginUrl(jitsiState('team-red', 'acme')), 'bob')
  t.equal(granted.res.statusCode, 302, 'the granted room still works')
})

t.test('the Host header and extra parameters never change where the person is sent', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app } = await build(t, loginConfig(idp))
  const started = await app.inject({ url: `${loginUrl(jitsiState('room'))}&redirect_uri=https://evil.example/cb`, headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } })
  t.equal(new URL(started.headers.location as string).searchParams.get('redirect_uri'), `${LOGIN_BASE}/login/callback`)
  const callback = new URL(await loginAtIdp(started.headers.location as string, 'alice'))
  const cookies = Object.fromEntries(started.cookies.map(cookie => [cookie.name, cookie.value]))
  const res = await app.inject({ url: `/login/callback${callback.search}`, headers: { host: 'evil.example' }, cookies })
  t.match(res.headers.location, /^https:\/\/meet\.example\.org\/room\?jwt=/)
})

t.test('callbacks are single-use and transactions cannot be forged', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app } = await build(t, loginConfig(idp))
  const { res, callback, started } = await fullLogin(app, loginUrl(jitsiState('room')))
  t.equal(res.statusCode, 302)
  const cleared = res.cookies.find(cookie => cookie.name === Object.keys(started.cookies)[0])
  t.match(cleared, { value: '', path: '/token-service/login' }, 'the callback clears the transaction cookie')

  const replayed = await app.inject({ url: `/login/callback${callback.search}`, cookies: started.cookies })
  t.equal(replayed.statusCode, 403, 'the same cookie and code again: the IdP refuses the used code')
  t.match(replayed.body, /did not log you in \(invalid_grant\)/)
  t.notOk(replayed.headers.location)

  const withoutCookie = await app.inject({ url: `/login/callback${callback.search}` })
  t.equal(withoutCookie.statusCode, 400)
  t.match(withoutCookie.body, /already used, has expired/)

  // Another login's cookie under this login's name, a damaged cookie, one sealed with another secret, a bad state.
  const other = await startLogin(app, loginUrl(jitsiState('room')))
  const [otherName, otherValue] = Object.entries(other.cookies)[0]!
  const fresh = await startLogin(app, loginUrl(jitsiState('room')))
  const freshState = new URL(fresh.location!).searchParams.get('state')!
  const foreign = await transactionStore('another-secret-of-at-least-32-characters!').seal({
    id: freshState, verifier: 'v'.repeat(43), nonce: 'n', jitsi: { room: 'room', platform: 'web', hash: {} }, inline: false
  })
  const forgeries: Array<[string, Record<string, string>]> = [
    [`?state=${freshState}&code=x`, { [`jts_login_${freshState}`]: otherValue }],
    [`?state=${freshState}&code=x`, { [`jts_login_${freshState}`]: `${fresh.cookies[`jts_login_${freshState}`]!.slice(0, -4)}AAAA` }],
    [`?state=${freshState}&code=x`, { [`jts_login_${freshState}`]: foreign }],
    ['?state=../../x&code=x', { [otherName]: otherValue }],
    ['?code=x', { [otherName]: otherValue }]
  ]
  for (const [query, cookies] of forgeries) {
    const forged = await app.inject({ url: `/login/callback${query}`, cookies })
    t.equal(forged.statusCode, 400, query)
    t.match(forged.body, /This login has expired/)
  }
  t.equal(idp.requests.get('/token'), 2, 'only the real callback and its replay reached the token endpoint')
})

t.test('an IdP error in the callback is a readable page (or oauth-error inline)', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app } = await build(t, loginConfig(idp))
  const started = await startLogin(app, loginUrl(jitsiState('room'), `&nonce=${'1'.repeat(64)}`))
  const state = new URL(started.location!).searchParams.get('state')!
  const res = await app.inject({ url: `/login/callback?error=access_denied&state=${state}&iss=${encodeURIComponent(idp.issuer)}`, cookies: started.cookies })
  t.equal(res.statusCode, 403)
  t.same(postedMessage(res.body).message, { type: 'oauth-error', error: 'The identity provider did not log you in (access_denied). Go back to the meeting and try again.' })

  // Anyone can write the callback URL: text that is not an OAuth error code is never shown to the person.
  const again = await startLogin(app, loginUrl(jitsiState('room')))
  const againState = new URL(again.location!).searchParams.get('state')!
  const lure = encodeURIComponent('Your account is locked, call +1 555 0100')
  const forged = await app.inject({ url: `/login/callback?error=${lure}&state=${againState}&iss=${encodeURIComponent(idp.issuer)}`, cookies: again.cookies })
  t.equal(forged.statusCode, 403)
  t.notMatch(forged.body, /locked|555/)
  t.match(forged.body, /did not log you in \(invalid_response\)/)
})

t.test('an IdP that names nobody usable gets no token', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  // Longer than a token's context.user.id may be.
  idp.accounts.set('x'.repeat(300), { name: 'Long' })
  const { app } = await build(t, loginConfig(idp))
  const { res } = await fullLogin(app, loginUrl(jitsiState('room')), 'x'.repeat(300))
  t.equal(res.statusCode, 403)
  t.match(res.body, /did not say who you are/)
})

t.test('an unreachable IdP is a 503 page; the service keeps running and retries discovery after the cooldown', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  idp.down = true
  const config = loginConfig(idp)
  config.oidc!.jwksCooldown = 500
  const { app, logs } = await build(t, config)
  const discoveries = () => idp.requests.get('/.well-known/openid-configuration')
  const res = await app.inject({ url: loginUrl(jitsiState('room')) })
  t.equal(res.statusCode, 503)
  for (let i = 0; i < 5; i++) t.equal((await app.inject({ url: loginUrl(jitsiState('room')) })).statusCode, 503)
  t.equal(discoveries(), 1, 'six logins during the outage: one discovery request')
  t.match(res.body, /cannot be reached right now/)
  t.ok(logs.some(line => line.event === 'login.idp_unavailable'))
  // A transaction started elsewhere (another replica) cannot finish while the IdP is down either.
  const id = 'A'.repeat(22)
  const sealed = await transactionStore(LOGIN_SECRET).seal({ id, verifier: 'v'.repeat(43), nonce: 'n', jitsi: { room: 'room', platform: 'web', hash: {} }, inline: false })
  const callback = await app.inject({ url: `/login/callback?state=${id}&code=c`, cookies: { [`jts_login_${id}`]: sealed } })
  t.equal(callback.statusCode, 503)
  t.equal(discoveries(), 1, 'the callback did not ask either')
  idp.down = false
  t.equal((await app.inject({ url: loginUrl(jitsiState('room')) })).statusCode, 503, 'the failure stands for the cooldown')
  t.equal(discoveries(), 1)
  await new Promise(resolve => setTimeout(resolve, 550))
  t.equal((await app.inject({ url: loginUrl(jitsiState('room')) })).statusCode, 302, 'back once the IdP is and the cooldown has passed')
  t.equal(discoveries(), 2)

  const https = await build(t, loginConfig(idp, { OIDC_ISSUER: 'https://127.0.0.1:1' }))
  t.equal((await https.app.inject({ url: loginUrl(jitsiState('room')) })).statusCode, 503, 'an https issuer nobody answers at')
})

t.test('a token that cannot be signed is a readable 503 page (or oauth-error), not the API\'s JSON', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app, logs } = await build(t, loginConfig(idp, { JWT_SIGN_TYPE: 'RS256', JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().pem), JWT_KID: 'k1' }))
  await app.signPool!.close()
  const { res } = await fullLogin(app, loginUrl(jitsiState('room')))
  t.equal(res.statusCode, 503)
  t.match(res.headers['content-type'], /^text\/html/)
  t.match(res.body, /Login unavailable/)
  t.equal(res.headers['retry-after'], '1')
  t.notMatch(res.body, /piscina|worker|terminat/i, 'the pool\'s own error stays in the log')
  t.match(logs.find(line => line.event === 'token.refused'), { status: 503, reason: 'signing_unavailable' })
  t.ok(logs.some(line => line.event === 'login.unavailable' && line.level === 50), 'the cause is logged')
  const inline = await fullLogin(app, loginUrl(jitsiState('room'), `&nonce=${'c'.repeat(64)}`))
  t.equal(inline.res.statusCode, 503)
  t.same(postedMessage(inline.res.body).message, { type: 'oauth-error', error: 'No token can be made right now. Try again in a minute.' })
})

t.test('an unexpected error while minting is a 503 page that names nothing internal', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app } = await build(t, loginConfig(idp))
  app.signer.sign = () => { throw new Error('boom') }
  const { res } = await fullLogin(app, loginUrl(jitsiState('room')))
  t.equal(res.statusCode, 503)
  t.match(res.body, /Login unavailable/)
  t.notMatch(res.body, /boom/)
})

t.test('logins are rate-limited per address, with a readable 429 page (or oauth-error)', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app, logs } = await build(t, loginConfig(idp, { RATE_LIMIT_MAX: '2' }))
  const url = loginUrl(jitsiState('room'))
  for (let i = 0; i < 2; i++) t.equal((await app.inject({ url })).statusCode, 302, `login ${i + 1} goes to the IdP`)
  const limited = await app.inject({ url })
  t.equal(limited.statusCode, 429)
  t.match(limited.headers['content-type'], /^text\/html/)
  t.match(limited.body, /Too many logins/)
  t.ok(Number(limited.headers['retry-after']) > 0, 'says when to come back')
  t.ok(logs.some(line => line.reason === 'rate_limited' && line.status === 429))
  const inline = await app.inject({ url: `${url}&nonce=${'c'.repeat(64)}` })
  t.same(postedMessage(inline.body).message, { type: 'oauth-error', error: 'Too many logins from this address. Wait a minute and try again.' })
  const other = await app.inject({ url, remoteAddress: '127.0.0.2' })
  t.equal(other.statusCode, 302, 'another address still logs in')
  for (let i = 0; i < 2; i++) await app.inject({ url: '/login/callback?state=x' })
  const callback = await app.inject({ url: '/login/callback?state=x' })
  t.equal(callback.statusCode, 429, 'the callback too')
  t.match(callback.body, /Too many logins/)
  t.notMatch(callback.body, /postMessage/)
})

t.test('abandoned logins do not pile up: a browser keeps at most two transaction cookies', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app } = await build(t, loginConfig(idp))
  const jar: Record<string, string> = {}
  const setAt: string[] = []
  for (let attempt = 0; attempt < 15; attempt++) {
    const res = await app.inject({ method: 'GET', url: loginUrl(jitsiState(`room-${attempt}`)), cookies: jar })
    t.equal(res.statusCode, 302)
    for (const cookie of res.cookies) {
      if (cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() <= Date.now())) delete jar[cookie.name]
      else { jar[cookie.name] = cookie.value; setAt.push(cookie.name) }
    }
    t.ok(Object.keys(jar).length <= 2, `after ${attempt + 1} logins the browser holds ${Object.keys(jar).length}`)
  }
  t.same(Object.keys(jar).sort(), setAt.slice(-2).sort(), 'the two newest are kept: a second tab still finishes')
  jar.jts_login_AAAAAAAAAAAAAAAAAAAAAA = 'forged'
  const res = await app.inject({ method: 'GET', url: loginUrl(jitsiState('room')), cookies: jar })
  t.ok(res.cookies.some(cookie => cookie.name === 'jts_login_AAAAAAAAAAAAAAAAAAAAAA' && cookie.value === ''), 'a cookie that does not open is expired too')
})
