/**
 * The targets of issue 16 for the pinned run (bench/pinned.ts), kept pure so they can be tested:
 * CPU per token and ratios to the floor and the peer measured in the same run, latency at a fixed
 * share of the service's maximum, RS256 scaling over one thread's RSA-2048 rate, cold start and RSS.
 */
import type { ColdStart } from './cold-start.js'
import type { RateRun } from './parse.js'
import { atLeast, atMost, cells, clean, ratio, renderTable, type ServerResult, type Servers, type SigningLimits, type TargetCheck } from './targets.js'

export const PINNED_TARGETS = {
  hs256CpuUsPerToken: 100,
  /** HS256 req/s at least this share of the bare Fastify floor's, each alone on one core. */
  hs256VsFloor: 0.4,
  hs256VsPeer: 5,
  /** Offered load for the latency check, as a share of the service's measured maximum. */
  fixedLoadShare: 0.7,
  hs256P99AtFixedLoadMs: 10,
  rs256VsOneThreadSigning: 1.6,
  /** GET /health while RS256 signs flat out on every core. */
  healthP99DuringRs256Ms: 20,
  coldStartMs: 400,
  idleRssMb: 70,
  hs256RssMb: 120
} as const

export interface PinnedRun {
  servers: Servers
  signing: SigningLimits
  /** HS256 service at PINNED_TARGETS.fixedLoadShare of its maximum. */
  fixedLoad?: RateRun
  /** The bare Fastify floor at the same offered rate: the tail this machine gives any server at that rate. */
  floorFixedLoad?: RateRun
  /** Latency of GET /health (ms) sampled during the RS256 rounds. */
  healthDuringRs256?: { p50: number, p99: number, samples: number }
  coldStart?: ColdStart
  /** The bare Fastify floor's start in the same run, for comparison. */
  floorColdStart?: ColdStart
}

/** The pth percentile (0–100) of the values, nearest rank; undefined for none. */
export function percentile (values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))]
}

const fixedLoadClean = (run: RateRun | undefined): TargetCheck => run === undefined
  ? { name: 'HS256 at fixed load errors / non-2xx', target: '0 / 0', measured: 'not run' }
  : clean('HS256 at fixed load errors / non-2xx', { errors: run.errors, non2xx: run.non2xx } as ServerResult)

export function evaluatePinned (run: PinnedRun): TargetCheck[] {
  const { baseline, peer, hs256, rs256 } = run.servers
  const T = PINNED_TARGETS
  return [
    atMost('HS256 CPU per token', hs256?.cpuUsPerRequest, T.hs256CpuUsPerToken, 'µs'),
    atLeast('HS256 req/s vs floor (each on one core)', ratio(hs256?.requestsPerSecond, baseline?.requestsPerSecond), T.hs256VsFloor),
    atLeast('HS256 CPU: floor µs / service µs', ratio(baseline?.cpuUsPerRequest, hs256?.cpuUsPerRequest), T.hs256VsFloor),
    atLeast('HS256 req/s vs peer', ratio(hs256?.requestsPerSecond, peer?.requestsPerSecond), T.hs256VsPeer),
    clean('HS256 errors / non-2xx', hs256),
    atMost(`HS256 p99 at ${T.fixedLoadShare * 100}% of its max`, run.fixedLoad?.p99, T.hs256P99AtFixedLoadMs, 'ms'),
    fixedLoadClean(run.fixedLoad),
    atLeast('RS256 tokens/s vs 1-thread RSA-2048 signs/s', ratio(rs256?.requestsPerSecond, run.signing.rs256.oneThread), T.rs256VsOneThreadSigning),
    clean('RS256 errors / non-2xx', rs256),
    atMost('GET /health p99 during RS256 load', run.healthDuringRs256?.p99, T.healthP99DuringRs256Ms, 'ms'),
    atMost('cold start to /health/ready', run.coldStart?.readyMs, T.coldStartMs, 'ms'),
    atMost('cold start CPU (contention-proof)', run.coldStart?.cpuMs, T.coldStartMs, 'ms'),
    atMost('idle RSS after start', run.coldStart?.idleRssMb, T.idleRssMb, 'MB'),
    atMost('HS256 RSS after load', hs256?.rssMb, T.hs256RssMb, 'MB')
  ]
}

export function fixedLoadTable (run: RateRun, floor?: RateRun): string {
  const row = (name: string, r: RateRun) => [name, ...cells([r.offered, r.achieved]), ...cells([r.p50, r.p99], 1), ...cells([r.errors, r.non2xx])]
  return renderTable(['HS256 at fixed load', 'offered /s', 'achieved /s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx'], [
    row('service HS256', run),
    ...(floor ? [row('floor (bare Fastify), same rate', floor)] : [])
  ])
}
