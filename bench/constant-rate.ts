/**
 * Latency at a fixed offered load: p99 at saturation only measures the queue, so the service is also
 * driven at a share of its measured maximum. Debian ships no wrk2; autocannon's overallRate paces the
 * requests (and corrects for coordinated omission), run as its own process on the load core.
 */
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { promisify } from 'node:util'
import type { Target } from './load.js'
import { parseAutocannonJson, type RateRun } from './parse.js'

export type { RateRun }

const run = promisify(execFile)
const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js')

export async function constantRate (target: Target, rate: number, opts: { cpu: string, connections: number, seconds: number }): Promise<RateRun> {
  const offered = Math.max(1, Math.round(rate))
  const headers = Object.entries(target.headers).flatMap(([name, value]) => ['-H', `${name}=${value}`])
  const { stdout } = await run('taskset', ['-c', opts.cpu, process.execPath, AUTOCANNON, '-j', '-c', String(opts.connections), '-d', String(opts.seconds),
    '--overallRate', String(offered), '-m', 'POST', ...headers, '-b', target.body, `${target.url}/tokens`], { maxBuffer: 1 << 22 })
  return parseAutocannonJson(stdout, offered)
}
