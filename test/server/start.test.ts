/**
 * Starting the real server process: bad configuration stops it with a message naming the problem;
 * on development defaults it prints, once, a banner whose curl command works as printed.
 */
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { spawnServer, startDevelopmentServer } from '../support/server-process.js'

t.test('NODE_ENV=production without JWT_APP_SECRET: exit 1, naming the variable', async t => {
  const server = spawnServer({ NODE_ENV: 'production', JWT_APP_ID: 'app', PUBLIC_URL: 'https://meet.example.org' })
  const { code } = await server.exited
  t.equal(code, 1)
  t.match(server.stderr(), /^jitsi-token-service: configuration error: .*JWT_APP_SECRET/)
  t.equal(server.stdout(), '', 'no banner, no listening line')
})

t.test('a CLIENTS_FILE that cannot be read: exit 1, naming the file', async t => {
  const server = spawnServer({ CLIENTS_FILE: '/nonexistent/clients.json', LOG_LEVEL: 'silent' })
  const { code } = await server.exited
  t.equal(code, 1)
  t.match(server.stderr(), /^jitsi-token-service: cannot start: CLIENTS_FILE \/nonexistent\/clients\.json: cannot be read \(ENOENT\)/)
})

t.test('a port already in use: non-zero exit with a clear message', async t => {
  const blocker = createServer()
  await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { blocker.close() })
  const { port } = blocker.address() as AddressInfo

  const server = spawnServer({ PORT: String(port), LOG_LEVEL: 'silent' })
  const { code } = await server.exited
  t.not(code, 0)
  t.match(server.stderr(), `jitsi-token-service: cannot listen on 127.0.0.1:${port}`)
  t.match(server.stderr(), /EADDRINUSE|already in use/)
  t.notMatch(server.stdout(), /curl/, 'no banner for a server that is not listening')
})

t.test('development defaults: the banner appears once and its curl command works', async t => {
  const { server, origin, apiKey } = await startDevelopmentServer({ SHUTDOWN_DRAIN: '0' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const banner = server.stdout()
  t.match(banner, 'running on development defaults')

  // The curl command as printed: URL, key header and -d body.
  const [, body] = /-d '(.+)'/.exec(banner) ?? []
  const res = await fetch(`${origin}/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body
  })
  t.equal(res.status, 201)
  t.match(await res.json(), { room: 'daily%20standup', url: /^https:\/\/localhost:8443\/Daily%20Standup\?jwt=/ })

  server.child.kill('SIGTERM')
  t.equal((await server.exited).code, 0)
  t.equal(server.stdout().match(/curl /g)?.length, 1, 'printed once')
  t.equal(server.stdout().match(new RegExp(apiKey, 'g'))?.length, 2, 'the key appears in the banner only (key line and curl line)')
})
