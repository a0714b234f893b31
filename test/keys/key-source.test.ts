/** Reading JWT_KEYS_DIR: what counts as a key, which key signs, and kids from file names. */
import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { loadKeySet } from '../../src/keys/key-source.js'
import { kidPathId, kidProblem, newKeyId } from '../../src/keys/kid.js'
import { keysDir, rsaKey, writeFile } from './fixtures.js'

const RS256 = { algorithm: 'RS256' as const }

t.test('only <name>.pem files are keys; Kubernetes ..data links and other files are not', async t => {
  const dir = keysDir({ 'key-1': rsaKey('a').pem })
  writeFile(dir, 'README.txt', 'rotate every 90 days')
  writeFile(dir, '.hidden.pem', 'not a key, and not read')
  mkdirSync(join(dir, 'old.pem'))
  mkdirSync(join(dir, '..2026_01_01'))
  writeFile(join(dir, '..2026_01_01'), 'mounted.pem', rsaKey('b').publicPem)
  symlinkSync('..2026_01_01', join(dir, '..data'))
  symlinkSync(join('..data', 'mounted.pem'), join(dir, 'mounted.pem'))
  const keys = loadKeySet({ kind: 'dir', dir }, RS256)
  t.same(keys.published.map(key => key.kid), ['key-1', 'mounted'], 'a symlinked secret counts, through the link')
  t.equal(keys.active?.kid, 'key-1')
})

t.test('the active file names the signing key by file name, or by kid', async t => {
  const appId = 'vpaas-magic-cookie-abc'
  const dir = keysDir({ k1: rsaKey('a').pem, k2: rsaKey('b').pem }, `${appId}/k2`)
  const keys = loadKeySet({ kind: 'dir', dir }, { ...RS256, jaasAppId: appId })
  t.equal(keys.active?.kid, `${appId}/k2`)
  t.same(keys.published.map(key => key.kid), [`${appId}/k1`, `${appId}/k2`])
  t.equal(keys.problem, undefined)
})

t.test('a public-only file is published but cannot be active', async t => {
  const dir = keysDir({ retired: rsaKey('a').publicPem, current: rsaKey('b').pem })
  const keys = loadKeySet({ kind: 'dir', dir }, RS256)
  t.equal(keys.active?.kid, 'current', 'the only private key signs')
  t.equal(keys.byPathId.get(kidPathId('retired'))?.publicPem, rsaKey('a').publicPem)
  keysDir({}, 'retired', dir)
  t.throws(() => loadKeySet({ kind: 'dir', dir }, RS256), { variable: 'JWT_KEYS_DIR', message: /active names "retired", whose file holds only a public key and cannot sign/ })
})

t.test('a directory with only public keys publishes them and says nothing can sign', async t => {
  const keys = loadKeySet({ kind: 'dir', dir: keysDir({ retired: rsaKey('a').publicPem }) }, RS256)
  t.equal(keys.active, undefined)
  t.match(keys.problem, /holds no private key/)
  t.equal(keys.jwks.keys.length, 1)
})

t.test('kids', async t => {
  t.equal(kidPathId('myapp/2026-01'), 'c1a3c5d1fcf17a4fb50018009c6ead1109f5973da1ef511f9a83fa10afd11d0b', 'the example in docs/jitsi.md §1.2')
  t.equal(kidProblem('myapp/2026-01'), undefined)
  t.match(kidProblem(''), /is empty/)
  t.match(kidProblem('a\nb'), /printable ASCII/)
  t.match(kidProblem('x'.repeat(257)), /1–256/)
  t.match(newKeyId(new Date('2026-03-04T05:06:07Z')), /^20260304[0-9a-f]{8}$/)
  t.not(newKeyId(), newKeyId(), 'never the same kid twice')
})
