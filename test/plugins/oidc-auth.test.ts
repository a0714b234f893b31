import t from 'tap'
import { SignJWT, exportSPKI } from 'jose'
import { bearer, build, decodeJwt, testConfig } from '../helper.js'
import { AUDIENCE, signingKey, startLocalIdp, type LocalIdp } from '../support/local-idp.js'

function oidcConfig (idp: LocalIdp, env: Record<string, string> = {}) {
  return testConfig({ OIDC_ISSUER: idp.issuer, OIDC_AUDIENCE: AUDIENCE, ...env })
}

const post = (app: Awaited<ReturnType<typeof build>>['app'], token: string | undefined, payload: object = { room: 'Daily Standup' }) =>
  app.inject({ method: 'POST', url: '/tokens', headers: bearer(token), payload })

t.test('a valid IdP token gets a Jitsi token for that person', async t => {
  const idp = await startLocalIdp(t)
  const { app, logs, rawLogs } = await build(t, oidcConfig(idp))
  const idpToken = await idp.token()
  const res = await post(app, idpToken)
  t.equal(res.statusCode, 201, res.body)
  const { payload } = decodeJwt(res.json().token)
  t.same(payload.context.user, { id: 'user-1', name: 'Alice Example', email: 'alice@example.org', avatar: 'https://example.org/alice.png' })
  t.equal(payload.room, 'daily%20standup')
  t.equal(payload.exp - payload.iat, 3600, 'the OIDC grant\'s maxTtl bounds the default lifetime')
  const audit = logs.find(line => line.event === 'token.issued')
  t.equal(audit?.client, 'oidc:user-1')
  t.notOk(rawLogs().includes(idpToken.split('.')[2]!), 'the IdP token never reaches the logs')
  t.equal(idp.fetches.discovery, 1)
  t.equal(idp.fetches.jwks, 1)

  const again = await post(app, await idp.token({ sub: 'user-2', name: undefined, preferred_username: 'bob' }))
  t.equal(again.statusCode, 201)
  t.same(decodeJwt(again.json().token).payload.context.user, { id: 'user-2', name: 'bob', email: 'alice@example.org', avatar: 'https://example.org/alice.png' })
  t.equal(idp.fetches.jwks, 1, 'the JWKS is cached')
})

t.test('tokens the IdP did not issue for us, or no longer vouches for, get 401 invalid_token', async t => {
  const idp = await startLocalIdp(t)
  const { app, logs } = await build(t, oidcConfig(idp, { OIDC_CLOCK_TOLERANCE: '5' }))
  const now = Math.floor(Date.now() / 1000)
  const stranger = await signingKey()
  const publicPem = await exportSPKI(idp.current.publicKey)
  const [header, body, signature] = (await idp.token()).split('.')
  const cases: Array<[string, string, string]> = [
    ['expired', await idp.token({ iat: now - 600, exp: now - 10 }), 'idp_token_expired'],
    ['not yet valid', await idp.token({ nbf: now + 60 }), 'idp_token_claims'],
    ['wrong audience', await idp.token({ aud: 'another-app' }), 'idp_token_audience'],
    ['wrong issuer', await idp.token({ iss: 'https://evil.example.org/realms/test' }), 'idp_token_issuer'],
    ['no expiry', await idp.token({ exp: undefined }), 'idp_token_claims'],
    ['no subject', await idp.token({ sub: undefined }), 'idp_token_claims'],
    ['empty subject', await idp.token({ sub: ' ' }), 'idp_token_claims'],
    ['unknown kid', await idp.token({}, stranger), 'idp_token_key'],
    ['alg none', idp.unsignedToken(), 'idp_token_algorithm'],
    ['HS256 signed with the public key', await new SignJWT(idp.claims()).setProtectedHeader({ alg: 'HS256', kid: idp.current.kid })
      .sign(new TextEncoder().encode(publicPem)), 'idp_token_algorithm'],
    ['tampered claims', `${header}.${Buffer.from(JSON.stringify(idp.claims({ sub: 'admin' }))).toString('base64url')}.${signature}`, 'idp_token_signature'],
    ['garbage header', `e30.${body}.${signature}`, 'idp_token_malformed']
  ]
  for (const [name, token, reason] of cases) {
    const res = await post(app, token)
    t.equal(res.statusCode, 401, name)
    t.equal(res.headers['www-authenticate'], 'Bearer realm="jitsi-token-service", error="invalid_token"', name)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', name)
    t.equal(logs.at(-1)?.reason, reason, name)
  }
  const audience = await post(app, await idp.token({ aud: 'another-app' }))
  t.match(audience.json().detail, /aud must be jitsi-frontend/)
})

t.test('a token within the clock tolerance is accepted', async t => {
  const idp = await startLocalIdp(t)
  const { app } = await build(t, oidcConfig(idp))
  const now = Math.floor(Date.now() / 1000)
  t.equal((await post(app, await idp.token({ exp: now - 5 }))).statusCode, 201, '5 s past exp is within the default 30 s')
})

t.test('failed IdP tokens count toward the per-IP limit like bad API keys', async t => {
  const idp = await startLocalIdp(t)
  const config = oidcConfig(idp, { AUTH_FAILURE_LIMIT: '2' })
  const { app } = await build(t, config)
  t.equal((await post(app, await idp.token())).statusCode, 201, 'valid tokens are not counted')
  const expired = await idp.token({ exp: Math.floor(Date.now() / 1000) - 3600 })
  t.equal((await post(app, expired)).statusCode, 401)
  t.equal((await post(app, expired)).statusCode, 401)
  const blocked = await post(app, expired)
  t.equal(blocked.statusCode, 429)
  t.ok(Number(blocked.headers['retry-after']) > 0)
  t.equal((await post(app, await idp.token())).statusCode, 201, 'a valid token still passes from that address')
})

t.test('key rotation at the IdP is picked up without a restart', async t => {
  const idp = await startLocalIdp(t)
  const config = oidcConfig(idp)
  const { app } = await build(t, { ...config, oidc: { ...config.oidc!, jwksCooldown: 0 } })
  t.equal((await post(app, await idp.token())).statusCode, 201)
  t.equal(idp.fetches.jwks, 1)
  const old = idp.current
  await idp.rotate('ES256')
  const res = await post(app, await idp.token({ sub: 'after-rotation' }))
  t.equal(res.statusCode, 201, 'a new kid after the JWKS was cached makes the service fetch it again')
  t.equal(idp.fetches.jwks, 2)
  t.equal(decodeJwt(res.json().token).payload.context.user.id, 'after-rotation')
  t.equal((await post(app, await idp.token({}, old))).statusCode, 401, 'the retired key no longer verifies')
})

t.test('within the cooldown an unknown kid does not make the service hammer the IdP', async t => {
  const idp = await startLocalIdp(t)
  const { app } = await build(t, oidcConfig(idp))
  t.equal((await post(app, await idp.token())).statusCode, 201)
  const stranger = await signingKey()
  for (let i = 0; i < 3; i++) t.equal((await post(app, await idp.token({}, stranger))).statusCode, 401)
  t.equal(idp.fetches.jwks, 1, 'default cooldown (30 s): no refetch right after a fetch')
})

t.test('API keys keep working next to IdP tokens', async t => {
  const idp = await startLocalIdp(t)
  const config = oidcConfig(idp)
  const { app, logs } = await build(t, config)
  const res = await post(app, config.developmentApiKey, { room: 'r', context: { user: { id: 'u-9', name: 'Set by the backend', moderator: true } } })
  t.equal(res.statusCode, 201)
  t.same(decodeJwt(res.json().token).payload.context.user, { id: 'u-9', name: 'Set by the backend', moderator: true, lobby_bypass: true })
  t.equal(logs.at(-1)?.client, 'development')
  t.equal(idp.fetches.discovery, 0, 'an API key never reaches the IdP')
  const wrongKey = await post(app, `${config.developmentApiKey}x`)
  t.equal(wrongKey.statusCode, 401)
  t.equal(logs.at(-1)?.reason, 'invalid_credentials')
})

t.test('without OIDC_ISSUER a JWT is just a wrong API key', async t => {
  const idp = await startLocalIdp(t)
  const { app, logs } = await build(t, testConfig())
  t.equal((await post(app, await idp.token())).statusCode, 401)
  t.equal(logs.at(-1)?.reason, 'invalid_credentials')
  t.equal(idp.fetches.discovery, 0)
})

t.test('the body cannot choose whose name is in the token', async t => {
  const idp = await startLocalIdp(t)
  const { app } = await build(t, oidcConfig(idp))
  const token = await idp.token({ email: undefined })
  const same = await post(app, token, { room: 'r', context: { user: { id: 'user-1', name: 'Alice Example' } }, meeting: { userInfo: { displayName: 'Alice Example' } } })
  t.equal(same.statusCode, 201, 'repeating the identity is fine')

  const res = await post(app, token, {
    room: 'r',
    context: { user: { id: 'boss', name: 'The Boss', email: 'boss@example.org', avatar: 'https://example.org/alice.png' } },
    meeting: { userInfo: { displayName: 'The Boss' } }
  })
  t.equal(res.statusCode, 403)
  t.same(res.json().errors.map((e: { path: string }) => e.path), ['context.user.id', 'context.user.name', 'context.user.email', 'meeting.userInfo.displayName'])
  t.match(res.json().errors[2].message, /not in your identity-provider token/)
})

t.test('moderator only through the configured claim', async t => {
  const idp = await startLocalIdp(t)
  const { app } = await build(t, oidcConfig(idp, { OIDC_MODERATOR_CLAIM: 'realm_access.roles', OIDC_MODERATOR_VALUES: 'teacher,admin' }))
  const student = await idp.token({ realm_access: { roles: ['student'] } })
  const asks = await post(app, student, { room: 'r', context: { user: { moderator: true } } })
  t.equal(asks.statusCode, 403)
  t.same(asks.json().errors.map((e: { path: string }) => e.path), ['context.user.moderator'])
  const owner = await post(app, student, { room: 'r', context: { user: { affiliation: 'owner' } } })
  t.same(owner.json().errors.map((e: { path: string }) => e.path), ['context.user.affiliation'])
  const plain = await post(app, student)
  t.equal(plain.statusCode, 201)
  t.notOk('moderator' in decodeJwt(plain.json().token).payload.context.user)

  const teacher = await idp.token({ sub: 'teacher-1', realm_access: { roles: ['student', 'teacher'] } })
  const mod = await post(app, teacher)
  t.equal(mod.statusCode, 201)
  t.equal(decodeJwt(mod.json().token).payload.context.user.moderator, true, 'the claim makes them moderator without asking')
  const modest = await post(app, teacher, { room: 'r', context: { user: { moderator: false } } })
  t.equal(decodeJwt(modest.json().token).payload.context.user.moderator, false, 'they may join as a participant')
})

t.test('only IdP moderators may change or skip room security', async t => {
  const idp = await startLocalIdp(t)
  const { app } = await build(t, oidcConfig(idp, { OIDC_MODERATOR_CLAIM: 'jitsi_moderator' }))
  const payload = { room: 'r', context: { user: { lobby_bypass: true, security_bypass: true }, room: { lobby: false, password: '' } } }
  const member = await post(app, await idp.token(), payload)
  t.equal(member.statusCode, 403)
  t.same(member.json().errors.map((e: { path: string }) => e.path),
    ['context.user.lobby_bypass', 'context.user.security_bypass', 'context.room.lobby', 'context.room.password'])
  const moderator = await post(app, await idp.token({ jitsi_moderator: true }), payload)
  t.equal(moderator.statusCode, 201)
  t.same(decodeJwt(moderator.json().token).payload.context.room, { lobby: false, password: '' })
})

t.test('OIDC_GRANTS limits what IdP users may ask for', async t => {
  const idp = await startLocalIdp(t)
  const { app } = await build(t, oidcConfig(idp, { OIDC_GRANTS: '{"rooms":["class-*"],"features":["recording"],"maxTtl":600}' }))
  const token = await idp.token()
  t.equal((await post(app, token, { room: 'class-7b', context: { features: { recording: true } } })).statusCode, 201)
  const res = await post(app, token, { room: 'staff', ttl: 3600, tenant: 'acme', context: { features: { livestreaming: true } } })
  t.equal(res.statusCode, 403)
  t.same(res.json().errors.map((e: { path: string }) => e.path).sort(), ['context.features.livestreaming', 'room', 'tenant', 'ttl'])
  t.equal((await post(app, token, { room: '*' })).statusCode, 403, 'no wildcard room')
})

t.test('an unreachable IdP is a 503, not the caller\'s fault', async t => {
  const idp = await startLocalIdp(t)
  const config = oidcConfig(idp, { AUTH_FAILURE_LIMIT: '2' })
  const { app, logs, rawLogs } = await build(t, { ...config, oidc: { ...config.oidc!, jwksCooldown: 0 } })
  idp.failWith = 500
  const token = await idp.token()
  for (let i = 0; i < 2; i++) {
    const res = await post(app, token)
    t.equal(res.statusCode, 503)
    t.equal(res.json().detail, 'The identity provider\'s keys could not be fetched to check the token; try again later.')
    t.notMatch(res.body, /127\.0\.0\.1/, 'the IdP address stays in the log')
  }
  t.equal((await post(app, token)).statusCode, 429, 'each 503 spent the address\'s failure budget: an outage is no free retry loop')
  t.match(JSON.stringify(logs.find(line => line.msg === 'request failed')), /openid-configuration answered 500/)
  t.notOk(rawLogs().includes(token.split('.')[2]!))
  idp.failWith = undefined
  t.equal((await post(app, token)).statusCode, 201, 'discovery is retried once the IdP is back, and a valid token passes from a spent address')
})

t.test('OIDC_GRANTS chooses which identity fields everyone in the room sees: no e-mail for guests', async t => {
  const idp = await startLocalIdp(t)
  const { app } = await build(t, oidcConfig(idp, {
    OIDC_GRANTS: JSON.stringify({ identityFields: ['id', 'name', 'email'], guestIdentityFields: ['id', 'name'] }),
    OIDC_MODERATOR_CLAIM: 'groups',
    OIDC_MODERATOR_VALUES: 'teachers'
  }))
  const guest = await post(app, await idp.token())
  t.equal(guest.statusCode, 201, guest.body)
  t.same(decodeJwt(guest.json().token).payload.context.user, { id: 'user-1', name: 'Alice Example' }, 'left out, not refused: the person did not ask for it')
  const teacher = await post(app, await idp.token({ groups: ['teachers'] }))
  t.equal(teacher.statusCode, 201, teacher.body)
  t.same(decodeJwt(teacher.json().token).payload.context.user, { id: 'user-1', name: 'Alice Example', email: 'alice@example.org', moderator: true, lobby_bypass: true }, 'no avatar for anyone')

  t.throws(() => testConfig({ OIDC_ISSUER: idp.issuer, OIDC_AUDIENCE: AUDIENCE, OIDC_GRANTS: '{"identityFields":["phone"]}' }), /OIDC_GRANTS/)
})
