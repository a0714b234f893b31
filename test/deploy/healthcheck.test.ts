/**
 * src/healthcheck.ts is what Docker's HEALTHCHECK runs: exit 0 only when GET /health/ready on
 * 127.0.0.1:$PORT answers 200, exit 1 otherwise (error status, nothing listening, no answer in 2 s).
 */
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { nodeArgs } from '../support/server-process.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

interface ProbeResult { code: number | null, exitedAt: number }

function probe (port: number): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs('src/healthcheck.ts'), {
      cwd: root,
      env: { ...process.env, PORT: String(port) },
      stdio: 'ignore'
    })
    child.on('error', reject)
    child.on('exit', code => resolve({ code, exitedAt: Date.now() }))
  })
}

async function listen (server: Server): Promise<number> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

t.test('exit 0 on 200 from /health/ready, then 1 once it answers 503', async t => {
  const statuses = [200, 503]
  const paths: string[] = []
  const server = createServer((request, response) => {
    paths.push(request.url ?? '')
    response.statusCode = statuses.shift() ?? 500
    response.end()
  })
  const port = await listen(server)
  t.teardown(() => { server.close() })

  t.equal((await probe(port)).code, 0, 'ready: healthy')
  t.equal((await probe(port)).code, 1, 'not ready: unhealthy')
  t.same(paths, ['/health/ready', '/health/ready'], 'asks the readiness endpoint, not /health')
})

t.test('exit 1 when nothing listens on PORT', async t => {
  const server = createServer()
  const port = await listen(server)
  await new Promise(resolve => server.close(resolve))
  t.equal((await probe(port)).code, 1)
})

t.test('exit 1 within about 2 s when the server never answers', async t => {
  let requestedAt = 0
  const server = createServer(() => { requestedAt = Date.now() /* and never answer */ })
  const port = await listen(server)
  t.teardown(() => { server.closeAllConnections(); server.close() })

  const { code, exitedAt } = await probe(port)
  const waited = exitedAt - requestedAt
  t.equal(code, 1)
  t.ok(requestedAt > 0, 'the request reached the server')
  // Its own deadline is 2 s; what must hold is that it gives up before Docker's HEALTHCHECK --timeout=5s
  // does. The exit also waits for the child's coverage to be written, ~1 s on a loaded machine.
  t.ok(waited < 4500, `gave up before Docker's 5 s timeout instead of hanging (${waited} ms after the request)`)
  t.ok(waited > 1000, `but gave the server time to answer (${waited} ms)`)
})
