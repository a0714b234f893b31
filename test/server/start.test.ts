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
  t.match(server.stderr(), /^jitsi-token-service: 3 configuration errors:\n {2}JWT_APP_SECRET is required when NODE_ENV=production\n {2}CLIENTS_FILE is required when NODE_ENV=production\n {2}METRICS_TOKEN is required/)
  t.equal(server.stdout(), '', 'no banner, no listening line')
})

t.test('several configuration problems: all of them at once, one per line, exit 1', async t => {
  const server = spawnServer({ PORT: 'x', JWT_TTL: '9000', JWT_MAX_TTL: '600', NODE_ENV: 'production', JWT_APP_SECRET: 'not "long"', METRICS_TOKEN: 'm'.repeat(32) })
  t.equal((await server.exited).code, 1)
  t.equal(server.stderr(), [
    'jitsi-token-service: 6 configuration errors:',
    '  PORT must be a whole number (given: "x")',
    '  JWT_APP_SECRET is 10 characters; use at least 32 (e.g. openssl rand -hex 32)',
    '  CLIENTS_FILE is required when NODE_ENV=production',
    '  JWT_TTL (9000) is longer than JWT_MAX_TTL (600)',
    '  PUBLIC_URL is required when NODE_ENV=production',
    '  JWT_APP_ID is required when NODE_ENV=production',
    ''
  ].join('\n'))
})

t.test('a production start logs what runs in one line, and warns once about risky settings', async t => {
  const dir = t.testdir({ 'clients.json': '{"clients": []}' })
  const server = spawnServer({
    NODE_ENV: 'production',
    JWT_APP_ID: 'my-app',
    JWT_APP_SECRET: 'a'.repeat(32),
    PUBLIC_URL: 'https://meet.example.org',
    CLIENTS_FILE: `${dir}/clients.json`,
    LOG_LEVEL: 'info',
    SHUTDOWN_DRAIN: '0',
    // Open /metrics on purpose (the warning under test); where production insists, this says so.
    METRICS_PUBLIC: 'true'
  })
  t.teardown(() => { server.child.kill('SIGKILL') })
  await server.waitForStdout(/"event":"service.started"/)
  const logs = server.logs()
  t.match(logs.find(line => line.event === 'service.started'), {
    level: 30,
    algorithm: 'HS256',
    issuer: 'my-app',
    xmppDomain: 'meet.jitsi',
    clients: 0,
    oidc: 'off',
    pid: server.child.pid,
    msg: new RegExp(`^jitsi-token-service listening on http://127\\.0\\.0\\.1:\\d+: HS256, kid -, issuer my-app, XMPP domain meet.jitsi, 0 clients, OIDC off, login off, pid ${server.child.pid}$`)
  })
  const warnings = logs.filter(line => line.event === 'config.warning')
  t.match(warnings, [{ level: 40, msg: /lists no clients/ }, { level: 40, msg: /GET \/metrics answers anyone/ }])
  server.child.kill('SIGHUP')
  server.child.kill('SIGTERM')
  t.equal((await server.exited).code, 0)
  t.equal(server.logs().filter(line => line.event === 'config.warning').length, 2, 'warned once, not again on SIGHUP')
  t.notMatch(server.stdout() + server.stderr(), 'a'.repeat(32), 'the secret is never printed')
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
