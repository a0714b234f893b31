/**
 * Saturating load with wrk (a C load generator, far cheaper per request than the servers under
 * test), pinned to its own core. A Lua script sets the request and, when the run is done, prints one
 * JSON line with wrk's own counters and latency percentiles, so nothing depends on wrk's text layout.
 */
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Target } from './load.js'

const run = promisify(execFile)

/** One wrk run, as its done() callback reports it (latencies in µs). */
export interface WrkRun {
  requests: number
  durationUs: number
  /** Socket errors: connect, read, write, timeout. */
  errors: number
  /** Answers with a status of 400 or more. */
  non2xx: number
  p50Us: number
  p99Us: number
}

/** Lua long brackets need a level that the text does not contain. */
function longString (text: string): string {
  let level = '='
  while (text.includes(`]${level}]`)) level += '='
  return `[${level}[${text}]${level}]`
}

export function wrkScript (target: Target): string {
  const headers = Object.entries(target.headers).map(([name, value]) => `wrk.headers[ ${longString(name)} ] = ${longString(value)}`)
  return [
    'wrk.method = "POST"',
    `wrk.body = ${longString(target.body)}`,
    ...headers,
    'function done(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'\\nWRK-JSON {"requests":%d,"durationUs":%d,"errors":%d,"non2xx":%d,"p50Us":%d,"p99Us":%d}\\n\',',
    '    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,',
    '    latency:percentile(50), latency:percentile(99)))',
    'end',
    ''
  ].join('\n')
}

/** The JSON line the script's done() printed; throws when wrk printed none (it failed to start). */
export function parseWrkOutput (stdout: string): WrkRun {
  const line = /^WRK-JSON (\{.*\})$/m.exec(stdout)
  if (!line) throw new Error(`wrk printed no result: ${stdout.slice(0, 300)}`)
  return JSON.parse(line[1]!) as WrkRun
}

export interface WrkOptions {
  /** Where the Lua script is written. */
  dir: string
  /** Core (taskset -c list) the load generator runs on. */
  cpu: string
  connections: number
  seconds: number
}

export async function wrk (target: Target, opts: WrkOptions): Promise<WrkRun> {
  const script = join(opts.dir, `wrk-${process.pid}.lua`)
  writeFileSync(script, wrkScript(target))
  const { stdout } = await run('taskset', ['-c', opts.cpu, 'wrk', '-t1', `-c${opts.connections}`, `-d${opts.seconds}s`, '--timeout', '10s', '-s', script, `${target.url}/tokens`],
    { maxBuffer: 1 << 20 })
  return parseWrkOutput(stdout)
}
