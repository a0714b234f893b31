/**
 * `keys list / activate / retire`: the rotation sequence over a real JWT_KEYS_DIR, each step checked by
 * loading the directory as the service does on SIGHUP.
 */
import { readFileSync, rmSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { keysRotationCommands } from '../../src/cli/commands/keys-rotate.js'
import { run } from '../../src/cli/main.js'
import { loadKeySet } from '../../src/keys/key-source.js'
import { tempDir } from '../helper.js'

async function cli (...args: string[]) {
  let out = ''
  let err = ''
  const code = await run(args, { out: { write: (text: string) => { out += text } }, err: { write: (text: string) => { err += text } } } as never)
  return { code, out, err }
}

const load = (dir: string) => loadKeySet({ kind: 'dir', dir }, { algorithm: 'RS256' })
const aged = (dir: string, name: string) => { const past = new Date(Date.now() - 600_000); utimesSync(join(dir, `${name}.pem`), past, past) }

t.test('generate → activate after one max-age → retire: the service signs with the new key and still publishes the old', async t => {
  const dir = join(tempDir(), 'keys')
  t.equal((await cli('keys', 'generate', '--dir', dir, '--name', 'old')).code, 0)
  t.equal((await cli('keys', 'generate', '--dir', dir, '--name', 'next')).code, 0)
  t.equal(load(dir).active?.kid, 'old', 'a new key is published, not signing')

  const early = await cli('keys', 'activate', 'next', '--dir', dir)
  t.equal(early.code, 3, 'too early: Prosody may not have the kid yet')
  t.match(early.err, /written \d+ s ago; verifiers cache the published keys for 300 s/)
  t.equal(load(dir).active?.kid, 'old')

  aged(dir, 'next')
  const activated = await cli('keys', 'activate', 'next', '--dir', dir)
  t.equal(activated.code, 0, activated.err)
  t.match(activated.out, /next signs new tokens after the next reload.*SIGHUP/s)
  t.equal(load(dir).active?.kid, 'next')

  t.equal((await cli('keys', 'retire', 'next', '--dir', dir)).code, 3, 'the active key cannot be retired')
  const retired = await cli('keys', 'retire', 'old', '--dir', dir)
  t.equal(retired.code, 0)
  t.match(readFileSync(join(dir, 'old.pem'), 'utf8'), /^-----BEGIN PUBLIC KEY-----/, 'the private half is gone')
  const keys = load(dir)
  t.same(keys.published.map(key => key.kid).sort(), ['next', 'old'], 'the old kid stays published for tokens it signed')
  t.equal((await cli('keys', 'retire', 'old', '--dir', dir)).code, 0, 'retiring twice changes nothing')

  const listed = await cli('keys', 'list', '--dir', dir)
  t.match(listed.out, /^next\s+active \(signs\)/m)
  t.match(listed.out, /^old\s+retired \(public key only\)/m)
})

t.test('mistakes are clear refusals', async t => {
  const dir = join(tempDir(), 'keys')
  await cli('keys', 'generate', '--dir', dir, '--name', 'only')
  t.match(await cli('keys', 'activate', 'nope', '--dir', dir), { code: 2, err: /no private key named "nope"/ })
  t.match(await cli('keys', 'retire', 'nope', '--dir', dir), { code: 2, err: /no key named "nope"/ })
  t.match(await cli('keys', 'activate', '--dir', dir), { code: 2, err: /no private key named ""/ }, 'a name is needed')
  t.match(await cli('keys', 'retire', '--dir', dir), { code: 2, err: /no key named ""/ })
  t.match(await cli('keys', 'activate', 'only', '--dir', dir, '--now'), { code: 0 }, '--now skips the wait')
  const [listFromEnv] = keysRotationCommands({ JWT_KEYS_DIR: dir })
  let out = ''
  rmSync(join(dir, 'active'))
  t.equal(await listFromEnv!.run([], { out: { write: (text: string) => { out += text } }, err: { write: () => true } }), 0)
  t.match(out, /^only\s+published, not signing/m, 'JWT_KEYS_DIR by default; no active file, nothing named active')
  await t.rejects(keysRotationCommands({})[0]!.run([], { out: { write: () => true }, err: { write: () => true } }), /give --dir or set JWT_KEYS_DIR/)
  t.match((await cli('keys', 'list', '--help')).out, /keys list \[--dir DIR\]/)
})
