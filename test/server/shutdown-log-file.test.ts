/**
 * SIGTERM under load with stdout redirected to a file (`node dist/server.js >> service.log`, or a
 * process manager doing the same): every audit line reaches the file, in the order it was logged,
 * and the shutdown line is the last. pino writes stdout asynchronously, one chunk in flight at a time;
 * on exit it writes what is still queued synchronously, which without a real flush can overtake the
 * chunk still in flight and land before it (pinojs/sonic-boom#101). Pipes (the other shutdown tests)
 * hide this; files do not.
 */
import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { FULL_GRANTS } from '../../src/clients/grants.js'
import { tempDir, writeClientsFile } from '../helper.js'
import { cleanEnv } from '../support/server-process.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

async function portFromLog (file: string, exited: () => boolean): Promise<number> {
  for (;;) {
    const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(file, 'utf8'))
    if (match) return Number(match[1])
    if (exited()) throw new Error(`exited before listening:\n${readFileSync(file, 'utf8')}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

t.test('SIGTERM during a burst, stdout to a file: one audit line per 201, all in order, shutdown last', async t => {
  const dir = tempDir()
  const { file: clientsFile, keys } = writeClientsFile([{ id: 'lms', grants: FULL_GRANTS }], dir)
  const logFile = join(dir, 'service.log')
  const fd = openSync(logFile, 'a')
  // As spawnServer (../support/server-process.ts) starts it, but with stdout to the file.
  const loader = process.execArgv.some(arg => arg.includes('typescript') || arg.includes('tsx')) ? process.execArgv : ['--import', 'tsx']
  const child = spawn(process.execPath, [...loader, 'src/server.ts'], {
    cwd: root,
    env: { ...cleanEnv(), HOST: '127.0.0.1', PORT: '0', CLIENTS_FILE: clientsFile, SHUTDOWN_DRAIN: '0', LOG_LEVEL: 'info', RATE_LIMIT_MAX: '100000' },
    stdio: ['ignore', fd, 'pipe']
  })
  closeSync(fd)
  t.teardown(() => { child.kill('SIGKILL') })
  let exited = false
  const exit = new Promise<number | null>(resolve => child.on('exit', code => { exited = true; resolve(code) }))
  const port = await portFromLog(logFile, () => exited)

  const post = (i: number) => fetch(`http://127.0.0.1:${port}/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keys.lms}`, 'content-type': 'application/json' },
    body: JSON.stringify({ room: `room ${i}`, context: { user: { name: 'x'.repeat(200) } } })
  }).then(res => res.status)
  const burst = Array.from({ length: 300 }, (_, i) => post(i))
  await Promise.race(burst)
  child.kill('SIGTERM')
  const statuses = await Promise.all(burst)
  t.equal(await exit, 0)

  const lines = readFileSync(logFile, 'utf8').split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as { time: number, event?: string })
  t.equal(lines.filter(line => line.event === 'token.issued').length, statuses.filter(status => status === 201).length, 'one token.issued line per 201')
  const outOfOrder = lines.findIndex((line, i) => i > 0 && line.time < lines[i - 1]!.time)
  t.equal(outOfOrder, -1, 'lines in the order they were logged')
  t.equal(lines.at(-1)?.event, 'shutdown.complete', 'the last line is the shutdown')
})
