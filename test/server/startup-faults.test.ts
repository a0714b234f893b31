/**
 * Start-up faults of the real server process in production: a clients or key file that cannot be read
 * or makes no sense, and a port already taken. Each stops the process with one line on stderr naming
 * the variable and the file, exit 1, and nothing half-started: it never listens, so no token can be had.
 *
 * "Wrong permissions" is a directory in place of the file here: the tests run as root, and root reads
 * a file whatever its mode (chmod 000 stops nobody), while a directory fails the read for every user
 * through the same code path (readFileSync throws EISDIR where it would throw EACCES).
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { tempDir, writeClientsFile } from '../helper.js'
import { freePort } from '../support/redis-server.js'
import { spawnServer } from '../support/server-process.js'

const dir = tempDir()
const directory = join(dir, 'a-directory')
mkdirSync(directory)
const clients = writeClientsFile([{ id: 'lms', grants: { rooms: ['*'] } }], dir)
const write = (name: string, text: string) => { const file = join(dir, name); writeFileSync(file, text); return file }
const badJson = write('clients-bad.json', '{"clients": [{"id": "lms",')
const notPem = write('not-a-key.pem', 'this is not a key\n')
const missing = join(dir, 'missing')

const PRODUCTION = { NODE_ENV: 'production', METRICS_PUBLIC: 'true', JWT_APP_ID: 'faults-app', PUBLIC_URL: 'https://meet.example.org', LOG_LEVEL: 'info' }
const HS256 = { ...PRODUCTION, JWT_APP_SECRET: randomBytes(32).toString('hex'), CLIENTS_FILE: clients.file }
const RS256 = { ...PRODUCTION, JWT_SIGN_TYPE: 'RS256', JWT_KID: 'faults-1', CLIENTS_FILE: clients.file }

async function refusesToStart (t: Test, env: Record<string, string>, message: RegExp) {
  const port = await freePort()
  const server = spawnServer({ ...env, PORT: String(port) })
  t.teardown(() => { server.child.kill('SIGKILL') })
  t.equal((await server.exited).code, 1, 'exit 1')
  t.match(server.stderr(), message)
  t.equal(server.stderr().trimEnd().split('\n').length, 1, 'one line on stderr')
  t.notMatch(server.stdout(), /Server listening/, 'never listened')
  // Nothing half-started outlives it: the port it was given answers nothing, so no token can be had.
  await t.rejects(fetch(`http://127.0.0.1:${port}/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${clients.keys.lms}`, 'content-type': 'application/json' },
    body: '{"room":"x"}'
  }), 'no token can be fetched')
}

const FAULTS: Array<[string, Record<string, string>, RegExp]> = [
  ['CLIENTS_FILE missing', { ...HS256, CLIENTS_FILE: missing },
    /^jitsi-token-service: cannot start: CLIENTS_FILE \S+\/missing: cannot be read \(ENOENT\)\n$/],
  ['CLIENTS_FILE unreadable (a directory)', { ...HS256, CLIENTS_FILE: directory },
    /^jitsi-token-service: cannot start: CLIENTS_FILE \S+\/a-directory: cannot be read \(EISDIR\)\n$/],
  ['CLIENTS_FILE with bad JSON', { ...HS256, CLIENTS_FILE: badJson },
    /^jitsi-token-service: cannot start: CLIENTS_FILE \S+\/clients-bad\.json: cannot be parsed as JSON: it ends early \(a closing bracket, brace or quote is missing\)\n$/],
  ['JWT_PRIVATE_KEY_FILE missing', { ...RS256, JWT_PRIVATE_KEY_FILE: missing },
    /^jitsi-token-service: configuration error: JWT_PRIVATE_KEY_FILE cannot be read \(ENOENT: \S+\/missing\)\n$/],
  ['JWT_PRIVATE_KEY_FILE unreadable (a directory)', { ...RS256, JWT_PRIVATE_KEY_FILE: directory },
    /^jitsi-token-service: configuration error: JWT_PRIVATE_KEY_FILE cannot be read \(EISDIR: \S+\/a-directory\)\n$/],
  ['JWT_PRIVATE_KEY_FILE not a PEM key', { ...RS256, JWT_PRIVATE_KEY_FILE: notPem },
    /^jitsi-token-service: configuration error: JWT_PRIVATE_KEY_FILE is not a PEM key \(expected "-----BEGIN PRIVATE KEY-----"/],
]

for (const [name, env, message] of FAULTS) {
  t.test(name, t => refusesToStart(t, env, message))
}

t.test('a port already in use: exit 1 naming the address, no banner, the other owner keeps the port', async t => {
  const owner = createServer(socket => socket.end('HTTP/1.1 418 I\'m a teapot\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'))
  await new Promise<void>(resolve => owner.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { owner.close() })
  const { port } = owner.address() as AddressInfo

  const server = spawnServer({ ...HS256, PORT: String(port) })
  t.teardown(() => { server.child.kill('SIGKILL') })
  t.equal((await server.exited).code, 1, 'exit 1')
  t.match(server.stderr(), new RegExp(`^jitsi-token-service: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`))
  t.notMatch(server.stdout(), /Server listening/)
  const res = await fetch(`http://127.0.0.1:${port}/tokens`, { method: 'POST', body: '{}' })
  t.equal(res.status, 418, 'the port still belongs to its owner, who issues no token')
})
