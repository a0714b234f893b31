/**
 * The benchmark's verdict, kept pure so it can be tested: the targets of issue 7, their evaluation
 * against one run's numbers, and the table printed at the end.
 */

import type { LoadSummary } from './load.js'

export const TARGETS = {
  /** HS256 service req/s at least this share of the bare Fastify baseline's. */
  hs256VsBaseline: 0.7,
  /** HS256 service req/s at least this multiple of the Express + jsonwebtoken peer's. */
  hs256VsPeer: 5,
  hs256P99Ms: 25,
  /** RS256 service req/s at least this multiple of one thread's RSA-2048 signatures/s (both cores used). */
  rs256VsOneThreadSigning: 1.6,
  rs256P99Ms: 150,
  hs256RssMb: 120
} as const

export type ServerName = 'baseline' | 'peer' | 'hs256' | 'rs256'

/** What the load generator saw of one server (bench/load.ts), plus what /proc says of its process. */
export interface ServerResult extends LoadSummary {
  label: string
  /** Resident set size of the server process after its last round, and its peak. */
  rssMb?: number
  peakRssMb?: number
  /** Server CPU time (user + system) per completed request, in microseconds. */
  cpuUsPerRequest?: number
}

export interface SigningRate {
  oneThread: number
  allCores: number
  threads: number
}

export interface SigningLimits {
  hs256: SigningRate
  rs256: SigningRate
}

export type Servers = Partial<Record<ServerName, ServerResult>>

/** The mean of the rounds' measurements (each round measures for the same time). */
export function meanSigningLimits (rounds: SigningLimits[]): SigningLimits {
  const mean = (pick: (l: SigningLimits) => SigningRate): SigningRate => ({
    oneThread: rounds.reduce((sum, l) => sum + pick(l).oneThread, 0) / rounds.length,
    allCores: rounds.reduce((sum, l) => sum + pick(l).allCores, 0) / rounds.length,
    threads: pick(rounds[0]!).threads
  })
  return { hs256: mean(l => l.hs256), rs256: mean(l => l.rs256) }
}

export interface TargetCheck {
  name: string
  target: string
  measured: string
  /** undefined when the scenario did not run. */
  ok?: boolean
}

/** a / b, or undefined when either side is missing or b is not positive. */
export function ratio (a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || !(b > 0)) return undefined
  return a / b
}

export function atLeast (name: string, value: number | undefined, min: number, unit = '×'): TargetCheck {
  return { name, target: `≥ ${min}${unit}`, measured: value === undefined ? 'not run' : `${value.toFixed(2)}${unit}`, ok: value === undefined ? undefined : value >= min }
}

export function atMost (name: string, value: number | undefined, max: number, unit: string): TargetCheck {
  return { name, target: `≤ ${max} ${unit}`, measured: value === undefined ? 'not run' : `${value.toFixed(1)} ${unit}`, ok: value === undefined ? undefined : value <= max }
}

export function clean (name: string, server: ServerResult | undefined): TargetCheck {
  if (!server) return { name, target: '0 / 0', measured: 'not run' }
  return { name, target: '0 / 0', measured: `${server.errors} / ${server.non2xx}`, ok: server.errors === 0 && server.non2xx === 0 }
}

export function evaluateTargets (servers: Servers, signing: SigningLimits): TargetCheck[] {
  const { baseline, peer, hs256, rs256 } = servers
  return [
    atLeast('HS256 service req/s vs baseline', ratio(hs256?.requestsPerSecond, baseline?.requestsPerSecond), TARGETS.hs256VsBaseline),
    atLeast('HS256 service req/s vs peer', ratio(hs256?.requestsPerSecond, peer?.requestsPerSecond), TARGETS.hs256VsPeer),
    atMost('HS256 service p99', hs256?.p99, TARGETS.hs256P99Ms, 'ms'),
    clean('HS256 service errors / non-2xx', hs256),
    atLeast('RS256 service req/s vs 1-thread RSA-2048 signs/s', ratio(rs256?.requestsPerSecond, signing.rs256.oneThread), TARGETS.rs256VsOneThreadSigning),
    atMost('RS256 service p99', rs256?.p99, TARGETS.rs256P99Ms, 'ms'),
    clean('RS256 service errors / non-2xx', rs256),
    atMost('HS256 service RSS after load', hs256?.rssMb, TARGETS.hs256RssMb, 'MB')
  ]
}

export function cells (values: Array<number | undefined>, digits = 0): string[] {
  return values.map(v => v === undefined ? '–' : v.toFixed(digits))
}

/** A plain-text table with right-aligned numbers; the first column is left-aligned. */
export function renderTable (header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)))
  const line = (r: string[]) => r.map((c, i) => i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)).join('  ')
  return [line(header), widths.map(w => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

export function serverTable (servers: Servers): string {
  const rows = (['baseline', 'peer', 'hs256', 'rs256'] as const).flatMap(name => {
    const s = servers[name]
    if (!s) return []
    return [[
      s.label,
      ...cells([s.requestsPerSecond]),
      ...cells([s.p50, s.p99], 1),
      ...cells([s.errors, s.non2xx, s.rssMb, s.peakRssMb, s.cpuUsPerRequest])
    ]]
  })
  return renderTable(['server', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'RSS MB', 'peak MB', 'CPU µs/req'], rows)
}

export function signingTable (signing: SigningLimits): string {
  const row = (label: string, r: SigningRate) => [label, ...cells([r.oneThread, r.allCores]), String(r.threads)]
  return renderTable(['in-process signing', '1 thread /s', 'all cores /s', 'threads'], [
    row('HS256 (HMAC-SHA256)', signing.hs256),
    row('RS256 (RSA-2048)', signing.rs256)
  ])
}

export function targetsReport (checks: TargetCheck[]): string {
  const verdict = (ok: boolean | undefined) => ok === undefined ? 'SKIP' : ok ? 'PASS' : 'FAIL'
  return renderTable(['target', 'wanted', 'measured', ''], checks.map(c => [c.name, c.target, c.measured, verdict(c.ok)]))
}
