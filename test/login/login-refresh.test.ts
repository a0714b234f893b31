/**
 * Inline refresh (docs/jitsi.md §11.10) and logout (§11.8) against a real OpenID provider: our
 * refresh token comes back in the state and mints a new token for the same room and person without
 * the IdP's login page, after asking the IdP; logout ends the IdP session.
 */
import t from 'tap'
import { build, decodeJwt } from '../helper.js'
import { CLIENT_ID, startTestIdp, type TestIdp } from '../support/oidc-idp.js'
import { acceptsJoin } from '../support/prosody-verifier.js'
import { MAX_REFRESH_TOKEN, refreshTokens } from '../../src/login/refresh-token.js'
import { MAX_STATE_LENGTH } from '../../src/login/jitsi-state.js'
import { fullLogin, jitsiState, LOGIN_BASE, LOGIN_SECRET, loginConfig, loginUrl, postedMessage, PROSODY } from './support.js'
import type { FastifyInstance } from 'fastify'

const NONCE = `&nonce=${'c'.repeat(64)}`

async function inlineLogin (app: FastifyInstance, room = 'Daily%20Standup', tenant?: string, account = 'alice') {
  const { res } = await fullLogin(app, loginUrl(jitsiState(room, tenant), NONCE), account)
  return postedMessage(res.body).message
}

const refreshUrl = (refreshToken: string, room = 'Daily%20Standup', tenant?: string) => loginUrl(jitsiState(room, tenant, { refreshToken }), NONCE)

async function setup (t: { teardown: (fn: () => unknown) => void }, env: Record<string, string> = {}): Promise<{ idp: TestIdp, app: FastifyInstance, logs: Array<Record<string, unknown>> }> {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app, logs } = await build(t, loginConfig(idp, env))
  return { idp, app, logs }
}

t.test('a refresh mints a new token for the same room and person without the IdP\'s login page, and rotates', async t => {
  const { idp, app, logs } = await setup(t, { OIDC_GRANTS: '{"tenants":["acme"]}' })
  const first = await inlineLogin(app, 'Daily%20Standup', 'acme')
  const authorizations = idp.requests.get('/auth')
  const tokenCalls = idp.requests.get('/token')!
  const res = await app.inject({ url: refreshUrl(first.refreshToken, 'Daily%20Standup', 'acme') })
  t.equal(res.statusCode, 200)
  const { message } = postedMessage(res.body)
  t.equal(message.type, 'oauth-success')
  t.equal(idp.requests.get('/auth'), authorizations, 'no authorization request: no login page')
  t.equal(idp.requests.get('/token'), tokenCalls + 1, 'the IdP was asked (refresh grant)')
  t.ok(message.idToken, 'a fresh ID token from the IdP')
  t.not(message.refreshToken, first.refreshToken, 'rotated')
  const [before, after] = [decodeJwt(first.accessToken).payload, decodeJwt(message.accessToken).payload]
  t.equal(after.room, before.room)
  t.equal(after.sub, before.sub)
  t.same(after.context.user, before.context.user)
  t.not(after.jti, before.jti)
  t.ok(acceptsJoin(message.accessToken, 'https://meet.example.org/acme/Daily%20Standup', PROSODY).ok)
  t.match(logs.filter(line => line.event === 'token.issued').at(-1), { via: 'refresh', client: 'oidc:alice' })
  t.notOk(logs.some(line => Number(line.level) >= 50), 'answered once: nothing went wrong after the refresh')
  t.equal(idp.requests.get('/auth'), authorizations, 'and no login was started after it')
  // The rotated token keeps the first login's expiry.
  const tokens = refreshTokens(LOGIN_SECRET)
  t.equal((await tokens.open(message.refreshToken))!.exp, (await tokens.open(first.refreshToken))!.exp)
})

t.test('a rotated refresh token cannot be replayed: the replay goes to a real login and is audited', async t => {
  const { idp, app, logs } = await setup(t)
  const first = await inlineLogin(app)
  const rotated = postedMessage((await app.inject({ url: refreshUrl(first.refreshToken) })).body).message
  t.equal(rotated.type, 'oauth-success')
  const replay = await app.inject({ url: refreshUrl(first.refreshToken) })
  t.equal(replay.statusCode, 302)
  t.equal(new URL(replay.headers.location as string).origin, idp.issuer, 'sent to the IdP to log in again')
  t.match(logs.find(line => line.event === 'login.refresh_refused'), { reason: 'reused', client: 'oidc:alice' })
  t.equal(logs.filter(line => line.event === 'token.issued' && line.via === 'refresh').length, 1, 'no second token from the old refresh token')
  // Someone replayed a spent token: the whole login's chain is revoked, the newer token (maybe the thief's) too.
  const newer = await app.inject({ url: refreshUrl(rotated.refreshToken) })
  t.equal(newer.statusCode, 302, 'the rotated one is revoked with its chain')
  t.match(logs.filter(line => line.event === 'login.refresh_refused').at(-1), { reason: 'revoked' })
})

t.test('a silent refresh on GET /login is counted in jitsi_tokens_issued_total, like the login', async t => {
  const { app } = await setup(t)
  const issuedTotal = async () => Number(/^jitsi_tokens_issued_total\{client="oidc",alg="HS256"\} (\d+)$/m.exec((await app.inject('/metrics')).body)?.[1] ?? 0)
  const first = await inlineLogin(app)
  t.equal(await issuedTotal(), 1, 'the login')
  t.equal(postedMessage((await app.inject({ url: refreshUrl(first.refreshToken) })).body).message.type, 'oauth-success')
  t.equal(await issuedTotal(), 2, 'and the refresh')
})

t.test('a refresh token only works for its own room and tenant', async t => {
  const { app } = await setup(t, { OIDC_GRANTS: '{"tenants":["*"]}' })
  const first = await inlineLogin(app, 'Daily%20Standup', 'acme')
  for (const [room, tenant] of [['Board', 'acme'], ['Daily%20Standup', 'globex'], ['Daily%20Standup', undefined]] as const) {
    const res = await app.inject({ url: refreshUrl(first.refreshToken, room, tenant) })
    t.equal(res.statusCode, 403, `${tenant}/${room}`)
    t.same(postedMessage(res.body).message, { type: 'oauth-error', error: 'The refresh token was issued for another meeting. Log in again.' })
  }
})

t.test('a refresh token works for its room and tenant however they are capitalised (compared as emitted)', async t => {
  const { app } = await setup(t, { OIDC_GRANTS: '{"tenants":["*"]}' })
  const first = await inlineLogin(app, 'Team-A', 'Acme')
  const res = await app.inject({ url: refreshUrl(first.refreshToken, 'team-a', 'acme') })
  t.equal(res.statusCode, 200)
  const { message } = postedMessage(res.body)
  t.equal(message.type, 'oauth-success')
  t.equal(decodeJwt(message.accessToken).payload.room, decodeJwt(first.accessToken).payload.room)
  t.equal(decodeJwt(message.accessToken).payload.sub, decodeJwt(first.accessToken).payload.sub)
})

t.test('when the IdP ends the session or disables the account, refreshing ends: back to the IdP\'s login', async t => {
  const { idp, app, logs } = await setup(t)
  const first = await inlineLogin(app)
  idp.accounts.get('alice')!.disabled = true
  const res = await app.inject({ url: refreshUrl(first.refreshToken) })
  t.equal(res.statusCode, 302)
  t.equal(new URL(res.headers.location as string).origin, idp.issuer, 'sent to the IdP to log in again')
  t.ok(logs.some(line => line.event === 'login.refresh_refused' && line.reason === 'invalid_grant'))
  t.notOk(logs.some(line => line.event === 'token.issued' && line.via === 'refresh'))
})

t.test('damaged, expired or foreign refresh tokens are ignored: the person logs in again', async t => {
  const { idp, app } = await setup(t)
  const first = await inlineLogin(app)
  const grant = { identity: { id: 'alice', moderator: true }, room: 'Daily Standup' }
  const now = Math.floor(Date.now() / 1000)
  const expired = await refreshTokens(LOGIN_SECRET).seal(grant, { ...grant, chain: 'c', generation: 0, loginAt: now - 8 * 3600, exp: now - 60 })
  const otherSecret = await refreshTokens('another-login-secret-with-32-characters!').seal({ identity: { id: 'alice', moderator: true }, room: 'Daily Standup' })
  for (const token of [`${first.refreshToken.slice(0, -3)}AAA`, 'not-a-token', otherSecret!]) {
    const res = await app.inject({ url: refreshUrl(token) })
    t.equal(res.statusCode, 302)
    t.equal(new URL(res.headers.location as string).origin, idp.issuer)
  }
  // Sealed with the least lifetime there is (1 s); wait it out.
  await new Promise(resolve => setTimeout(resolve, 1100))
  const res = await app.inject({ url: refreshUrl(expired!) })
  t.equal(new URL(res.headers.location as string).origin, idp.issuer, 'expired')
})

t.test('a refresh token that pairs one person with another\'s IdP session is refused', async t => {
  const { idp, app } = await setup(t)
  let idpRefreshToken: string | undefined
  idp.tamper = body => { idpRefreshToken ??= body.refresh_token as string }
  await inlineLogin(app, 'Daily%20Standup', undefined, 'bob')
  idp.tamper = undefined
  const mixed = await refreshTokens(LOGIN_SECRET).seal({ identity: { id: 'alice', moderator: true }, room: 'Daily Standup', idpRefreshToken })
  const res = await app.inject({ url: refreshUrl(mixed!) })
  t.equal(res.statusCode, 302, 'no token as alice from bob\'s session')
})

t.test('IdPs that answer a refresh differently', async t => {
  const { idp, app } = await setup(t)
  await t.test('no ID token on refresh: log in again', async t => {
    const first = await inlineLogin(app)
    idp.tamper = body => { delete body.id_token }
    const res = await app.inject({ url: refreshUrl(first.refreshToken) })
    idp.tamper = undefined
    t.equal(res.statusCode, 302)
  })
  await t.test('no new refresh token: the old one is kept', async t => {
    const first = await inlineLogin(app)
    let calls = 0
    idp.tamper = body => { calls++; delete body.refresh_token }
    const once = postedMessage((await app.inject({ url: refreshUrl(first.refreshToken) })).body).message
    const twice = postedMessage((await app.inject({ url: refreshUrl(once.refreshToken) })).body).message
    idp.tamper = undefined
    t.equal(calls, 2)
    t.equal(twice.type, 'oauth-success', 'the IdP refresh token carried over still works')
  })
  await t.test('no refresh token from the IdP at all: ours alone refreshes, until it expires', async t => {
    idp.tamper = body => { delete body.refresh_token }
    const first = await inlineLogin(app)
    idp.tamper = undefined
    const calls = idp.requests.get('/token')
    const { message } = postedMessage((await app.inject({ url: refreshUrl(first.refreshToken) })).body)
    t.equal(message.type, 'oauth-success')
    t.equal(message.idToken, undefined)
    t.equal(idp.requests.get('/token'), calls, 'nothing to ask the IdP with')
  })
})

t.test('a login token lives JWT_TTL, at most the grant\'s maxTtl', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  for (const [maxTtl, lifetime] of [[3600, 3600], [undefined, 7200]] as const) {
    const config = loginConfig(idp, { JWT_TTL: '7200' })
    const { maxTtl: _, ...grants } = config.oidc!.grants
    config.oidc!.grants = maxTtl === undefined ? grants : { ...grants, maxTtl }
    const { app } = await build(t, config)
    const { payload } = decodeJwt((await inlineLogin(app)).accessToken)
    t.equal(payload.exp - payload.iat, lifetime, `maxTtl ${maxTtl}`)
  }
})

t.test('logout: RP-initiated logout at the IdP, then a page that tells Jitsi', async t => {
  const { idp, app, logs } = await setup(t)
  const first = await inlineLogin(app)
  const res = await app.inject({ url: `/logout?id_token_hint=${first.idToken}` })
  t.equal(res.statusCode, 302)
  const target = new URL(res.headers.location as string)
  t.equal(`${target.origin}${target.pathname}`, `${idp.issuer}/session/end`)
  t.equal(target.searchParams.get('post_logout_redirect_uri'), `${LOGIN_BASE}/logout/done`)
  t.equal(target.searchParams.get('client_id'), CLIENT_ID)
  t.equal(target.searchParams.get('id_token_hint'), first.idToken)
  t.match(logs.find(line => line.event === 'login.logout'), { client: 'oidc:alice', idpLogout: true })
  t.notOk(JSON.stringify(logs).includes(first.idToken), 'the ID token is not logged')

  const plain = await app.inject({ url: '/logout' })
  t.equal(new URL(plain.headers.location as string).searchParams.get('id_token_hint'), null, 'redirect mode sends no hint')
  t.equal(logs.filter(line => line.event === 'login.logout').at(-1)!.client, undefined)

  const done = await app.inject({ url: '/logout/done' })
  t.equal(done.statusCode, 200)
  t.same(postedMessage(done.body), { message: { type: 'logout-success' }, targetOrigin: 'https://meet.example.org' })
  t.match(done.headers['content-security-policy'], /frame-ancestors https:\/\/meet\.example\.org$/)
  t.equal(done.headers['x-frame-options'], undefined, 'framable by the Jitsi origin only')
  t.match(done.body, /href="https:\/\/meet\.example\.org"/)
})

t.test('logout without RP-initiated logout at the IdP, or with the IdP down, still tells Jitsi', async t => {
  for (const down of [false, true]) {
    const idp = await startTestIdp(t, LOGIN_BASE, { logout: false })
    const { app } = await build(t, loginConfig(idp))
    const { idToken } = await inlineLogin(app)
    idp.down = down
    const res = await app.inject({ url: `/logout?id_token_hint=${idToken}` })
    t.equal(res.statusCode, 200)
    t.same(postedMessage(res.body).message, { type: 'logout-success' })
    t.match(res.headers['content-security-policy'], /frame-ancestors https:\/\/meet\.example\.org$/)
  }
})

t.test('a refresh token stays small enough for the login state: the avatar goes first, then the token', async t => {
  const tokens = refreshTokens(LOGIN_SECRET)
  const identity = { id: 'alice', moderator: false, avatar: `https://example.org/${'a'.repeat(2000)}.png` }
  const small = await tokens.seal({ identity, room: 'r', idpRefreshToken: 'x'.repeat(100) })
  t.equal((await tokens.open(small!))?.identity.avatar, identity.avatar, 'kept when it fits')
  const large = await tokens.seal({ identity, room: 'r', idpRefreshToken: 'x'.repeat(3000) })
  t.ok(large!.length <= MAX_REFRESH_TOKEN)
  t.same((await tokens.open(large!))?.identity, { id: 'alice', moderator: false }, 'the avatar is left out')
  t.equal((await tokens.open(large!))?.idpRefreshToken, 'x'.repeat(3000), 'never the IdP\'s refresh token: a refresh must still ask the IdP')
  t.equal(await tokens.seal({ identity, room: 'r', idpRefreshToken: 'x'.repeat(6000) }), undefined, 'no refresh token rather than one that cannot come back')
  t.ok(`{"room":"r","refreshToken":"${large}"}`.length < MAX_STATE_LENGTH, 'fits in the state /login reads')
})
