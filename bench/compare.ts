/**
 * Two builds of the service, interleaved: CPU µs per HS256 token and start-up, in one run, so a change
 * is measured against its baseline under the same machine load (docs/performance.md).
 *
 *   node --import tsx bench/compare.ts <before-dist> [after-dist, default dist]
 *
 * Each server runs alone on core 0 with wrk on core 1 (needs taskset and wrk); rounds alternate the
 * order. A build from another checkout must sit where it finds a node_modules with its dependencies
 * (e.g. that checkout's own dist/). Knobs: BENCH_ROUNDS (4), BENCH_DURATION seconds per round (5),
 * BENCH_STARTS cold starts per build (5).
 */
import { join, resolve } from 'node:path'
import { coldStart, type ColdStart } from './cold-start.js'
import { pinnedUnavailable } from './pinned.js'
import { cpuSeconds, startServer } from './processes.js'
import { tokenTarget, SERVICE_NODE_FLAG } from './scenarios.js'
import { benchSetup, serviceEnv } from './service-setup.js'
import { wrk } from './wrk.js'

const [before, after = 'dist'] = process.argv.slice(2)
if (!before) throw new Error('usage: bench/compare.ts <before-dist> [after-dist]')
const unavailable = pinnedUnavailable()
if (unavailable) throw new Error(`bench/compare.ts runs pinned only: ${unavailable}`)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4)
const SECONDS = Number(process.env.BENCH_DURATION ?? 5)
const STARTS = Number(process.env.BENCH_STARTS ?? 5)

const setup = benchSetup()
const env = serviceEnv(setup, 'HS256')
const builds: Array<{ dir: string, server: Awaited<ReturnType<typeof startServer>>, target: { url: string, body: string, headers: Record<string, string> }, cpu: number, requests: number, failed: number }> = []
try {
  for (const dir of [before, after]) {
    const server = await startServer(dir, [SERVICE_NODE_FLAG, join(resolve(dir), 'server.js')], env, undefined, ['taskset', '-c', '0'])
    const target = tokenTarget(server.url, setup)
    builds.push({ dir, server, target, cpu: 0, requests: 0, failed: 0 })
  }
  for (const build of builds) await wrk(build.target, { dir: setup.dir, cpu: '1', connections: 50, seconds: 2 })
  for (let round = 0; round < ROUNDS; round++) {
    for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
      const cpuBefore = cpuSeconds(build.server.pid)!
      const run = await wrk(build.target, { dir: setup.dir, cpu: '1', connections: 50, seconds: SECONDS })
      build.cpu += cpuSeconds(build.server.pid)! - cpuBefore
      build.requests += run.requests
      build.failed += run.errors + run.non2xx
    }
  }
} finally {
  for (const build of builds) await build.server.stop()
}
const starts: ColdStart[] = []
for (const build of builds) {
  starts.push(await coldStart(['taskset', '-c', '0'], [SERVICE_NODE_FLAG, join(resolve(build.dir), 'server.js')], env, STARTS))
}
const [a, b] = builds.map((build, i) => ({ dir: build.dir, failed: build.failed, perToken: build.cpu * 1e6 / build.requests, start: starts[i]! }))
type Measured = NonNullable<typeof a>
const line = (x: Measured) => `${x.dir.padEnd(24)} ${x.perToken.toFixed(0).padStart(6)} µs CPU/token  ${x.failed} failed  ` +
  `start ${x.start.readyMs.toFixed(0)} ms (${x.start.cpuMs} ms CPU)  idle RSS ${x.start.idleRssMb.toFixed(1)} MB`
process.stdout.write(`${line(a!)}\n${line(b!)}\nafter / before: CPU per token ${(b!.perToken / a!.perToken).toFixed(2)}×, start CPU ${(b!.start.cpuMs / a!.start.cpuMs).toFixed(2)}×\n`)
