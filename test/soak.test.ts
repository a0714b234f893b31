/**
 * The soak in miniature (npm run soak runs it for a minute, bench/soak.ts): the real server in its
 * production configuration under every kind of request at once. No 5xx, every answer one its request
 * may get, and one audit line per token issued and per refusal.
 */
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { countStatus, mixProblems, runMix, serverErrors, soakMix, writeSoakClients } from '../bench/soak-mix.js'
import { tempDir } from './helper.js'
import { listeningOrigin, spawnServer } from './support/server-process.js'

const PER_KIND = 30

t.test('every kind of request at once against the production server: no 5xx, only the expected statuses', async t => {
  const clients = writeSoakClients(tempDir())
  const server = spawnServer({
    NODE_ENV: 'production',
    METRICS_PUBLIC: 'true',
    JWT_APP_ID: 'soak-app',
    JWT_APP_SECRET: randomBytes(32).toString('hex'),
    PUBLIC_URL: 'https://meet.example.org',
    CLIENTS_FILE: clients.file,
    // All requests come from 127.0.0.1: the 401s must not turn the rest into 429s.
    AUTH_FAILURE_LIMIT: '1000000',
    RATE_LIMIT_MAX: '1000000',
    SHUTDOWN_DRAIN: '0',
    LOG_LEVEL: 'info'
  })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const origin = await listeningOrigin(server)

  const kinds = soakMix(clients)
  // A fixed number of requests per kind (fewer where the server closes the connection after each answer,
  // 413 and unreadable JSON), so none is cut off and the audit log can be counted exactly.
  const mix = await runMix(origin, kinds, { connections: 2, amount: PER_KIND })
  t.same(mixProblems(mix), [], 'no connection error, and every answer one its request may get')
  t.equal(serverErrors(mix), 0, 'no 5xx')

  server.child.kill('SIGTERM')
  t.equal((await server.exited).code, 0, 'graceful exit')
  const logs = server.logs()
  const issued = countStatus(mix, 201)
  t.ok(issued > 0, 'tokens were issued')
  t.equal(logs.filter(line => line.event === 'token.issued').length, issued, 'one token.issued line per 201')
  const refusedAtTokens = mix.kinds.filter((_, i) => kinds[i]!.request.path === '/tokens')
    .reduce((sum, kind) => sum + Object.entries(kind.statuses).reduce((n, [status, count]) => n + (status === '201' ? 0 : count), 0), 0)
  t.equal(logs.filter(line => line.event === 'token.refused').length, refusedAtTokens, 'one token.refused line per refusal')
  t.equal(logs.filter(line => line.level >= 50).length, 0, 'no error logged')
  t.equal(server.stderr(), '', 'nothing on stderr')
})
