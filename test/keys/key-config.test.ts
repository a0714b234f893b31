/**
 * Start-up refuses RS* configurations that can never produce a token Prosody or JaaS verifies, with
 * a message naming the variable to fix; what works loads the keys once.
 */
import { generateKeyPairSync } from 'node:crypto'
import { join } from 'node:path'
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { configRefusal, tempDir } from '../helper.js'
import { keyFile, keysDir, rsaKey } from './fixtures.js'

const PRODUCTION = {
  NODE_ENV: 'production',
  METRICS_PUBLIC: 'true',
  JWT_APP_ID: 'my-app',
  PUBLIC_URL: 'https://meet.example.org',
  CLIENTS_FILE: '/etc/jitsi-token-service/clients.json',
  JWT_SIGN_TYPE: 'RS256'
}
const APP_ID = 'vpaas-magic-cookie-0123456789abcdef0123456789abcdef'

const pemOf = (type: 'ec' | 'rsa-pss' | 'ed25519' | 'dsa') => {
  const options = type === 'ec' ? { namedCurve: 'P-256' } : type === 'ed25519' ? {} : { modulusLength: 2048 }
  return generateKeyPairSync(type as 'ec', options as { namedCurve: string }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
}

t.test('RS256 with a private key file and kid: loaded once, published under the kid', async t => {
  for (const [format, pem] of [['PKCS#8', rsaKey().pem], ['PKCS#1', rsaKey().pkcs1]] as const) {
    const file = keyFile(pem)
    const config = loadConfig({ ...PRODUCTION, JWT_PRIVATE_KEY_FILE: file, JWT_KID: 'my-app/2026-01' })
    t.same(config.jwt.keys?.source, { kind: 'file', variable: 'JWT_PRIVATE_KEY_FILE', file, kid: 'my-app/2026-01' }, format)
    t.equal(config.jwt.keys?.initial.active?.kid, 'my-app/2026-01', format)
    t.equal(config.jwt.secret, undefined, 'no HMAC secret is needed')
  }
  const inline = loadConfig({ ...PRODUCTION, JWT_PRIVATE_KEY: rsaKey().pem, JWT_KID: 'k' })
  t.equal(inline.jwt.keys?.initial.active?.kid, 'k', 'JWT_PRIVATE_KEY holds the PEM itself')
})

t.test('a key that does not fit the algorithm refuses to start, naming the variable', async t => {
  const cases: Array<[string, Record<string, string>, string, RegExp]> = [
    ['EC key for RS256', { JWT_PRIVATE_KEY_FILE: keyFile(pemOf('ec')) }, 'JWT_PRIVATE_KEY_FILE', /holds an EC key \(ES\*\), but RS256 needs an RSA key: Prosody verifies only RS256\/384\/512/],
    ['RSA-PSS key', { JWT_PRIVATE_KEY_FILE: keyFile(pemOf('rsa-pss')) }, 'JWT_PRIVATE_KEY_FILE', /holds an RSA-PSS key \(PS\*\)/],
    ['Ed25519 key', { JWT_PRIVATE_KEY: pemOf('ed25519') }, 'JWT_PRIVATE_KEY', /holds an Ed25519 key \(EdDSA\)/],
    ['DSA key', { JWT_PRIVATE_KEY_FILE: keyFile(pemOf('dsa')) }, 'JWT_PRIVATE_KEY_FILE', /holds a dsa key, but RS256 needs an RSA key/],
    ['1024-bit key', { JWT_PRIVATE_KEY_FILE: keyFile(rsaKey('weak', 1024).pem) }, 'JWT_PRIVATE_KEY_FILE', /holds a 1024-bit RSA key; use at least 2048 bits/],
    ['public key only', { JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().publicPem) }, 'JWT_PRIVATE_KEY_FILE', /holds only a public key; give the private key/],
    ['encrypted key', { JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string) }, 'JWT_PRIVATE_KEY_FILE', /holds an encrypted private key; decrypt it first/],
    ['certificate', { JWT_PRIVATE_KEY_FILE: keyFile('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n') }, 'JWT_PRIVATE_KEY_FILE', /holds a certificate; give the private key/],
    ['not a key', { JWT_PRIVATE_KEY_FILE: keyFile('hello') }, 'JWT_PRIVATE_KEY_FILE', /is not a PEM key/],
    ['missing file', { JWT_PRIVATE_KEY_FILE: join(tempDir(), 'nope.pem') }, 'JWT_PRIVATE_KEY_FILE', /cannot be read \(ENOENT/],
    ['HS256 with a key', { JWT_SIGN_TYPE: 'HS256', JWT_APP_SECRET: 'x'.repeat(32), JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().pem) }, 'JWT_PRIVATE_KEY_FILE', /is set, but JWT_SIGN_TYPE is HS256, which signs with JWT_APP_SECRET: set JWT_SIGN_TYPE=RS256/],
    ['HS512 with a key directory', { JWT_SIGN_TYPE: 'HS512', JWT_APP_SECRET: 'x'.repeat(32), JWT_KEYS_DIR: tempDir() }, 'JWT_KEYS_DIR', /is set, but JWT_SIGN_TYPE is HS512/],
    ['ES256', { JWT_SIGN_TYPE: 'ES256', JWT_PRIVATE_KEY_FILE: keyFile(pemOf('ec')) }, 'JWT_SIGN_TYPE', /is ES256, which Prosody cannot verify/],
    ['PS256', { JWT_SIGN_TYPE: 'PS256' }, 'JWT_SIGN_TYPE', /is PS256, which Prosody cannot verify/]
  ]
  for (const [what, env, variable, message] of cases) {
    for (const base of [PRODUCTION, { JWT_SIGN_TYPE: 'RS256', JWT_KID: 'k' }]) {
      const error = configRefusal({ JWT_KID: 'k', ...base, ...env })
      t.equal(error.variable, variable, `${what} (${base === PRODUCTION ? 'production' : 'development'})`)
      t.match(error.message, new RegExp(`^${variable} ${message.source}`), what)
      t.notMatch(error.message, /MII[\w+/]{16}/, 'no key material in the message')
    }
  }
})

t.test('the kid: required, printable, and the same for file and key', async t => {
  const file = keyFile(rsaKey().pem)
  t.match(configRefusal({ ...PRODUCTION, JWT_PRIVATE_KEY_FILE: file }), { variable: 'JWT_KID', message: /^JWT_KID is required with JWT_PRIVATE_KEY_FILE: Prosody and JaaS find the public key by the token's kid/ })
  t.match(configRefusal({ JWT_SIGN_TYPE: 'RS256', JWT_PRIVATE_KEY: rsaKey().pem }), { variable: 'JWT_KID', message: /required with JWT_PRIVATE_KEY:/ }, 'in development too: without kid Prosody rejects every token')
  t.match(configRefusal({ ...PRODUCTION, JWT_PRIVATE_KEY_FILE: file, JWT_KID: 'my key' }), { variable: 'JWT_KID', message: /printable ASCII characters without spaces/ })
  t.match(configRefusal({ ...PRODUCTION, JWT_PRIVATE_KEY_FILE: file, JWT_KID: '' }), { variable: 'JWT_KID' })
})

t.test('one key source at a time; production needs one', async t => {
  const dir = keysDir({ k1: rsaKey().pem })
  t.match(configRefusal({ ...PRODUCTION, JWT_KEYS_DIR: dir, JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().pem) }), { variable: 'JWT_PRIVATE_KEY_FILE', message: /set together with JWT_KEYS_DIR; set only one/ })
  t.match(configRefusal({ ...PRODUCTION, JWT_KEYS_DIR: dir, JWT_KID: 'k1' }), { variable: 'JWT_KID', message: /each key's kid is its file name; remove JWT_KID/ })
  t.match(configRefusal(PRODUCTION), { variable: 'JWT_PRIVATE_KEY_FILE', message: /^JWT_PRIVATE_KEY_FILE \(or JWT_KEYS_DIR\) is required for RS256 when NODE_ENV=production/ })
  t.match(configRefusal({ ...PRODUCTION, JWT_KEYS_DIR: tempDir() }), { variable: 'JWT_KEYS_DIR', message: /^JWT_KEYS_DIR \(.*\) holds no private key: run "jitsi-token-service keys generate --dir / })
  t.match(configRefusal({ ...PRODUCTION, JWT_KEYS_DIR: join(tempDir(), 'missing') }), { variable: 'JWT_KEYS_DIR', message: /cannot be read \(ENOENT/ })
  t.equal(loadConfig({ ...PRODUCTION, JWT_KEYS_DIR: dir }).jwt.keys?.initial.active?.kid, 'k1')
})

t.test('development without a key: one for this run, listed as a default', async t => {
  const config = loadConfig({ JWT_SIGN_TYPE: 'RS256' })
  t.ok(config.developmentDefaults.includes('JWT_PRIVATE_KEY_FILE'))
  t.notOk(config.developmentDefaults.includes('JWT_APP_SECRET'), 'no secret needed for RS256')
  t.match(config.jwt.keys?.initial.active?.kid, /^dev\d{8}[0-9a-f]{8}$/)
  t.not(loadConfig({ JWT_SIGN_TYPE: 'RS256' }).jwt.keys?.initial.active?.kid, config.jwt.keys?.initial.active?.kid, 'a new kid every run')
  const jaas = loadConfig({ JWT_PROFILE: 'jaas', JAAS_APP_ID: APP_ID })
  t.match(jaas.jwt.keys?.initial.active?.kid, new RegExp(`^${APP_ID}/dev\\d{8}[0-9a-f]{8}$`), 'JaaS kids stay under the AppID')
})

t.test('JWT_PROFILE=jaas: RS256 by default, an AppID required, kids under the AppID', async t => {
  const file = keyFile(rsaKey().pem)
  const jaas = { NODE_ENV: 'production', METRICS_PUBLIC: 'true', CLIENTS_FILE: '/etc/clients.json', JWT_PROFILE: 'jaas', JAAS_APP_ID: APP_ID, JWT_PRIVATE_KEY_FILE: file }
  const config = loadConfig({ ...jaas, JWT_KID: 'abc123' })
  t.equal(config.jwt.algorithm, 'RS256')
  t.equal(config.jwt.profile, 'jaas')
  t.equal(config.jwt.jaasAppId, APP_ID)
  t.equal(config.publicUrl, 'https://8x8.vc', 'no PUBLIC_URL needed')
  t.equal(config.jwt.keys?.initial.active?.kid, `${APP_ID}/abc123`, 'the key id alone gets the AppID prefix')
  t.equal(loadConfig({ ...jaas, JWT_KID: `${APP_ID}/abc123` }).jwt.keys?.initial.active?.kid, `${APP_ID}/abc123`, 'the full kid as the console shows it')
  t.equal(loadConfig({ ...jaas, JWT_KID: 'abc123', PUBLIC_URL: 'https://stage.8x8.vc' }).publicUrl, 'https://stage.8x8.vc')

  const dirConfig = loadConfig({ ...jaas, JWT_PRIVATE_KEY_FILE: undefined, JWT_KEYS_DIR: keysDir({ def456: rsaKey().pem }) })
  t.equal(dirConfig.jwt.keys?.initial.active?.kid, `${APP_ID}/def456`)

  t.match(configRefusal({ ...jaas, JWT_KID: 'vpaas-magic-cookie-ffff/abc123' }), { variable: 'JWT_KID', message: /belongs to AppID "vpaas-magic-cookie-ffff", not JAAS_APP_ID/ })
  t.match(configRefusal({ ...jaas, JWT_KID: 'My Key' }), { variable: 'JWT_KID' })
  t.match(configRefusal({ ...jaas, JWT_KID: 'Key_1' }), { variable: 'JWT_KID', message: /must be the key id from the JaaS console/ })
  t.match(configRefusal({ ...jaas, JWT_KID: 'abc', JWT_SIGN_TYPE: 'RS512' }), { variable: 'JWT_SIGN_TYPE', message: /is RS512, but JaaS \(JWT_PROFILE=jaas\) accepts only RS256/ })
  t.match(configRefusal({ ...jaas, JWT_KID: 'abc', JAAS_APP_ID: undefined }), { variable: 'JAAS_APP_ID', message: /is required with JWT_PROFILE=jaas/ })
  t.match(configRefusal({ ...jaas, JWT_KID: 'abc', JAAS_APP_ID: 'my-app' }), { variable: 'JAAS_APP_ID', message: /must be a JaaS AppID, vpaas-magic-cookie-<32 hex digits> \(given: "my-app"\)/ })
  t.match(configRefusal({ ...PRODUCTION, JWT_PRIVATE_KEY_FILE: file, JWT_KID: 'abc', JAAS_APP_ID: APP_ID }), { variable: 'JAAS_APP_ID', message: /is set, but JWT_PROFILE is not jaas/ })
  t.match(configRefusal({ ...jaas, JWT_KID: 'abc', JWT_PROFILE: '8x8' }), { variable: 'JWT_PROFILE' })
})
