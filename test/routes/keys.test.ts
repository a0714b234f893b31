/**
 * RS256 end to end: POST /tokens signs with the active key, and the public key this service serves
 * is the one a verifier needs: at /asap/<sha256(kid)>.pem for Prosody's asap_key_server, and in
 * the JWKS. Verified with jose (not the code that signed) and with the Prosody emulation.
 */
import { createHash } from 'node:crypto'
import t from 'tap'
import { createLocalJWKSet, createRemoteJWKSet, importSPKI, jwtVerify } from 'jose'
import { APP_ID, bearer, build, decodeJwt, testConfig } from '../helper.js'
import { keyFile, rsaKey } from '../keys/fixtures.js'
import { verifyToken } from '../support/prosody-verifier.js'

const KID = 'myapp/2026-01'
const sha256hex = (text: string) => createHash('sha256').update(text).digest('hex')

function rsConfig (algorithm = 'RS256', pem = rsaKey().pem) {
  return testConfig({ JWT_SIGN_TYPE: algorithm, JWT_PRIVATE_KEY_FILE: keyFile(pem), JWT_KID: KID })
}

async function mint (app: Awaited<ReturnType<typeof build>>['app'], config: ReturnType<typeof testConfig>, room = 'Daily Standup') {
  const res = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room, context: { user: { name: 'Alice', moderator: true } } } })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().token as string
}

t.test('an RS256 token verifies against the PEM served at the kid\'s path', async t => {
  const config = rsConfig()
  const { app } = await build(t, config)
  const token = await mint(app, config)
  const { header } = decodeJwt(token)
  t.same(header, { alg: 'RS256', typ: 'JWT', kid: KID }, 'typ JWT and kid, as Prosody requires')

  // The path Prosody builds: sha256 hex of the kid (docs/jitsi.md §1.2 gives this example).
  t.equal(sha256hex(KID), 'c1a3c5d1fcf17a4fb50018009c6ead1109f5973da1ef511f9a83fa10afd11d0b')
  const pem = await app.inject({ url: `/asap/${sha256hex(KID)}.pem` })
  t.equal(pem.statusCode, 200)
  t.match(pem.headers['content-type'], /^application\/x-pem-file/)
  t.equal(pem.headers['cache-control'], 'public, max-age=300')
  t.match(pem.body, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/)
  t.equal(pem.body, rsaKey().publicPem)

  const { payload } = await jwtVerify(token, await importSPKI(pem.body, 'RS256'), { algorithms: ['RS256'], issuer: APP_ID, audience: 'jitsi' })
  t.equal(payload.room, 'daily%20standup')
})

t.test('RS384 and RS512 carry their algorithm and verify too', async t => {
  for (const algorithm of ['RS384', 'RS512']) {
    const config = rsConfig(algorithm)
    const { app } = await build(t, config)
    const token = await mint(app, config)
    t.equal(decodeJwt(token).header.alg, algorithm)
    const jwks = (await app.inject({ url: '/.well-known/jwks.json' })).json()
    t.equal(jwks.keys[0].alg, algorithm)
    await t.resolves(jwtVerify(token, createLocalJWKSet(jwks), { algorithms: [algorithm] }), algorithm)
  }
})

t.test('the JWKS lists the key with kid, kty, n, e, alg, use, and verifies the token', async t => {
  const config = rsConfig()
  const { app } = await build(t, config)
  const token = await mint(app, config)
  const res = await app.inject({ url: '/.well-known/jwks.json' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.equal(res.headers['cache-control'], 'public, max-age=300', 'cache_keys_url refreshes by max-age')
  const jwks = res.json()
  t.same(Object.keys(jwks.keys[0]).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use'])
  t.match(jwks.keys[0], { kty: 'RSA', kid: KID, alg: 'RS256', use: 'sig', e: 'AQAB' })
  t.notOk('d' in jwks.keys[0], 'no private part')
  const { protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), { algorithms: ['RS256'] })
  t.equal(protectedHeader.kid, KID)
})

t.test('unknown kids and malformed names are 404 problems, not 500s', async t => {
  const { app } = await build(t, rsConfig())
  for (const url of [
    `/asap/${sha256hex('another-kid')}.pem`,
    `/asap/${sha256hex(KID)}`,
    `/asap/${sha256hex(KID)}.pem.pem`,
    '/asap/..%2F..%2Fetc%2Fpasswd',
    `/asap/${sha256hex(KID).toUpperCase()}.pem`
  ]) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 404, url)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.notMatch(res.body, /BEGIN/)
  }
})

t.test('with HS256 nothing is published', async t => {
  const { app } = await build(t, testConfig())
  t.same((await app.inject({ url: '/.well-known/jwks.json' })).json(), { keys: [] })
  t.equal((await app.inject({ url: `/asap/${sha256hex(KID)}.pem` })).statusCode, 404)
  t.equal(app.signer.kid, undefined)
  t.equal(app.keys.reload(), true, 'SIGHUP with HS256 changes nothing and fails nothing')
})

t.test('Prosody with asap_key_server pointing here accepts the token', async t => {
  const config = rsConfig()
  const { app } = await build(t, config)
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const asapKeyServer = `${address}/asap` // JWT_ASAP_KEYSERVER, no trailing slash
  const token = await mint(app, config)

  // What token/util.lib.lua does: kid from the header, path.join(server, sha256hex(kid)..'.pem'), 200 or 204.
  const kid = decodeJwt(token).header.kid as string
  const response = await fetch(`${asapKeyServer}/${sha256hex(kid)}.pem`)
  t.equal(response.status, 200)
  const publicKeyPem = await response.text()

  const verdict = verifyToken(token, { appId: APP_ID, publicKeyPem, enableDomainVerification: true, xmppDomain: 'meet.jitsi' })
  t.same(verdict.ok, true, JSON.stringify(verdict))
  const wrongAlgorithm = verifyToken(token, { appId: APP_ID, publicKeyPem, signatureAlgorithm: 'RS512', enableDomainVerification: false, xmppDomain: 'meet.jitsi' })
  t.same(wrongAlgorithm, { ok: false, reason: 'Invalid or incorrect alg' }, 'the emulation is not a rubber stamp')

  // A trailing slash in asap_key_server makes Prosody ask for //…, which is not the key.
  t.equal((await fetch(`${asapKeyServer}//${sha256hex(kid)}.pem`)).status, 404)
})

t.test('a JWKS consumer fetching over HTTP (jose createRemoteJWKSet) verifies the token', async t => {
  const config = rsConfig()
  const { app } = await build(t, config)
  const origin = await app.listen({ host: '127.0.0.1', port: 0 })
  const token = await mint(app, config)
  const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${origin}/.well-known/jwks.json`)), { algorithms: ['RS256'], audience: 'jitsi' })
  t.equal(payload.iss, APP_ID)
})
