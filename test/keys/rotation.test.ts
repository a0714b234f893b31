/**
 * Rotation without downtime, through JWT_KEYS_DIR and a reload (what SIGHUP triggers):
 * a new key is published before it signs, the `active` file switches the signer, old kids stay
 * published until their file goes, and a reload that would break verifiers is refused.
 */
import { createHash } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { createLocalJWKSet, importSPKI, jwtVerify } from 'jose'
import { bearer, build, decodeJwt, tempDir, testConfig } from '../helper.js'
import { keyFile, keysDir, rsaKey, writeFile } from './fixtures.js'

const sha256hex = (text: string) => createHash('sha256').update(text).digest('hex')

type App = Awaited<ReturnType<typeof build>>['app']

async function mint (app: App, apiKey: string | undefined) {
  return app.inject({ method: 'POST', url: '/tokens', headers: bearer(apiKey), payload: { room: 'standup' } })
}

async function kids (app: App) {
  return (await app.inject({ url: '/.well-known/jwks.json' })).json().keys.map((key: { kid: string }) => key.kid)
}

async function verifiesViaAsap (app: App, token: string) {
  const kid = decodeJwt(token).header.kid as string
  const pem = await app.inject({ url: `/asap/${sha256hex(kid)}.pem` })
  if (pem.statusCode !== 200) return false
  return jwtVerify(token, await importSPKI(pem.body, 'RS256')).then(() => true, () => false)
}

t.test('publish, activate, retire: old tokens keep verifying, new ones carry the new kid', async t => {
  const dir = keysDir({ '2026a': rsaKey('a').pem })
  const config = testConfig({ JWT_SIGN_TYPE: 'RS256', JWT_KEYS_DIR: dir })
  const { app, logs, rawLogs } = await build(t, config)
  const old = (await mint(app, config.developmentApiKey)).json().token
  t.equal(decodeJwt(old).header.kid, '2026a', 'the only key signs without an active file')

  // 1. Publish the new key; it does not sign yet, so JWKS caches can pick it up first.
  // With two private keys the `active` file must say which one signs: guessing is refused.
  writeFile(dir, '2026b.pem', rsaKey('b').pem)
  t.equal(app.keys.reload(), false)
  t.match(logs.at(-1), { event: 'keys.reload_failed', err: { message: /holds several private keys \(2026a, 2026b\); write the name of the one that signs into .*active/ } })
  writeFile(dir, 'active', '2026a\n')
  t.equal(app.keys.reload(), true)
  t.same(await kids(app), ['2026a', '2026b'])
  t.equal(app.signer.kid, '2026a')

  // 2. Activate it: no restart.
  writeFile(dir, 'active', '2026b\n')
  t.equal(app.keys.reload(), true)
  t.equal(app.signer.kid, '2026b')
  const fresh = (await mint(app, config.developmentApiKey)).json().token
  t.equal(decodeJwt(fresh).header.kid, '2026b')
  t.match(logs.filter(line => line.event === 'token.issued').at(-1), { kid: '2026b', alg: 'RS256' }, 'the audit line names the signing key')
  t.ok(await verifiesViaAsap(app, old), 'a token signed before the switch still verifies at its kid\'s path')
  t.ok(await verifiesViaAsap(app, fresh))
  const jwks = createLocalJWKSet((await app.inject({ url: '/.well-known/jwks.json' })).json())
  await t.resolves(jwtVerify(old, jwks))
  await t.resolves(jwtVerify(fresh, jwks))

  // 3. Retire the old private key but keep publishing its public key until its tokens expire.
  writeFile(dir, '2026a.pem', rsaKey('a').publicPem)
  t.equal(app.keys.reload(), true)
  t.same(await kids(app), ['2026a', '2026b'])
  t.ok(await verifiesViaAsap(app, old))

  // 4. Its tokens have expired: remove it.
  rmSync(join(dir, '2026a.pem'))
  t.equal(app.keys.reload(), true)
  t.same(await kids(app), ['2026b'])
  t.notOk(await verifiesViaAsap(app, old), 'an unpublished kid is a 404')

  const reloaded = logs.filter(line => line.event === 'keys.reloaded')
  t.same(reloaded.map(line => [line.activeKid, line.kids]), [
    ['2026a', ['2026a', '2026b']], ['2026b', ['2026a', '2026b']], ['2026b', ['2026a', '2026b']], ['2026b', ['2026b']]
  ])
  t.notMatch(rawLogs(), /PRIVATE KEY|BEGIN|eyJ/, 'no key material or token in the logs')
})

t.test('a reload that would break verifiers is refused and the current keys stay', async t => {
  const dir = keysDir({ k1: rsaKey('a').pem, k2: rsaKey('b').pem }, 'k1')
  const config = testConfig({ JWT_SIGN_TYPE: 'RS256', JWT_KEYS_DIR: dir })
  const { app, logs } = await build(t, config)
  const before = (await app.inject({ url: '/.well-known/jwks.json' })).body

  const refusals: Array<[string, () => void, RegExp]> = [
    ['active names a key that is not there', () => writeFile(dir, 'active', 'k3'), /JWT_KEYS_DIR .*active names "k3", but there is no k3\.pem/],
    ['a different key under an old kid', () => { writeFile(dir, 'active', 'k1'); writeFile(dir, 'k2.pem', rsaKey('c').pem) }, /kid "k2" now holds a different key; Prosody caches keys by kid for ever/],
    ['a broken key file', () => { writeFile(dir, 'k2.pem', 'not a key') }, /JWT_KEYS_DIR k2\.pem is not a PEM key/],
    ['a weak key', () => { writeFile(dir, 'k2.pem', rsaKey('weak', 1024).pem) }, /JWT_KEYS_DIR k2\.pem holds a 1024-bit RSA key; use at least 2048 bits/]
  ]
  for (const [what, change, message] of refusals) {
    change()
    t.equal(app.keys.reload(), false, what)
    const failed = logs.filter(line => line.event === 'keys.reload_failed').at(-1)
    t.match((failed?.err as { message: string }).message, message, what)
    t.equal(failed?.activeKid, 'k1', 'the log says what stays in use')
    t.equal((await app.inject({ url: '/.well-known/jwks.json' })).body, before, `${what}: nothing changed`)
    t.equal((await mint(app, config.developmentApiKey)).statusCode, 201, `${what}: still issuing`)
  }

  // No private key left at all: refused too, rather than stop issuing.
  rmSync(join(dir, 'active'))
  writeFile(dir, 'k1.pem', rsaKey('a').publicPem)
  writeFile(dir, 'k2.pem', rsaKey('b').publicPem)
  t.equal(app.keys.reload(), false)
  t.match((logs.at(-1)?.err as { message: string }).message, /holds no private key.*keeping the keys already loaded/)
  t.equal(app.signer.kid, 'k1')
})

t.test('a single key file: a new key under the same JWT_KID, or a missing file, is refused on reload', async t => {
  const file = keyFile(rsaKey('a').pem)
  const config = testConfig({ JWT_SIGN_TYPE: 'RS256', JWT_PRIVATE_KEY_FILE: file, JWT_KID: 'k1' })
  const { app, logs } = await build(t, config)
  t.equal(app.keys.reload(), true, 'the same key again is fine')

  writeFileSync(file, rsaKey('b').pem)
  t.equal(app.keys.reload(), false)
  t.match(logs.at(-1), { event: 'keys.reload_failed', activeKid: 'k1', err: { message: /kid "k1" now holds a different key; Prosody caches keys by kid for ever, so a new key needs a new kid/ } })

  rmSync(file)
  t.equal(app.keys.reload(), false)
  t.match(logs.at(-1), { event: 'keys.reload_failed', err: { message: /^JWT_PRIVATE_KEY_FILE cannot be read \(ENOENT/ } })
  const pem = await app.inject({ url: `/asap/${sha256hex('k1')}.pem` })
  t.equal(pem.body, rsaKey('a').publicPem, 'still serving the key that signs')
  t.equal((await mint(app, config.developmentApiKey)).statusCode, 201)
})

t.test('no key that can sign: /health/ready is 503 until a reload brings one', async t => {
  const dir = tempDir()
  const config = testConfig({ JWT_SIGN_TYPE: 'RS256', JWT_KEYS_DIR: dir })
  const { app } = await build(t, config)

  const ready = await app.inject({ url: '/health/ready' })
  t.equal(ready.statusCode, 503)
  t.match(ready.json().detail, /JWT_KEYS_DIR .* holds no private key: run "jitsi-token-service keys generate --dir /)
  t.equal((await app.inject({ url: '/health' })).statusCode, 200, 'alive, just not ready')
  const refused = await mint(app, config.developmentApiKey)
  t.equal(refused.statusCode, 503)
  t.match(refused.json(), { status: 503, detail: /No key can sign tokens/ })

  writeFile(dir, 'first.pem', rsaKey('a').pem)
  t.equal(app.keys.reload(), true)
  t.equal((await app.inject({ url: '/health/ready' })).statusCode, 200)
  t.equal((await mint(app, config.developmentApiKey)).statusCode, 201)
})

t.test('a key arriving during shutdown does not make the service ready again', async t => {
  const dir = tempDir()
  const { app } = await build(t, testConfig({ JWT_SIGN_TYPE: 'RS256', JWT_KEYS_DIR: dir }))
  app.readiness.shutDown()
  writeFile(dir, 'first.pem', rsaKey('a').pem)
  t.equal(app.keys.reload(), true)
  const ready = await app.inject({ url: '/health/ready' })
  t.equal(ready.statusCode, 503)
  t.match(ready.json().detail, /shutting down/)
})
