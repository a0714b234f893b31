/**
 * RS256 under a burst with different libuv thread-pool sizes, interleaved in one run: tokens/s and the
 * latency of GET /health sampled every 20 ms meanwhile (docs/operations.md "RS256 under load").
 *
 *   npm run build && node --import tsx bench/thread-pool.ts [sizes, default 4,2]
 *
 * Each server runs on every core with wrk on the last one, like the benchmark's RS256 scenario.
 * Knobs: BENCH_ROUNDS (4), BENCH_DURATION seconds per round (6).
 */
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { percentile } from './pinned-targets.js'
import { pinnedUnavailable } from './pinned.js'
import { startServer } from './processes.js'
import { DIST_DIR, tokenTarget, SERVICE_NODE_FLAG } from './scenarios.js'
import { benchSetup, serviceEnv } from './service-setup.js'
import { wrk } from './wrk.js'

const unavailable = pinnedUnavailable()
if (unavailable) throw new Error(`bench/thread-pool.ts needs taskset and wrk: ${unavailable}`)
const sizes = (process.argv[2] ?? '4,2').split(',')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4)
const SECONDS = Number(process.env.BENCH_DURATION ?? 6)
const cores = availableParallelism()
const loadCpu = String(cores - 1)

async function healthLatencies (url: string, until: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = []
  const state = { running: true }
  until.finally(() => { state.running = false })
  while (state.running) {
    const started = performance.now()
    await fetch(`${url}/health`).then(res => res.text())
    latencies.push(performance.now() - started)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  return latencies
}

const setup = benchSetup()
const servers = []
try {
  for (const size of sizes) {
    const server = await startServer(`RS256, ${size} threads`, [SERVICE_NODE_FLAG, join(DIST_DIR, 'server.js')],
      { ...serviceEnv(setup, 'RS256'), UV_THREADPOOL_SIZE: size }, undefined, ['taskset', '-c', `0-${cores - 1}`])
    const target = tokenTarget(server.url, setup)
    servers.push({ size, server, target, tokens: 0, seconds: 0, health: [] as number[] })
  }
  for (const s of servers) await wrk(s.target, { dir: setup.dir, cpu: loadCpu, connections: 50, seconds: 3 })
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
      const load = wrk(s.target, { dir: setup.dir, cpu: loadCpu, connections: 50, seconds: SECONDS })
      s.health.push(...await healthLatencies(s.server.url, load))
      const run = await load
      s.tokens += run.requests
      s.seconds += run.durationUs / 1e6
    }
  }
} finally {
  for (const s of servers) await s.server.stop()
}
for (const s of servers) {
  process.stdout.write(`UV_THREADPOOL_SIZE=${s.size.padEnd(3)} ${Math.round(s.tokens / s.seconds)} tokens/s  ` +
    `GET /health p50 ${percentile(s.health, 50)!.toFixed(1)} ms, p99 ${percentile(s.health, 99)!.toFixed(1)} ms (${s.health.length} samples)\n`)
}
