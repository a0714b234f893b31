/**
 * `jitsi-token-service keys generate`: a fresh RSA key under a new kid, written 0600 and never over
 * an existing file, with the settings for this service and for Prosody/docker-jitsi-meet or JaaS.
 */
import { createHash, createPublicKey } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { run } from '../../src/cli/main.js'
import { loadKeySet } from '../../src/keys/key-source.js'
import { tempDir } from '../helper.js'

async function cli (...args: string[]) {
  let out = ''
  let err = ''
  const code = await run(args, { out: { write: (text: string) => { out += text } }, err: { write: (text: string) => { err += text } } } as never)
  return { code, out, err }
}

const sha256hex = (text: string) => createHash('sha256').update(text).digest('hex')
const APP_ID = 'vpaas-magic-cookie-0123456789abcdef0123456789abcdef'

t.test('the first key in a directory is written, activated, and loads as the signing key', async t => {
  const dir = join(tempDir(), 'keys')
  const { code, out, err } = await cli('keys', 'generate', '--dir', dir)
  t.equal(code, 0)
  const kid = /^kid: (\S+)$/m.exec(out)?.[1] as string
  t.match(kid, /^\d{8}[0-9a-f]{8}$/, 'a dated, random kid')
  const file = join(dir, `${kid}.pem`)
  t.equal(statSync(file).mode & 0o777, 0o600, 'private key readable by its owner only')
  t.equal(statSync(dir).mode & 0o777, 0o700)
  t.match(readFileSync(file, 'utf8'), /^-----BEGIN PRIVATE KEY-----/)
  t.equal(readFileSync(join(dir, 'active'), 'utf8'), `${kid}\n`)
  t.match(err, /signs new tokens once the service reads the directory/)

  t.match(out, `Prosody fetches: /asap/${sha256hex(kid)}.pem`)
  t.match(out, `JWT_SIGN_TYPE=RS256\nJWT_KEYS_DIR=${dir}\n`)
  t.match(out, /^ENABLE_AUTH=1\nAUTH_TYPE=jwt\nJWT_SIGN_TYPE=RS256\nJWT_ASAP_KEYSERVER=http:\/\/token-service:3000\/asap$/m)
  t.match(out, 'asap_key_server = "http://token-service:3000/asap"; signature_algorithm = "RS256"')
  t.notMatch(out + err, /PRIVATE KEY/, 'the private key is never printed')

  const keys = loadKeySet({ kind: 'dir', dir }, { algorithm: 'RS256' })
  t.equal(keys.active?.kid, kid)
  t.equal(keys.byPathId.get(sha256hex(kid))?.kid, kid)
  t.equal(createPublicKey(readFileSync(file)).asymmetricKeyDetails?.modulusLength, 2048)
})

t.test('a second key is published but not active until asked', async t => {
  const dir = tempDir()
  await cli('keys', 'generate', '--dir', dir, '--name', 'first')
  const second = await cli('keys', 'generate', '--dir', dir, '--name', 'second', '--bits', '3072', '--key-server', 'http://keys.internal:3000/asap/')
  t.equal(second.code, 0)
  t.equal(readFileSync(join(dir, 'active'), 'utf8'), 'first\n', 'the signing key stays until the new one is activated')
  t.match(second.err, `activate it: echo second > ${join(dir, 'active')}, then SIGHUP again`)
  t.match(second.out, /^JWT_ASAP_KEYSERVER=http:\/\/keys\.internal:3000\/asap$/m, 'no trailing slash: Prosody adds it')
  t.same(loadKeySet({ kind: 'dir', dir }, { algorithm: 'RS256' }).published.map(key => key.kid), ['first', 'second'])

  const third = await cli('keys', 'generate', '--dir', dir, '--name', 'third', '--activate')
  t.equal(third.code, 0)
  t.equal(readFileSync(join(dir, 'active'), 'utf8'), 'third\n')
  t.equal(loadKeySet({ kind: 'dir', dir }, { algorithm: 'RS256' }).active?.kid, 'third')
})

t.test('without an active file, adding a key says the directory must name the signing key', async t => {
  const dir = tempDir()
  await cli('keys', 'generate', '--out', join(dir, 'old.pem'))
  const { code, err } = await cli('keys', 'generate', '--dir', dir, '--name', 'new')
  t.equal(code, 0)
  t.notOk(existsSync(join(dir, 'active')))
  t.match(err, `${join(dir, 'active')} does not exist: write the name of the key that signs now into it before sending SIGHUP`)
})

t.test('an existing key is never overwritten, so a kid never names two keys', async t => {
  const dir = tempDir()
  t.equal((await cli('keys', 'generate', '--dir', dir, '--name', 'k1')).code, 0)
  const before = readFileSync(join(dir, 'k1.pem'), 'utf8')
  const again = await cli('keys', 'generate', '--dir', dir, '--name', 'k1')
  t.equal(again.code, 2)
  t.match(again.err, /jitsi-token-service keys generate: EEXIST/)
  t.equal(readFileSync(join(dir, 'k1.pem'), 'utf8'), before)
})

t.test('--out writes one key file and prints JWT_PRIVATE_KEY_FILE and JWT_KID', async t => {
  const file = join(tempDir(), 'signing.pem')
  const { code, out } = await cli('keys', 'generate', '--out', file, '--name', 'myapp-2026')
  t.equal(code, 0)
  t.match(out, `JWT_PRIVATE_KEY_FILE=${file}\nJWT_KID=myapp-2026\n`)
  t.equal(loadKeySet({ kind: 'file', variable: 'JWT_PRIVATE_KEY_FILE', file, kid: 'myapp-2026' }, { algorithm: 'RS256' }).active?.kid, 'myapp-2026')
})

t.test('JaaS: prints the public key to upload and the JaaS settings', async t => {
  const file = join(tempDir(), 'jaas.pem')
  const { code, out } = await cli('keys', 'generate', '--out', file, '--name', 'abc123', '--jaas-app-id', APP_ID)
  t.equal(code, 0)
  t.match(out, `kid: ${APP_ID}/abc123`)
  const publicPem = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----\n/.exec(out)?.[0] as string
  t.equal(publicPem, createPublicKey(readFileSync(file)).export({ type: 'spki', format: 'pem' }), 'the key to upload matches the private key')
  t.match(out, `JWT_PROFILE=jaas\nJAAS_APP_ID=${APP_ID}\nJWT_PRIVATE_KEY_FILE=${file}\nJWT_KID=<the key id the console shows for this key>`)
  t.notMatch(out, /JWT_ASAP_KEYSERVER/, 'JaaS holds the public key itself')

  const dir = tempDir()
  const inDir = await cli('keys', 'generate', '--dir', dir, '--jaas-app-id', APP_ID)
  t.match(inDir.out, `JWT_KEYS_DIR=${dir}\n# rename the file to <key id shown by the console>.pem`)
})

t.test('bad options: exit 2 with the reason and the usage', async t => {
  const cases: Array<[string[], RegExp]> = [
    [[], /give either --dir/],
    [['--dir', 'a', '--out', 'b'], /give either --dir/],
    [['--out', 'b', '--activate'], /--activate needs --dir/],
    [['--dir', tempDir(), '--name', '../escape'], /--name must be letters, digits/],
    [['--dir', tempDir(), '--bits', '1024'], /--bits must be an integer from 2048 to 8192/],
    [['--dir', tempDir(), '--bits', 'lots'], /--bits must be an integer/],
    [['--dir', tempDir(), '--jaas-app-id', 'my-app'], /--jaas-app-id must look like vpaas-magic-cookie-/]
  ]
  for (const [args, message] of cases) {
    const { code, err, out } = await cli('keys', 'generate', ...args)
    t.equal(code, 2, args.join(' '))
    t.match(err, message)
    t.match(err, /Usage: jitsi-token-service keys generate/)
    t.equal(out, '')
  }
})

t.test('the command is listed in the CLI usage', async t => {
  const { out } = await cli('--help')
  t.match(out, /keys generate\s+create an RSA key pair with a new kid/)
})

t.test('--dir defaults to JWT_KEYS_DIR, so the key lands where the service reads and the printed path is that one', async t => {
  const { keysGenerateCommand } = await import('../../src/cli/commands/keys-generate.js')
  const dir = join(tempDir(), 'keys')
  let out = ''
  const io = { out: { write: (text: string) => { out += text } }, err: { write: () => true } }
  t.equal(await keysGenerateCommand({ JWT_KEYS_DIR: dir }).run(['--name', 'meet-2026'], io), 0)
  t.ok(existsSync(join(dir, 'meet-2026.pem')))
  t.match(out, `JWT_KEYS_DIR=${dir}\n`)
  t.equal(await keysGenerateCommand({ JWT_KEYS_DIR: '' }).run(['--name', 'x'], io), 2, 'empty means unset: --dir or --out is needed')
  t.equal(await keysGenerateCommand({ JWT_KEYS_DIR: dir }).run(['--out', join(dir, 'single.pem'), '--name', 'single'], io), 0, '--out still wins')
  t.match(out, `JWT_PRIVATE_KEY_FILE=${join(dir, 'single.pem')}\n`)
})

t.test('--system: the meeting-control key, with the settings for both sides, which the service loads as its system key', async t => {
  const file = join(tempDir(), 'system-key.pem')
  const { code, out: stdout } = await cli('keys', 'generate', '--system', '--out', file, '--name', 'system-2026')
  t.equal(code, 0)
  t.match(stdout, /Prosody fetches: \/system-keys\/[0-9a-f]{64}\.pem/)
  t.match(stdout, new RegExp(`SYSTEM_PRIVATE_KEY_FILE=${file}\\nSYSTEM_KID=system-2026\\n`))
  t.match(stdout, /GLOBAL_CONFIG=prosody_password_public_key_repo_url = "http:\/\/token-service:3000\/system-keys";/)
  t.notMatch(stdout, /JWT_/)
  const { loadConfig } = await import('../../src/config.js')
  const config = loadConfig({ NODE_ENV: 'test', PROSODY_HTTP_URL: 'http://prosody:5280', SYSTEM_PRIVATE_KEY_FILE: file, SYSTEM_KID: 'system-2026' })
  t.equal(config.meetingControl?.systemKey.kid, 'system-2026')
  t.equal((await cli('keys', 'generate', '--system', '--dir', tempDir())).code, 2, '--system needs --out')
})
