/**
 * The real server process: it refuses to start with a key Prosody could not use, and SIGHUP
 * switches the signing key without a restart while the old kid stays published.
 */
import { createHash } from 'node:crypto'
import t from 'tap'
import { decodeJwt, writeClientsFile } from '../helper.js'
import { listeningOrigin, spawnServer } from '../support/server-process.js'
import { keyFile, keysDir, rsaKey, writeFile } from './fixtures.js'

const sha256hex = (text: string) => createHash('sha256').update(text).digest('hex')

t.test('a 1024-bit key stops start-up with a message naming the variable', async t => {
  const server = spawnServer({
    NODE_ENV: 'production',
    JWT_APP_ID: 'my-app',
    PUBLIC_URL: 'https://meet.example.org',
    CLIENTS_FILE: '/nonexistent/clients.json',
    JWT_SIGN_TYPE: 'RS256',
    JWT_PRIVATE_KEY_FILE: keyFile(rsaKey('weak', 1024).pem),
    JWT_KID: 'k1'
  })
  const { code } = await server.exited
  t.equal(code, 1)
  t.match(server.stderr(), /^jitsi-token-service: configuration error: JWT_PRIVATE_KEY_FILE holds a 1024-bit RSA key; use at least 2048 bits/)
  t.notMatch(server.stderr() + server.stdout(), /MII/, 'no key material printed')
})

t.test('SIGHUP activates a new key without a restart', async t => {
  const dir = keysDir({ k1: rsaKey('a').pem }, 'k1')
  // A real key: the service makes no development client next to it, so the client comes from CLIENTS_FILE.
  const { file, keys } = writeClientsFile([{ id: 'lms', grants: { rooms: ['*'] } }])
  const apiKey = keys.lms!
  const server = spawnServer({ LOG_LEVEL: 'info', JWT_SIGN_TYPE: 'RS256', JWT_KEYS_DIR: dir, CLIENTS_FILE: file })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const origin = await listeningOrigin(server)
  const mint = async () => {
    const res = await fetch(`${origin}/tokens`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ room: 'standup' }) })
    return ((await res.json()) as { token: string }).token
  }
  t.equal(decodeJwt(await mint()).header.kid, 'k1')

  writeFile(dir, 'k2.pem', rsaKey('b').pem)
  writeFile(dir, 'active', 'k2\n')
  const pid = server.child.pid
  server.child.kill('SIGHUP')
  await server.waitForStdout(/"event":"keys\.reloaded"/)
  t.match(server.logs().find(line => line.event === 'keys.reloaded'), { activeKid: 'k2', kids: ['k1', 'k2'] })
  t.equal(server.child.pid, pid, 'same process')

  t.equal(decodeJwt(await mint()).header.kid, 'k2')
  t.equal((await fetch(`${origin}/asap/${sha256hex('k1')}.pem`)).status, 200, 'the old kid stays published')
  t.equal((await fetch(`${origin}/health/ready`)).status, 200)

  server.child.kill('SIGTERM')
  t.equal((await server.exited).code, 0)
})
