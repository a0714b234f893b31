/**
 * JaaS profile: the pure rules, and tokens from POST /tokens that pass the web client's JaaS checks
 * (docs/jitsi.md §3.5) and carry the claims 8x8 documents (§4).
 */
import t from 'tap'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { isJaasAppId, jaasIssuerSettings, jaasKid, jaasRequestProblems, jaasTokenInput } from '../../src/jitsi/jaas.js'
import { loadConfig } from '../../src/config.js'
import { bearer, build, decodeJwt, withDevelopmentClient } from '../helper.js'
import { keyFile, rsaKey } from '../keys/fixtures.js'
import { webClientJwtErrors } from './web-client-jwt-checks.js'

const APP_ID = 'vpaas-magic-cookie-0123456789abcdef0123456789abcdef'

t.test('AppIDs and kids', async t => {
  t.ok(isJaasAppId(APP_ID))
  for (const bad of ['vpaas-magic-cookie-', 'VPAAS-magic-cookie-abc', 'my-app', `${APP_ID}/x`]) t.notOk(isJaasAppId(bad), bad)
  t.same(jaasKid(APP_ID, 'abc123'), { kid: `${APP_ID}/abc123` })
  t.same(jaasKid(APP_ID, `${APP_ID}/abc123`), { kid: `${APP_ID}/abc123` })
  t.match(jaasKid(APP_ID, 'vpaas-magic-cookie-ffff/abc123'), { problem: /belongs to AppID "vpaas-magic-cookie-ffff"/ })
  t.match(jaasKid(APP_ID, `${APP_ID}/`), { problem: /must be the key id/ })
  t.match(jaasKid(APP_ID, `${APP_ID}/a/b`), { problem: /must be the key id/ })
})

t.test('claims settings and request rules', async t => {
  t.same(jaasIssuerSettings(APP_ID, 10), { issuer: 'chat', audience: 'jitsi', xmppDomain: APP_ID, nbfSkew: 10, moderatorAs: 'string' })
  t.same(jaasRequestProblems({ room: 'r', ttl: 60 }, APP_ID), [])
  t.same(jaasRequestProblems({ room: 'r', ttl: 60, tenant: APP_ID.toUpperCase() }, APP_ID), [], 'the AppID itself, in any case')
  t.same(jaasRequestProblems({ room: 'r', ttl: 60, tenant: 'acme', context: { features: { 'name-readonly': true, recording: true } } }, APP_ID), [
    { path: 'tenant', message: `JaaS meetings live under the AppID ${APP_ID}; omit tenant` },
    { path: 'context.features.name-readonly', message: 'is not a JaaS feature: the web client reports unknown features as invalid' }
  ])
  t.same(jaasTokenInput({ room: 'r', ttl: 60 }, APP_ID), { room: 'r', ttl: 60, tenant: APP_ID, context: { features: {} } })
  const input = { room: 'r', ttl: 60, context: { user: { name: 'A' }, features: { recording: true } } }
  t.same(jaasTokenInput(input, APP_ID).context, input.context, 'given features are kept')
})

t.test('a JaaS token from POST /tokens passes the web client\'s JaaS checks', async t => {
  const config = withDevelopmentClient(loadConfig({ NODE_ENV: 'test', JWT_PROFILE: 'jaas', JAAS_APP_ID: APP_ID, JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().pem), JWT_KID: 'abc123' }))
  const { app } = await build(t, config)
  const res = await app.inject({
    method: 'POST',
    url: '/tokens',
    headers: bearer(config.developmentApiKey),
    payload: { room: 'Daily Standup', ttl: 7200, context: { user: { id: 'u-1', name: 'Alice', email: 'a@example.org', moderator: true }, features: { recording: true, livestreaming: 'false' } } }
  })
  t.equal(res.statusCode, 201, res.body)
  const { token, url } = res.json()
  const { header, payload } = decodeJwt(token)
  t.same(header, { alg: 'RS256', typ: 'JWT', kid: `${APP_ID}/abc123` })
  t.match(payload, {
    iss: 'chat',
    aud: 'jitsi',
    sub: APP_ID,
    room: 'daily%20standup',
    context: { user: { id: 'u-1', name: 'Alice', email: 'a@example.org', moderator: 'true' }, features: { recording: 'true', livestreaming: 'false' } }
  })
  t.equal(payload.exp - payload.iat, 7200)
  t.ok(payload.nbf < payload.iat, 'nbf in the past, in seconds')
  t.equal(url, `https://8x8.vc/${APP_ID}/Daily%20Standup?jwt=${token}`)
  t.same(webClientJwtErrors(token), [], 'no JaaS or generic web-client error')

  // The referee does catch a JaaS token that is wrong.
  const wrong = [header, { ...payload, iss: APP_ID, context: { user: {} } }].map(part => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.x'
  t.same(webClientJwtErrors(wrong), ['issInvalid', 'featuresNotFound'])

  // Signed with the key whose public half is published (and uploaded to JaaS).
  const jwks = createLocalJWKSet((await app.inject({ url: '/.well-known/jwks.json' })).json())
  await t.resolves(jwtVerify(token, jwks, { issuer: 'chat', audience: 'jitsi', subject: APP_ID }))
})

t.test('JaaS defaults: features always present, moderator "false", wildcard rooms have no URL', async t => {
  const config = withDevelopmentClient(loadConfig({ NODE_ENV: 'test', JWT_PROFILE: 'jaas', JAAS_APP_ID: APP_ID, JWT_PRIVATE_KEY: rsaKey().pem, JWT_KID: `${APP_ID}/abc123` }))
  const { app } = await build(t, config)
  const plain = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room: 'standup', tenant: APP_ID, context: { user: { moderator: false } } } })
  t.equal(plain.statusCode, 201, plain.body)
  t.same(decodeJwt(plain.json().token).payload.context, { user: { moderator: 'false' }, features: {} })
  t.same(webClientJwtErrors(plain.json().token), [])

  const wildcard = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room: '*' } })
  t.equal(wildcard.statusCode, 201)
  t.equal(decodeJwt(wildcard.json().token).payload.room, '*')
  t.equal(wildcard.json().url, undefined)
})

t.test('what JaaS cannot take is a 400 naming the field', async t => {
  const config = withDevelopmentClient(loadConfig({ NODE_ENV: 'test', JWT_PROFILE: 'jaas', JAAS_APP_ID: APP_ID, JWT_PRIVATE_KEY: rsaKey().pem, JWT_KID: 'abc123' }))
  const { app } = await build(t, config)
  const res = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room: 'standup', tenant: 'acme', context: { features: { 'live-translation-subscribe': true } } } })
  t.equal(res.statusCode, 400)
  t.same(res.json().errors.map((e: { path: string }) => e.path), ['tenant', 'context.features.live-translation-subscribe'])
})
