/**
 * npm run bench, pinned mode (when taskset and wrk exist and there are two cores or more): each server
 * alone on core 0, wrk on core 1, interleaved rounds of the bare Fastify floor, the service and the
 * Express + jsonwebtoken peer. The server's own CPU time per request comes from /proc (utime + stime),
 * which contention on a shared machine barely moves, unlike req/s. Then: HS256 latency at a fixed
 * offered load, RS256 on every core with GET /health sampled meanwhile, and cold start + idle RSS.
 *
 * Knobs (environment): BENCH_ROUNDS (3), BENCH_DURATION seconds per round (6), BENCH_WARMUP (2),
 * BENCH_CONNECTIONS (50), BENCH_STARTS cold starts (5), BENCH_MODE=autocannon to skip this mode.
 */
import { spawnSync } from 'node:child_process'
import { request } from 'node:http'
import { availableParallelism } from 'node:os'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { coldStart, type ColdStart } from './cold-start.js'
import { constantRate } from './constant-rate.js'
import { machine } from './machine.js'
import { cpuSeconds, memoryMb } from './processes.js'
import { jwtParts } from './probe.js'
import { evaluatePinned, fixedLoadTable, percentile, PINNED_TARGETS, type PinnedRun } from './pinned-targets.js'
import { BENCH_DIR, DIST_DIR, LABELS, SERVICE_NODE_FLAG, startScenarios, type Scenario } from './scenarios.js'
import { benchSetup, serviceEnv } from './service-setup.js'
import { signingLimits } from './signing.js'
import { meanSigningLimits, serverTable, signingTable, targetsReport, type ServerResult, type Servers, type SigningLimits } from './targets.js'
import { median, type WrkRun } from './parse.js'
import { wrk } from './wrk.js'

import { CONNECTIONS, DURATION, ROUNDS, SIGNING_MS, STARTS, WARMUP, writeResults } from './settings.js'

const SERVER_CPU = '0'
const LOAD_CPU = '1'
const pin = (cpus: string) => ['taskset', '-c', cpus]

const say = (line: string) => process.stderr.write(line + '\n')

/** Why the pinned mode cannot run here, or undefined when it can. */
export function pinnedUnavailable (): string | undefined {
  if (process.env.BENCH_MODE === 'autocannon') return 'BENCH_MODE=autocannon'
  if (availableParallelism() < 2) return 'fewer than two cores'
  for (const [tool, arg] of [['taskset', '-V'], ['wrk', '-v']] as const) {
    if (spawnSync(tool, [arg]).error) return `no ${tool} on PATH`
  }
  return undefined
}

/** GET /health latencies (ms), one request at a time every 20 ms, until stopped. */
function sampleHealth (url: string) {
  const samples: number[] = []
  const state = { running: true }
  const once = () => new Promise<void>(resolve => {
    const started = performance.now()
    const req = request(`${url}/health`, { agent: false }, res => {
      res.resume()
      res.on('end', () => { samples.push(performance.now() - started); resolve() })
    })
    req.on('error', () => resolve())
    req.end()
  })
  const loop = (async () => {
    while (state.running) {
      await once()
      await new Promise(resolve => setTimeout(resolve, 20))
    }
  })()
  return async () => { state.running = false; await loop; return samples }
}

interface Measured { rounds: WrkRun[], cpu: number, memory: ReturnType<typeof memoryMb> }

function result (label: string, m: Measured): ServerResult {
  const requests = m.rounds.reduce((sum, r) => sum + r.requests, 0)
  const seconds = m.rounds.reduce((sum, r) => sum + r.durationUs, 0) / 1e6
  const out: ServerResult = {
    label,
    requestsPerSecond: requests / seconds,
    // wrk's percentiles per round; the median round's.
    p50: median(m.rounds.map(r => r.p50Us)) / 1000,
    p99: median(m.rounds.map(r => r.p99Us)) / 1000,
    requests,
    errors: m.rounds.reduce((sum, r) => sum + r.errors, 0),
    non2xx: m.rounds.reduce((sum, r) => sum + r.non2xx, 0),
    rssMb: m.memory.rss,
    peakRssMb: m.memory.peak
  }
  if (Number.isFinite(m.cpu) && requests > 0) out.cpuUsPerRequest = m.cpu * 1e6 / requests
  return out
}

async function measure (running: Scenario[], dir: string, signing: () => Promise<SigningLimits>) {
  const load = { dir, cpu: LOAD_CPU, connections: CONNECTIONS }
  const measured: Record<string, Measured> = {}
  const health: number[] = []
  const signingRounds: SigningLimits[] = []
  for (const { name, target } of running) {
    say(`warm-up ${LABELS[name]} (${WARMUP}s)`)
    await wrk(target, { ...load, seconds: WARMUP })
    measured[name] = { rounds: [], cpu: 0, memory: {} }
  }
  for (let round = 0; round < ROUNDS; round++) {
    const order = running.map((_, i) => running[(i + round) % running.length]!)
    const limits = await signing()
    signingRounds.push(limits)
    say(`round ${round + 1}/${ROUNDS} signing: RSA-2048 ${Math.round(limits.rs256.oneThread)}/s on one thread`)
    for (const { name, server, target } of order) {
      const m = measured[name]!
      const stopSampling = name === 'rs256' ? sampleHealth(target.url) : undefined
      const cpuBefore = cpuSeconds(server.pid) ?? NaN
      const run = await wrk(target, { ...load, seconds: DURATION })
      m.cpu += (cpuSeconds(server.pid) ?? NaN) - cpuBefore
      if (stopSampling) health.push(...await stopSampling())
      m.memory = memoryMb(server.pid)
      m.rounds.push(run)
      const cpu = (m.cpu * 1e6 / m.rounds.reduce((s, r) => s + r.requests, 0)).toFixed(0)
      say(`round ${round + 1}/${ROUNDS} ${LABELS[name]}: ${Math.round(run.requests / (run.durationUs / 1e6))} req/s, ${cpu} µs CPU/req so far`)
    }
  }
  return { measured, health, signing: meanSigningLimits(signingRounds) }
}

export async function runPinned () {
  const started = Date.now()
  const setup = benchSetup()
  const running: Scenario[] = []
  const cores = availableParallelism()
  const allCores = `0-${cores - 1}`
  let stopped = false
  const stopAll = async () => {
    if (stopped) return
    stopped = true
    await Promise.all(running.map(({ server }) => server.stop()))
  }
  try {
    const { hs256Token, rs256Skipped } = await startScenarios(setup, running, { server: pin(SERVER_CPU), rs256: pin(allCores) })
    if (rs256Skipped) say(`service RS256: skipped – ${rs256Skipped}`)
    const input = jwtParts(hs256Token).signingInput
    const { measured, health, signing } = await measure(running, setup.dir, () => signingLimits(input, setup.secret, setup.privateKeyPem, SIGNING_MS))

    const servers: Servers = {}
    for (const { name } of running) servers[name] = result(LABELS[name], measured[name]!)
    const run: PinnedRun = { servers, signing }
    if (health.length > 0) run.healthDuringRs256 = { p50: percentile(health, 50)!, p99: percentile(health, 99)!, samples: health.length }

    const hs256 = running.find(s => s.name === 'hs256')!
    const rate = PINNED_TARGETS.fixedLoadShare * servers.hs256!.requestsPerSecond
    say(`HS256 at a fixed ${Math.round(rate)} req/s (${DURATION * 2}s)`)
    run.fixedLoad = await constantRate(hs256.target, rate, { cpu: LOAD_CPU, connections: CONNECTIONS, seconds: DURATION * 2 })
    // The floor at the same rate, a fraction of its own maximum: what the machine alone adds to the tail.
    const floor = running.find(s => s.name === 'baseline')!
    say(`floor at the same ${Math.round(rate)} req/s (${DURATION * 2}s)`)
    run.floorFixedLoad = await constantRate(floor.target, rate, { cpu: LOAD_CPU, connections: CONNECTIONS, seconds: DURATION * 2 })

    await stopAll()
    say(`cold start × ${STARTS}`)
    run.coldStart = await coldStart(pin(SERVER_CPU), [SERVICE_NODE_FLAG, join(DIST_DIR, 'server.js')], serviceEnv(setup, 'HS256'), STARTS)
    // The floor's own start, in the same run: what node + Fastify alone cost on this machine now.
    run.floorColdStart = await coldStart(pin(SERVER_CPU), [join(BENCH_DIR, 'servers', 'baseline.js')], {}, STARTS, '/health')

    const targets = evaluatePinned(run)
    const info = machine()
    const header = `${new Date().toISOString()} · ${info.nproc} × ${info.cpu} · Node ${info.node} · pinned: servers on core ${SERVER_CPU} ` +
      `(RS256 on ${allCores}), wrk on core ${LOAD_CPU} · ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds × ${DURATION}s per server`
    const lines = [header, '', serverTable(servers), '', signingTable(signing), '', fixedLoadTable(run.fixedLoad, run.floorFixedLoad), '']
    if (run.healthDuringRs256) lines.push(`GET /health during RS256 load: p50 ${run.healthDuringRs256.p50.toFixed(1)} ms, p99 ${run.healthDuringRs256.p99.toFixed(1)} ms (${run.healthDuringRs256.samples} samples)`)
    const start = (c: ColdStart) => `${c.readyMs.toFixed(0)} ms (${c.cpuMs.toFixed(0)} ms CPU), ${c.idleRssMb.toFixed(1)} MB RSS idle`
    lines.push(`cold start (median of ${STARTS}) to /health/ready: service ${start(run.coldStart)}; bare Fastify floor ${start(run.floorColdStart)}`, '', targetsReport(targets), '')
    process.stdout.write(lines.join('\n'))
    if (rs256Skipped) process.stdout.write(`service RS256 skipped: ${rs256Skipped}\n`)

    const seconds = writeResults(started, {
      mode: 'pinned',
      machine: info,
      settings: { connections: CONNECTIONS, rounds: ROUNDS, secondsPerRound: DURATION, warmupSeconds: WARMUP, starts: STARTS, serverCpu: SERVER_CPU, loadCpu: LOAD_CPU, rs256Cpus: allCores, dist: DIST_DIR },
      ...run,
      targets,
      rs256Skipped
    })
    say(`wrote bench/results.json (${seconds}s)`)
  } finally {
    await stopAll()
    rmSync(setup.dir, { recursive: true, force: true })
  }
}
