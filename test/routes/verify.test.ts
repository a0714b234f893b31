/**
 * POST /tokens/verify: the token doctor over HTTP. Tokens from POST /tokens pass every check and the
 * independent Prosody referee agrees; broken tokens come back as diagnoses, never as 4xx/5xx; only a
 * body of the wrong shape is a 400; secrets and tokens sent in never reach the answer or the logs.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto'
import t from 'tap'
import { APP_ID, SECRET, bearer, build, testConfig } from '../helper.js'
import { keyFile, rsaKey } from '../keys/fixtures.js'
import { acceptsJoin } from '../support/prosody-verifier.js'

const config = testConfig()
const auth = bearer(config.developmentApiKey)
const NOW = () => Math.floor(Date.now() / 1000)

function hs (payload: object, secret = SECRET, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

const claims = (extra: object = {}) => ({ iss: APP_ID, aud: 'jitsi', sub: 'meet.jitsi', room: 'daily%20standup', nbf: NOW() - 30, exp: NOW() + 600, context: { user: { name: 'Alice' } }, ...extra })

type App = Awaited<ReturnType<typeof build>>['app']
const verify = (app: App, payload: unknown, headers: Record<string, string> = auth) =>
  app.inject({ method: 'POST', url: '/tokens/verify', headers, payload: payload as object })

t.test('a token minted by POST /tokens passes every check, and the Prosody referee agrees', async t => {
  const { app } = await build(t, config)
  const minted = await app.inject({
    method: 'POST',
    url: '/tokens',
    headers: auth,
    payload: { room: 'Daily Standup', tenant: 'acme', context: { user: { id: 'u-1', name: 'Alice', moderator: true }, features: { recording: true, livestreaming: false } } }
  })
  t.equal(minted.statusCode, 201)
  const { token, url } = minted.json()

  const res = await verify(app, { token, room: 'Daily Standup', tenant: 'acme' })
  t.equal(res.statusCode, 200)
  const diagnosis = res.json()
  t.equal(diagnosis.valid, true)
  t.same(diagnosis.checks.filter((c: { ok: boolean }) => !c.ok), [], 'no check fails, not even a hint')
  t.same(diagnosis.checks.map((c: { name: string }) => c.name), ['token', 'kid', 'typ', 'alg', 'signature', 'exp', 'nbf', 'iss', 'aud', 'room', 'sub', 'tenant', 'context', 'features', 'moderator', 'claims', 'jaas'])
  t.match(diagnosis.checks[4].detail, /matches this service's JWT_APP_SECRET/)

  const referee = acceptsJoin(undefined, url, { appId: APP_ID, appSecret: SECRET, enableDomainVerification: true, xmppDomain: 'meet.jitsi' })
  t.equal(referee.ok, true, 'the referee opens the meeting URL and joins')

  // The usual mistake: features sent to add recording, which takes every other default away.
  const adding = await app.inject({ method: 'POST', url: '/tokens', headers: auth, payload: { room: 'r', context: { user: { moderator: true }, features: { recording: true } } } })
  const hinted = (await verify(app, { token: adding.json().token, room: 'r' })).json()
  t.equal(hinted.valid, true)
  t.match(hinted.checks.filter((c: { ok: boolean }) => !c.ok), [{ name: 'features', blocking: false, detail: /turns off every feature it does not list, including .*screen-sharing/ }])
})

t.test('a broken token is a diagnosis naming Prosody\'s reason, not an error', async t => {
  const { app } = await build(t, config)
  const res = await verify(app, { token: hs(claims({ aud: undefined, exp: String(NOW() + 600) })), room: 'Daily Standup' })
  t.equal(res.statusCode, 200)
  t.match(res.json(), {
    valid: false,
    reason: 'exp must be number',
    checks: [{ name: 'token', ok: true }, { name: 'kid' }, { name: 'typ' }, { name: 'alg' }, { name: 'signature', ok: true }, { name: 'exp', ok: false, blocking: true, detail: /remove the quotes/ }]
  })
  t.match(res.json().checks.find((c: { name: string }) => c.name === 'aud'), { ok: false, blocking: true, detail: /'aud' claim is missing/ })
})

t.test('something that is not a JWT at all gets valid: false with one clear check', async t => {
  const { app } = await build(t, config)
  for (const token of ['not a token', 'Bearer abc.def.ghi', 'https://meet.example.org/room?jwt=abc']) {
    const res = await verify(app, { token })
    t.equal(res.statusCode, 200, token)
    t.match(res.json(), { valid: false, checks: [{ name: 'token', ok: false, blocking: true }] }, token)
    t.equal(res.json().checks.length, 1)
  }
})

t.test('the Prosody to emulate can be described: docker\'s defaults, listed audiences, its own secret', async t => {
  const { app } = await build(t, config)
  const publicHostSub = hs(claims({ sub: 'meet.example.org' }))
  const strict = await verify(app, { token: publicHostSub, room: 'Daily Standup' })
  t.match(strict.json(), { valid: false, reason: 'Room and token mismatched' })
  const docker = await verify(app, { token: publicHostSub, room: 'Daily Standup', prosody: { domainVerification: false } })
  t.equal(docker.json().valid, true, 'docker-jitsi-meet does not compare sub by default')

  const listed = await verify(app, { token: hs(claims({ aud: 'other' })), prosody: { acceptedAudiences: ['jitsi'] } })
  t.match(listed.json(), { valid: false, reason: "invalid 'aud' claim" })

  const theirSecret = 'another-prosody-secret-of-some-length'
  const theirs = hs(claims({ iss: 'their-app' }), theirSecret)
  const ours = await verify(app, { token: theirs })
  t.match(ours.json(), { valid: false, reason: 'Invalid signature' })
  const res = await verify(app, { token: theirs, prosody: { secret: theirSecret, acceptedIssuers: ['their-app'], xmppDomain: 'MEET.JITSI' } })
  t.equal(res.json().valid, true)
  t.match(res.json().checks[4].detail, /matches the supplied prosody.secret/)
  t.notMatch(res.body, theirSecret, 'the secret is not echoed')
})

t.test('RS256: this service\'s published key, or a supplied public key, verifies the signature', async t => {
  const key = rsaKey()
  const rsConfig = testConfig({ JWT_SIGN_TYPE: 'RS256', JWT_PRIVATE_KEY_FILE: keyFile(key.pem), JWT_KID: 'app/1' })
  const { app } = await build(t, rsConfig)
  const headers = bearer(rsConfig.developmentApiKey)
  const minted = await app.inject({ method: 'POST', url: '/tokens', headers, payload: { room: 'r' } })
  const own = await verify(app, { token: minted.json().token, room: 'r' }, headers)
  t.equal(own.json().valid, true)
  t.match(own.json().checks[4].detail, /verifies with this service's public key for kid "app\/1"/)

  const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const input = `${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'elsewhere/9' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims({ room: 'r' }))).toString('base64url')}`
  const { sign } = await import('node:crypto')
  const foreign = `${input}.${sign('sha256', Buffer.from(input), other.privateKey).toString('base64url')}`
  const unknown = await verify(app, { token: foreign, room: 'r' }, headers)
  t.match(unknown.json(), { valid: false, reason: 'could not obtain public key' })
  t.match(unknown.json().checks[4].detail, /no public key for kid "elsewhere\/9" is known here.*prosody.publicKeyPem/)

  const publicKeyPem = other.publicKey.export({ type: 'spki', format: 'pem' }) as string
  const supplied = await verify(app, { token: foreign, room: 'r', prosody: { publicKeyPem } }, headers)
  t.equal(supplied.json().valid, true)

  const privateKeyPem = other.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
  const leaked = await verify(app, { token: foreign, room: 'r', prosody: { publicKeyPem: privateKeyPem } }, headers)
  t.match(leaked.json().checks[4], { ok: false, detail: /is a private key: supply only the public key/ })
})

t.test('only a body of the wrong shape is a 400, naming the field', async t => {
  const { app } = await build(t, config)
  const cases: Array<[unknown, string]> = [
    [{}, 'token'],
    [{ token: 42 }, 'token'],
    [{ token: '' }, 'token'],
    [{ token: 'x', room: 'what?' }, 'room'],
    [{ token: 'x', tenant: 'a/b' }, 'tenant'],
    [{ token: 'x', prosody: { algorithm: 'ES256' } }, 'prosody.algorithm'],
    [{ token: 'x', prosody: { acceptedIssuers: [] } }, 'prosody.acceptedIssuers'],
    [{ token: 'x', prosody: { keyServer: true } }, 'prosody.keyServer'],
    [{ token: 'x', extra: 1 }, 'extra']
  ]
  for (const [payload, path] of cases) {
    const res = await verify(app, payload)
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.equal(res.json().errors[0].path, path, JSON.stringify(payload))
  }
  t.match((await verify(app, { token: 'x', room: 'what?' })).json().errors[0].message, /strips/)
})

t.test('authenticated like POST /tokens, and nothing sent in is logged', async t => {
  const { app, logs, rawLogs } = await build(t, config)
  const token = hs(claims())
  const missing = await verify(app, { token }, {})
  t.equal(missing.statusCode, 401)
  const wrong = await verify(app, { token }, bearer('not-a-key'))
  t.equal(wrong.statusCode, 401)

  const secret = 'a-secret-that-must-not-be-logged-anywhere'
  const res = await verify(app, { token, prosody: { secret } })
  t.equal(res.statusCode, 200)
  const line = logs.at(-1)!
  t.match(line, { path: '/tokens/verify', status: 200 })
  t.notMatch(rawLogs(), token.split('.')[2]!, 'no token in the logs')
  t.notMatch(rawLogs(), secret, 'no secret in the logs')
})
