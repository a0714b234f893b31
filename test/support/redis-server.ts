/**
 * A real redis-server (Debian's package; npm test's pretest check names it when missing) on a free
 * loopback port, for the tests of what replicas share: no persistence, stopped by the test.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

export async function freePort (): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  await new Promise(resolve => server.close(resolve))
  return port
}

export async function startRedis (port: number): Promise<ChildProcess> {
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  redis.stdout!.on('data', chunk => { output += chunk })
  for (let i = 0; i < 100 && !output.includes('Ready to accept connections'); i++) await sleep(50)
  if (!output.includes('Ready to accept connections')) throw new Error('redis-server did not start: ' + output)
  return redis
}
