/**
 * The pure parts of the pinned benchmark, kept apart from the code that runs processes so they can
 * be tested: wrk's Lua script and its result line, autocannon's JSON, medians.
 */
import type { Target } from './load.js'

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

export interface RateRun {
  /** Requests per second asked for and answered. */
  offered: number
  achieved: number
  p50: number
  p99: number
  errors: number
  non2xx: number
}

interface AutocannonJson {
  latency: { p50: number, p99: number }
  requests: { average: number }
  errors: number
  timeouts: number
  non2xx: number
}

export function parseAutocannonJson (stdout: string, offered: number): RateRun {
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as AutocannonJson
  return {
    offered,
    achieved: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx
  }
}

export function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
