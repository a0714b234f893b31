/**
 * Cold start: milliseconds from spawning `node dist/server.js` to the first 200 from /health/ready,
 * and the resident set of the idle process a second later. Polled every 5 ms, so a start is measured
 * to within that; the median of several starts is reported.
 */
import { spawn } from 'node:child_process'
import { request } from 'node:http'
import { median } from './parse.js'
import { cpuSeconds, freePort, memoryMb, withPrefix } from './processes.js'

export interface Start {
  readyMs: number
  /** CPU time (user + system) the process used until ready: what contention on a shared machine barely moves. */
  cpuMs: number
  idleRssMb: number
}

export interface ColdStart extends Start {
  /** Medians over the starts, with every start's values. */
  starts: Start[]
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

function ready (port: number, path: string): Promise<boolean> {
  return new Promise(resolve => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, res => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('error', () => resolve(false))
    req.end()
  })
}

async function once (prefix: string[], args: string[], env: Record<string, string>, path: string) {
  const port = await freePort()
  const started = performance.now()
  const [command, ...rest] = withPrefix(prefix, args)
  const child = spawn(command!, rest, {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'ignore'
  })
  let exited = false
  child.once('exit', () => { exited = true })
  try {
    while (!(await ready(port, path))) {
      if (exited || performance.now() - started > 20_000) throw new Error('the service did not become ready')
      await sleep(5)
    }
    const readyMs = performance.now() - started
    const cpuMs = (cpuSeconds(child.pid!) ?? NaN) * 1000
    await sleep(1000)
    return { readyMs, cpuMs, idleRssMb: memoryMb(child.pid!).rss ?? NaN }
  } finally {
    child.kill('SIGKILL')
    if (!exited) await new Promise(resolve => child.once('exit', resolve))
  }
}

/** `prefix` pins the process (taskset -c N) or is empty; `path` answers 200 once the server is ready. */
export async function coldStart (prefix: string[], args: string[], env: Record<string, string>, times: number, path = '/health/ready'): Promise<ColdStart> {
  const starts: Start[] = []
  for (let i = 0; i < times; i++) starts.push(await once(prefix, args, env, path))
  return { readyMs: median(starts.map(s => s.readyMs)), cpuMs: median(starts.map(s => s.cpuMs)), idleRssMb: median(starts.map(s => s.idleRssMb)), starts }
}
