/**
 * Graceful shutdown of the real server process: SIGTERM in the middle of a burst of POST /tokens loses
 * no request, /health/ready turns 503 at once, a request in flight when the listener closes still
 * completes, and the process exits 0 with one audit line per token issued. SIGHUP reloads instead.
 */
import { writeFileSync } from 'node:fs'
import { Agent, request, type RequestOptions } from 'node:http'
import { connect, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { FULL_GRANTS } from '../../src/clients/grants.js'
import { tempDir, writeClientsFile } from '../helper.js'
import { listeningOrigin, spawnServer, startDevelopmentServer } from '../support/server-process.js'

interface Answer { status: number, body: string, connection?: string }

function send (origin: string, options: RequestOptions, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(origin + (options.path ?? '/'), options, response => {
      let text = ''
      response.setEncoding('utf8').on('data', chunk => { text += chunk })
      response.on('end', () => resolve({ status: response.statusCode!, body: text, connection: response.headers.connection }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

function postToken (origin: string, apiKey: string, room: string, agent: Agent | false): Promise<Answer> {
  return send(origin, {
    method: 'POST',
    path: '/tokens',
    agent,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }
  }, JSON.stringify({ room }))
}

/** A raw connection that sends a request's headers and the first part of its body now, the rest later. */
function startSlowRequest (origin: string, apiKey: string, body: string) {
  const { hostname, port } = new URL(origin)
  const socket: Socket = connect(Number(port), hostname)
  let received = ''
  socket.setEncoding('utf8').on('data', chunk => { received += chunk })
  const closed = new Promise<string>(resolve => socket.on('close', () => resolve(received)))
  const half = Math.floor(body.length / 2)
  socket.write(`POST /tokens HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${apiKey}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`)
  return { finish: () => { socket.write(body.slice(half)); return closed } }
}

async function listenerClosed (origin: string): Promise<void> {
  const { hostname, port } = new URL(origin)
  for (;;) {
    const refused = await new Promise<boolean>(resolve => {
      const socket = connect(Number(port), hostname)
      socket.on('connect', () => { socket.destroy(); resolve(false) })
      socket.on('error', () => resolve(true))
    })
    if (refused) return
    await sleep(50)
  }
}

t.test('SIGTERM during a burst of POST /tokens: every request answered, exit 0', async t => {
  const drainMs = 2000
  const { server, origin, apiKey } = await startDevelopmentServer({ SHUTDOWN_DRAIN: String(drainMs), SHUTDOWN_TIMEOUT: '20000' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 8 })
  t.teardown(() => keepAlive.destroy())
  t.equal((await send(origin, { path: '/health/ready' })).status, 200, 'ready before the signal')

  const slow = startSlowRequest(origin, apiKey, JSON.stringify({ room: 'in flight at close' }))
  const burst = (wave: string) => Array.from({ length: 40 }, (_, i) =>
    postToken(origin, apiKey, `${wave} ${i}`, i % 2 === 0 ? keepAlive : false))

  const before = burst('before')
  server.child.kill('SIGTERM')
  const after = burst('after')

  await server.waitForStdout(/"event":"shutdown"/)
  const ready = await send(origin, { path: '/health/ready' })
  t.equal(ready.status, 503, '/health/ready is 503 from the signal on')
  t.match(JSON.parse(ready.body), { status: 503, detail: 'Not ready: shutting down.' })
  t.equal((await send(origin, { path: '/health' })).status, 200, 'still alive while draining')
  const during = await postToken(origin, apiKey, 'during the drain', keepAlive)
  t.equal(during.status, 201, 'tokens are still issued while draining')
  t.equal(during.connection, 'close', 'keep-alive clients are told to reconnect (elsewhere)')

  const answers = await Promise.all([...before, ...after])
  t.same(answers.map(a => a.status), answers.map(() => 201), 'all 80 requests of the burst got their token')
  t.ok(answers.every(a => typeof JSON.parse(a.body).token === 'string'), 'complete bodies')

  // The drain is over once the listener refuses connections; the slow request was accepted before.
  await listenerClosed(origin)
  const raw = await slow.finish()
  t.match(raw, /^HTTP\/1\.1 201 Created\r\n/, 'the request in flight at close completes')
  t.match(raw, /\r\nconnection: close\r\n/i)

  const { code, signal } = await server.exited
  t.equal(code, 0, 'exit 0')
  t.equal(signal, null)
  const logs = server.logs()
  const issued = logs.filter(line => line.event === 'token.issued')
  t.equal(issued.length, answers.length + 2, 'one token.issued line per 201')
  t.equal(logs.filter(line => line.event === 'token.refused').length, 0)
  t.match(logs.find(line => line.event === 'shutdown'), { signal: 'SIGTERM', drainMs })
  const complete = logs.findIndex(line => line.event === 'shutdown.complete')
  t.same(logs.slice(complete).map(line => line.room ?? line.event ?? line.msg), ['shutdown.complete'], 'the last line, flushed before the exit')
  t.equal(server.stderr(), '')
})

t.test('a request still running at SHUTDOWN_TIMEOUT: the process exits 1 and says why', async t => {
  const { server, origin, apiKey } = await startDevelopmentServer({ SHUTDOWN_DRAIN: '0', SHUTDOWN_TIMEOUT: '1500' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  // Headers and half a body, and never the rest.
  startSlowRequest(origin, apiKey, JSON.stringify({ room: 'never finished' }))
  await sleep(100)
  server.child.kill('SIGTERM')
  const { code } = await server.exited
  t.equal(code, 1)
  t.match(server.logs().find(line => line.event === 'shutdown.timeout'), { level: 50, timeoutMs: 1500 })
  t.notOk(server.logs().some(line => line.event === 'shutdown.complete'))
})

t.test('a second signal while draining exits at once', async t => {
  const { server } = await startDevelopmentServer({ SHUTDOWN_DRAIN: '60000', SHUTDOWN_TIMEOUT: '120000' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  server.child.kill('SIGINT')
  await server.waitForStdout(/"event":"shutdown"/)
  server.child.kill('SIGINT')
  const { code } = await server.exited
  t.equal(code, 1)
  t.match(server.logs().find(line => line.event === 'shutdown.forced'), { signal: 'SIGINT' })
})

t.test('SIGHUP reloads the clients file without stopping; a broken file keeps the previous clients', async t => {
  const dir = tempDir()
  const first = writeClientsFile([{ id: 'lms', grants: FULL_GRANTS }], dir)
  const server = spawnServer({ CLIENTS_FILE: first.file, SHUTDOWN_DRAIN: '0', LOG_LEVEL: 'info' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const origin = await listeningOrigin(server)

  writeFileSync(first.file, '{"clients": [')
  server.child.kill('SIGHUP')
  await server.waitForStdout(/"event":"clients.reload_failed"/)
  t.equal((await postToken(origin, first.keys.lms!, 'still lms', false)).status, 201, 'the previous clients still work')

  const second = writeClientsFile([{ id: 'crm', grants: FULL_GRANTS }], dir)
  server.child.kill('SIGHUP')
  await server.waitForStdout(/"event":"clients.reloaded"/)
  t.equal((await postToken(origin, second.keys.crm!, 'crm now', false)).status, 201, 'the new client works')
  t.equal((await postToken(origin, first.keys.lms!, 'lms gone', false)).status, 401, 'the removed client is refused')
  t.equal((await send(origin, { path: '/health/ready' })).status, 200, 'still ready')

  server.child.kill('SIGTERM')
  t.equal((await server.exited).code, 0)
})
