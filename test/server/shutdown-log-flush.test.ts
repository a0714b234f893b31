/**
 * SIGTERM while the log reader lags (a log shipper or `docker logs` pipe that is momentarily full):
 * the process waits until every line is written, so no audit line is lost. pino writes stdout
 * asynchronously, one chunk at a time, and on exit writes what is queued synchronously but skips the
 * chunk still being written (pinojs/sonic-boom#101); src/shutdown.ts ends the stream instead.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { FULL_GRANTS } from '../../src/clients/grants.js'
import { tempDir, writeClientsFile } from '../helper.js'
import { listeningOrigin, spawnServer } from '../support/server-process.js'

t.test('a full stdout pipe at SIGTERM: one token.issued line per 201, none lost, shutdown last', async t => {
  const { file, keys } = writeClientsFile([{ id: 'lms', grants: FULL_GRANTS }], tempDir())
  const server = spawnServer({ CLIENTS_FILE: file, SHUTDOWN_DRAIN: '0', LOG_LEVEL: 'info', RATE_LIMIT_MAX: '100000' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const origin = await listeningOrigin(server)

  // Stop reading the service's stdout: ~1000 audit lines (~400 KB) fill the pipe and stay queued in pino.
  server.child.stdout!.pause()
  const post = (room: string) => fetch(`${origin}/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keys.lms}`, 'content-type': 'application/json' },
    body: JSON.stringify({ room })
  }).then(res => res.status)
  const statuses: number[] = []
  for (let wave = 0; wave < 10; wave++) {
    statuses.push(...await Promise.all(Array.from({ length: 100 }, (_, i) => post(`room ${wave} ${i}`))))
  }
  server.child.kill('SIGTERM')
  // Let the shutdown reach its last step while the pipe is still full, then read again.
  await sleep(500)
  server.child.stdout!.resume()

  const { code } = await server.exited
  t.equal(code, 0)
  t.same(new Set(statuses), new Set([201]), 'every request got its token')
  const logs = server.logs()
  t.equal(logs.filter(line => line.event === 'token.issued').length, statuses.length, 'one token.issued line per 201')
  t.equal(logs.at(-1)?.event, 'shutdown.complete', 'the shutdown line is the last')
})
