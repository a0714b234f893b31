/**
 * Issue 12 items 5 and 8: the token doctor answers every token a client can send without a 5xx, and its
 * cost is bounded: answer size, caller-supplied keys, its own rate limit, API clients only.
 */
import { createHmac, createPublicKey, randomBytes } from 'node:crypto'
import t from 'tap'
import { APP_ID, SECRET, bearer, build, testConfig, writeClientsFile } from '../helper.js'
import { AUDIENCE, startLocalIdp } from '../support/local-idp.js'

const b64 = (json: string) => Buffer.from(json).toString('base64url')
/** A token signed with the service's secret, from raw JSON text (numbers JSON.stringify cannot write). */
function hsRaw (payload: string, header = '{"alg":"HS256","typ":"JWT"}'): string {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`
}

const { file, keys } = writeClientsFile([{ id: 'backend', grants: { rooms: ['*'] } }])
const config = testConfig({ CLIENTS_FILE: file, BODY_LIMIT: '1048576', RATE_LIMIT_MAX: '100000' })
type App = Awaited<ReturnType<typeof build>>['app']
const doctor = (app: App, payload: object, key = keys.backend) => app.inject({ method: 'POST', url: '/tokens/verify', headers: bearer(key), payload })
const check = (res: { json: () => { checks: Array<{ name: string, detail: string }> } }, name: string) => res.json().checks.find(c => c.name === name)!

t.test('NumericDates at and beyond the edges of the range are diagnosed, never a 5xx', async t => {
  const { app } = await build(t, config)
  const now = Math.floor(Date.now() / 1000)
  const numbers = ['-1e20', '-8640000000001', '-8640000000000', '1e308', '-1e308', '1e400', '-1e400', '9007199254740993', '0', '-0', '1.5e-320', String(now + 60), String(now - 60)]
  for (const exp of numbers) {
    for (const other of ['iat', 'nbf']) {
      const res = await doctor(app, { token: hsRaw(`{"iss":"${APP_ID}","aud":"jitsi","sub":"meet.jitsi","room":"*","exp":${exp},"${other}":${exp}}`) })
      t.equal(res.statusCode, 200, `exp and ${other} ${exp}`)
      t.type(check(res, 'exp').detail, 'string')
    }
  }
  const far = await doctor(app, { token: hsRaw(`{"iss":"${APP_ID}","aud":"jitsi","sub":"meet.jitsi","room":"*","exp":-1e20}`) })
  t.match(check(far, 'exp').detail, /before the year -271821/, 'a date JavaScript cannot show is named, not formatted')
})

t.test('claims Prosody\'s JSON decoder refuses (too deep, lone surrogates) are "Invalid body", never a 5xx', async t => {
  const { app } = await build(t, config)
  const nested = (depth: number) => `{"room":"*","context":${'{"a":'.repeat(depth - 1)}1${'}'.repeat(depth - 1)}}`
  const ok = await doctor(app, { token: hsRaw(nested(1000)) })
  t.equal(ok.statusCode, 200)
  t.equal(check(ok, 'token').detail, 'The token is a JWT: a JSON header, a JSON payload and a signature, separated by dots.', '1000 levels: lua-cjson reads it')
  for (const depth of [1001, 5000, 100_000]) {
    const res = await doctor(app, { token: hsRaw(nested(depth)) })
    t.equal(res.statusCode, 200, `${depth} levels`)
    t.match(res.json(), { valid: false, reason: 'Invalid body' })
  }
  // A \u escape of a lone surrogate: lua-cjson refuses it ("invalid unicode escape code"); no check can encode it.
  for (const payload of ['{"room":"\\ud800"}', '{"sub":"a\\udc00"}', '{"context":{"\\ud83d":1}}']) {
    const res = await doctor(app, { token: hsRaw(payload), room: 'Daily Standup', tenant: 'acme' })
    t.equal(res.statusCode, 200, payload)
    t.match(res.json(), { valid: false, reason: 'Invalid body' })
  }
  const header = await doctor(app, { token: hsRaw('{"room":"*"}', `{"alg":"HS256","kid":${'['.repeat(20_000)}${']'.repeat(20_000)}}`) })
  t.equal(header.statusCode, 200)
  t.match(header.json(), { valid: false, reason: 'Invalid header' })
})

t.test('the answer stays a small multiple of the request, however the claims are shaped', async t => {
  const { app } = await build(t, config)
  const manyFeatures = `{"room":"*","context":{"features":{${Array.from({ length: 20_000 }, (_, i) => `"${i.toString(36)}":1`).join(',')}}}}`
  const longValues = `{"room":"${'x'.repeat(100_000)}","aud":["${'y'.repeat(50_000)}"],"sub":"${'z'.repeat(50_000)}","context":{"user":{"moderator":"${'m'.repeat(50_000)}"}}}`
  for (const [why, payload] of [['20,000 unknown feature names', manyFeatures], ['huge claim values', longValues]] as const) {
    const body = JSON.stringify({ token: hsRaw(payload), room: 'Daily Standup', prosody: { acceptedIssuers: Array.from({ length: 32 }, (_, i) => `issuer-${i}`) } })
    const res = await app.inject({ method: 'POST', url: '/tokens/verify', headers: { ...bearer(keys.backend), 'content-type': 'application/json' }, payload: body })
    t.equal(res.statusCode, 200, why)
    t.ok(res.body.length < 16_384, `${why}: ${res.body.length} bytes answer ${body.length} bytes`)
  }
  const features = check(await doctor(app, { token: hsRaw(manyFeatures) }), 'features').detail
  t.match(features, /; and 19995 more\./, 'problems beyond the first few are counted, not listed')
})

t.test('a caller-supplied RSA key over 4096 bits, or with a huge exponent, is not used', async t => {
  const { app } = await build(t, config)
  // Public keys need no primes: a random odd modulus of the wanted size imports fine.
  const modulus = (bits: number) => { const n = randomBytes(bits / 8); n[0]! |= 0x80; n[n.length - 1]! |= 1; return n.toString('base64url') }
  const pem = (n: string, e: string) => createPublicKey({ key: { kty: 'RSA', n, e }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString()
  const token = `${b64('{"alg":"RS256","typ":"JWT","kid":"k"}')}.${b64('{"room":"*"}')}.${randomBytes(1024).toString('base64url')}`
  const rs = { algorithm: 'RS256' }
  for (const [why, key] of [['8192-bit modulus', pem(modulus(8192), 'AQAB')], ['4104-bit modulus', pem(modulus(4104), 'AQAB')], ['65-bit exponent', pem(modulus(2048), Buffer.from('010000000000000001', 'hex').toString('base64url'))]] as const) {
    const res = await doctor(app, { token, prosody: { ...rs, publicKeyPem: key } })
    t.equal(res.statusCode, 200, why)
    t.match(check(res, 'signature').detail, /the doctor checks keys of at most 4096 bits with an exponent under 2\^64/, why)
  }
  const fine = await doctor(app, { token, prosody: { ...rs, publicKeyPem: pem(modulus(4096), 'AQAB') } })
  t.match(check(fine, 'signature').detail, /does not verify with the supplied prosody.publicKeyPem/, 'a 4096-bit key is verified')
})

t.test('the doctor has its own budget per client, a tenth of RATE_LIMIT_MAX', async t => {
  const { app } = await build(t, testConfig({ CLIENTS_FILE: file, RATE_LIMIT_MAX: '20' }))
  const statuses: number[] = []
  for (let i = 0; i < 3; i++) statuses.push((await doctor(app, { token: 'x' })).statusCode)
  t.same(statuses, [200, 200, 429])
  const issued = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(keys.backend), payload: { room: 'x' } })
  t.equal(issued.statusCode, 201, 'issuing tokens keeps its own budget')
})

t.test('identity-provider users may not call the doctor', async t => {
  const idp = await startLocalIdp(t)
  const { app } = await build(t, testConfig({ CLIENTS_FILE: file, OIDC_ISSUER: idp.issuer, OIDC_AUDIENCE: AUDIENCE }))
  const res = await doctor(app, { token: 'x' }, await idp.token())
  t.equal(res.statusCode, 403)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.json().detail, /for API clients/)
  t.equal((await doctor(app, { token: 'x' })).statusCode, 200, 'API clients still may')
})
