/**
 * RS256 signing does not hold the event loop: signatures are computed on libuv's thread pool, so
 * while a burst of tokens is being signed, GET /health still answers.
 */
import t from 'tap'
import { importSPKI, jwtVerify } from 'jose'
import { bearer, build, testConfig } from '../helper.js'
import { signJwt } from '../../src/keys/rs-sign.js'
import { signingKey } from '../../src/keys/key-set.js'
import { keyFile, rsaKey } from './fixtures.js'

t.test('a token is base64url(header).base64url(payload).base64url(signature) that jose verifies', async t => {
  const key = signingKey('k1', rsaKey().privateKey, 'RS384')
  const token = await signJwt({ sub: 'meet.jitsi', name: 'Zoë ✓' }, key)
  const [header, payload, signature] = token.split('.')
  t.same(JSON.parse(Buffer.from(header!, 'base64url').toString()), { alg: 'RS384', typ: 'JWT', kid: 'k1' })
  t.same(JSON.parse(Buffer.from(payload!, 'base64url').toString()), { sub: 'meet.jitsi', name: 'Zoë ✓' })
  t.equal(Buffer.from(signature!, 'base64url').length, 256, 'an RSA-2048 signature')
  t.notMatch(token, /[=+/]/, 'base64url without padding')
  const { payload: verified } = await jwtVerify(token, await importSPKI(rsaKey().publicPem, 'RS384'))
  t.equal(verified.name, 'Zoë ✓')
})

t.test('GET /health answers while a burst of RS256 tokens is still being signed', async t => {
  const BURST = 200
  const config = testConfig({ JWT_SIGN_TYPE: 'RS256', JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().pem), JWT_KID: 'k1', RATE_LIMIT_MAX: '10000' })
  const { app } = await build(t, config)

  // Count signatures asked for and finished, around the real signer.
  const sign = app.signer.sign
  let started = 0
  let finished = 0
  let allStarted!: () => void
  const allSigning = new Promise<void>(resolve => { allStarted = resolve })
  app.signer.sign = async (claims) => {
    if (++started === BURST) allStarted()
    const token = await sign(claims)
    finished++
    return token
  }

  const burst = Array.from({ length: BURST }, (_, i) =>
    app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room: `room-${i}` } }))
  await allSigning
  // Signed on the event loop, every signature would be done by now; on the thread pool they are not.
  const health = await app.inject({ url: '/health' })
  const finishedWhenHealthAnswered = finished
  t.equal(health.statusCode, 200)
  t.ok(finishedWhenHealthAnswered < BURST, `/health answered with ${BURST - finishedWhenHealthAnswered} of ${BURST} signatures still running`)

  const responses = await Promise.all(burst)
  t.same(new Set(responses.map(res => res.statusCode)), new Set([201]), 'every token of the burst was issued')
  t.equal(finished, BURST)
})
