import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { FULL_GRANTS } from '../../src/clients/grants.js'
import { tempDir, writeClientsFile } from '../helper.js'
import { listeningOrigin, spawnServer } from '../support/server-process.js'

t.test('slow log reader', async t => {
  const { file, keys } = writeClientsFile([{ id: 'lms', grants: FULL_GRANTS }], tempDir())
  const server = spawnServer({ CLIENTS_FILE: file, SHUTDOWN_DRAIN: '0', LOG_LEVEL: 'info', RATE_LIMIT_MAX: '100000' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const origin = await listeningOrigin(server)
  server.child.stdout!.pause()
  const post = (i: number) => fetch(`${origin}/tokens`, { method: 'POST', headers: { authorization: `Bearer ${keys.lms}`, 'content-type': 'application/json' }, body: JSON.stringify({ room: `room ${i}` }) }).then(r => r.status)
  const statuses: number[] = []
  for (let wave = 0; wave < 10; wave++) statuses.push(...await Promise.all(Array.from({ length: 100 }, (_, i) => post(wave * 100 + i))))
  server.child.kill('SIGTERM')
  await sleep(1000)
  server.child.stdout!.resume()
  const { code } = await server.exited
  const out = server.stdout().split('\n').filter(l => l.startsWith('{'))
  let bad = 0
  const lines = out.filter(l => { try { JSON.parse(l); return true } catch { bad++; return false } }).map(l => JSON.parse(l))
  t.equal(code, 0)
  t.equal(bad, 0, 'broken lines')
  t.equal(lines.filter(l => l.event === 'token.issued').length, statuses.filter(s => s === 201).length, 'issued lines')
  t.equal(lines.at(-1)?.event, 'shutdown.complete')
  console.error(statuses.length, lines.length, lines.slice(-3).map(l => l.event))
})
