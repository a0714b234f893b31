/**
 * RS256 signing off the event loop (src/keys/sign-pool.ts): a burst's tokens all verify and are
 * signed concurrently, a pool that cannot sign answers 503 (never 500), and a closed pool signs
 * nothing more.
 */
import t from 'tap'
import { importSPKI, jwtVerify } from 'jose'
import { bearer, build, testConfig } from '../helper.js'
import { signingKey } from '../../src/keys/key-set.js'
import { createSignPool } from '../../src/keys/sign-pool.js'
import { keyFile, rsaKey } from './fixtures.js'

const rs256 = () => testConfig({ JWT_SIGN_TYPE: 'RS256', JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().pem), JWT_KID: 'k1', RATE_LIMIT_MAX: '10000' })

t.test('a burst of RS256 tokens is signed concurrently, and every token verifies', async t => {
  const config = rs256()
  const { app } = await build(t, config)
  let most = 0
  const sign = app.signPool!.sign
  app.signPool!.sign = async (claims, key) => {
    const token = sign(claims, key)
    most = Math.max(most, app.signPool!.inFlight)
    return token
  }
  const responses = await Promise.all(Array.from({ length: 40 }, (_, i) =>
    app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room: `room-${i}` } })))
  t.same(new Set(responses.map(res => res.statusCode)), new Set([201]))
  const key = await importSPKI(rsaKey().publicPem, 'RS256')
  for (const [i, res] of responses.entries()) {
    const { payload, protectedHeader } = await jwtVerify(res.json().token, key, { audience: 'jitsi' })
    t.equal(payload.room, `room-${i}`)
    t.same(protectedHeader, { alg: 'RS256', typ: 'JWT', kid: 'k1' })
  }
  t.ok(most > 1, `${most} signatures ran at once`)
  t.equal(app.signPool!.inFlight, 0)
})

t.test('a pool that cannot sign answers 503 signing_unavailable with Retry-After, and logs why', async t => {
  const config = rs256()
  const { app, logs } = await build(t, config)
  await app.signPool!.close()
  const res = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room: 'standup' } })
  t.equal(res.statusCode, 503)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(res.headers['retry-after'], '1')
  t.match(res.json(), { status: 503, detail: /cannot be signed right now/ })
  t.ok(logs.some(line => line.event === 'token.refused' && line.reason === 'signing_unavailable' && line.status === 503), 'the audit line names the reason')
  t.notMatch(res.body, /piscina|worker|terminat/i, 'the pool\'s own error stays in the log')
  t.ok(logs.some(line => line.level === 50 && (line.err as { message?: string } | undefined)?.message !== undefined), 'the 5xx is logged with its cause')
  t.equal((await app.inject('/health')).statusCode, 200, 'the process still answers')
})

t.test('a signature that cannot be made rejects, and the pool keeps signing', async t => {
  const pool = createSignPool()
  t.teardown(() => pool.close())
  const key = signingKey('k1', rsaKey().privateKey, 'RS256')
  await t.rejects(pool.sign({ sub: 'meet.jitsi' }, { ...key, hash: 'no-such-digest' }))
  const token = await pool.sign({ sub: 'meet.jitsi' }, key)
  t.equal((await jwtVerify(token, await importSPKI(rsaKey().publicPem, 'RS256'))).payload.sub, 'meet.jitsi')
})

t.test('closing the app closes the pool: it signs nothing more', async t => {
  const config = rs256()
  const { app } = await build(t, config)
  const res = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room: 'standup' } })
  t.equal(res.statusCode, 201)
  const pool = app.signPool!
  await app.close()
  await t.rejects(pool.sign({ sub: 'meet.jitsi' }, signingKey('k1', rsaKey().privateKey, 'RS256')), /closed/)
})

t.test('HS256 needs no signing pool', async t => {
  const { app } = await build(t)
  t.equal(app.signPool, undefined)
})
