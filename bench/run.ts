/**
 * npm run bench. With taskset and wrk (and two cores) it runs the pinned mode (bench/pinned.ts);
 * otherwise this autocannon mode: the service against a bare baseline and a typical peer, in one run on 127.0.0.1.
 * Servers are measured in short interleaved rounds (the order rotates each round), each round also
 * measuring the in-process signing limits, so machine drift hits all alike; prints the table and the
 * targets of issue 7 and writes bench/results.json.
 *
 * Knobs (environment): BENCH_ROUNDS (3), BENCH_DURATION seconds per round (6), BENCH_WARMUP (2),
 * BENCH_CONNECTIONS (50).
 */
import { rmSync } from 'node:fs'
import { fire, summarize, type Round } from './load.js'
import { machine } from './machine.js'
import { pinnedUnavailable, runPinned } from './pinned.js'
import { cpuSeconds, memoryMb } from './processes.js'
import { jwtParts } from './probe.js'
import { LABELS, startScenarios, type Scenario } from './scenarios.js'
import { benchSetup } from './service-setup.js'
import { signingLimits } from './signing.js'
import { evaluateTargets, meanSigningLimits, serverTable, signingTable, targetsReport, type ServerResult, type Servers, type SigningLimits } from './targets.js'

import { CONNECTIONS, DURATION, ROUNDS, SIGNING_MS, WARMUP, writeResults } from './settings.js'

const say = (line: string) => process.stderr.write(line + '\n')

interface Measured { rounds: Round[], cpu: number, memory: ReturnType<typeof memoryMb> }

/** Each round measures every server and the in-process signing limits, so drift hits them alike. */
async function measure (running: Scenario[], signing: () => Promise<SigningLimits>) {
  const measured: Record<string, Measured> = {}
  const signingRounds: SigningLimits[] = []
  for (const { name, target } of running) {
    say(`warm-up ${LABELS[name]} (${WARMUP}s)`)
    await fire(target, CONNECTIONS, WARMUP)
    measured[name] = { rounds: [], cpu: 0, memory: {} }
  }
  for (let round = 0; round < ROUNDS; round++) {
    const order = running.map((_, i) => running[(i + round) % running.length]!)
    const limits = await signing()
    signingRounds.push(limits)
    say(`round ${round + 1}/${ROUNDS} signing: HS256 ${Math.round(limits.hs256.oneThread)}/s, RSA-2048 ${Math.round(limits.rs256.oneThread)}/s on one thread`)
    for (const { name, server, target } of order) {
      const m = measured[name]!
      const cpuBefore = cpuSeconds(server.pid) ?? NaN
      const result = await fire(target, CONNECTIONS, DURATION)
      m.cpu += (cpuSeconds(server.pid) ?? NaN) - cpuBefore
      m.memory = memoryMb(server.pid)
      m.rounds.push(result)
      say(`round ${round + 1}/${ROUNDS} ${LABELS[name]}: ${Math.round(result.totalCompletedRequests / result.duration)} req/s`)
    }
  }
  return { measured, signing: meanSigningLimits(signingRounds) }
}

async function main () {
  const started = Date.now()
  const setup = benchSetup()
  const running: Scenario[] = []
  try {
    const { hs256Token, rs256Skipped } = await startScenarios(setup, running)
    if (rs256Skipped) say(`service RS256: skipped – ${rs256Skipped}`)
    const input = jwtParts(hs256Token).signingInput
    const { measured, signing } = await measure(running, () => signingLimits(input, setup.secret, setup.privateKeyPem, SIGNING_MS))

    const servers: Servers = {}
    for (const { name, target } of running) {
      const m = measured[name]!
      const summary = summarize(m.rounds, target.url, CONNECTIONS)
      const result: ServerResult = { label: LABELS[name], ...summary, rssMb: m.memory.rss, peakRssMb: m.memory.peak }
      if (Number.isFinite(m.cpu) && summary.requests > 0) result.cpuUsPerRequest = m.cpu * 1e6 / summary.requests
      servers[name] = result
    }
    const targets = evaluateTargets(servers, signing)
    const info = machine()
    const header = `${new Date().toISOString()} · ${info.nproc} × ${info.cpu} · Node ${info.node} · ` +
      `${CONNECTIONS} connections, ${ROUNDS} interleaved rounds × ${DURATION}s per server`
    process.stdout.write([header, '', serverTable(servers), '', signingTable(signing), '', targetsReport(targets), ''].join('\n'))
    if (rs256Skipped) process.stdout.write(`service RS256 skipped: ${rs256Skipped}\n`)

    const seconds = writeResults(started, {
      machine: info,
      settings: { connections: CONNECTIONS, rounds: ROUNDS, secondsPerRound: DURATION, warmupSeconds: WARMUP },
      servers,
      signing,
      targets,
      rs256Skipped
    })
    say(`wrote bench/results.json (${seconds}s)`)
  } finally {
    await Promise.all(running.map(({ server }) => server.stop()))
    rmSync(setup.dir, { recursive: true, force: true })
  }
}

const unavailable = pinnedUnavailable()
if (unavailable === undefined) await runPinned()
else {
  say(`autocannon mode (not pinned: ${unavailable})`)
  await main()
}
