/**
 * npm run soak: the built service (dist/server.js) in its production configuration, in a child
 * process, under every kind of request at once (bench/soak-mix.ts) at saturation for a bounded time.
 * Passes when: no connection error, no 5xx and every answer one its request may get; RSS flat after
 * the warm-up; one audit line per token issued or refused, and a clean shutdown. Exits 1 otherwise.
 *
 * Knobs (environment): SOAK_SECONDS (60), SOAK_WARMUP seconds (10), SOAK_CONNECTIONS per kind (4),
 * SOAK_ALG (HS256 or RS256).
 */
import { createReadStream, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { auditProblem, counterTotal, memoryProblem, rssSummary, type RssSummary } from './soak-checks.js'
import { countStatus, mixProblems, runMix, serverErrors, soakMix, writeSoakClients, type MixResult } from './soak-mix.js'
import { memoryMb, startServer } from './processes.js'
import { benchSetup, serviceEnv } from './service-setup.js'

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const SECONDS = setting('SOAK_SECONDS', 60)
const WARMUP = setting('SOAK_WARMUP', 10)
const CONNECTIONS = setting('SOAK_CONNECTIONS', 4)
const ALGORITHM = process.env.SOAK_ALG === 'RS256' ? 'RS256' : 'HS256'
const SERVER_JS = fileURLToPath(new URL('../dist/server.js', import.meta.url))

const say = (line: string) => process.stderr.write(line + '\n')

interface LogSummary { issued: number, refused: number, errors: number, lastEvent?: string }

/** Counts the service's JSON log lines (stdout, written to a file as in production). */
async function summarizeLog (file: string): Promise<LogSummary> {
  const summary: LogSummary = { issued: 0, refused: 0, errors: 0 }
  for await (const line of createInterface({ input: createReadStream(file, 'utf8') })) {
    if (!line.startsWith('{')) continue
    const record = JSON.parse(line) as { level: number, event?: string }
    if (record.event === 'token.issued') summary.issued++
    if (record.event === 'token.refused') summary.refused++
    if (record.level >= 50) summary.errors++
    summary.lastEvent = record.event
  }
  return summary
}

interface Counters { issued: number, refused: number }

/** Tokens issued and refused as the service counts them (GET /metrics; no METRICS_TOKEN here). */
async function serviceCounters (url: string): Promise<Counters> {
  const metrics = await (await fetch(`${url}/metrics`)).text()
  return { issued: counterTotal(metrics, 'jitsi_tokens_issued_total'), refused: counterTotal(metrics, 'jitsi_token_refusals_total') }
}

/** Runs the mix for `seconds` while reading the server's RSS once a second. */
async function underLoad (url: string, pid: number, kinds: ReturnType<typeof soakMix>): Promise<{ mix: MixResult, rss: RssSummary }> {
  const samples: number[] = []
  const sample = () => { const { rss } = memoryMb(pid); if (rss !== undefined) samples.push(rss) }
  const timer = setInterval(sample, 1000)
  try {
    const mix = await runMix(url, kinds, { connections: CONNECTIONS, seconds: SECONDS })
    sample()
    return { mix, rss: rssSummary(samples) }
  } finally {
    clearInterval(timer)
  }
}

function report (warm: MixResult, main: MixResult, rss: RssSummary, counters: Counters, log: LogSummary): Array<[string, string | undefined]> {
  const rows = main.kinds.map(kind => {
    const statuses = Object.entries(kind.statuses).map(([status, count]) => `${count} × ${status}`).join(', ')
    return `  ${kind.name.padEnd(26)} ${statuses}`
  })
  const created = countStatus(warm, 201) + countStatus(main, 201)
  const errors = [...warm.kinds, ...main.kinds].reduce((sum, kind) => sum + kind.errors, 0)
  const fivexx = serverErrors(warm) + serverErrors(main)
  process.stdout.write([
    `${new Date().toISOString()} · service ${ALGORITHM}, NODE_ENV=production, ${main.kinds.length} kinds × ${CONNECTIONS} connections, ` +
      `${WARMUP} s warm-up + ${SECONDS} s`,
    ...rows,
    `  total: ${main.total} answers in ${SECONDS} s (${Math.round(main.total / SECONDS)} req/s) + ${warm.total} in the warm-up; ` +
      `${errors} connection errors; ${fivexx} × 5xx`,
    `  RSS (MB) start ${rss.start.toFixed(1)}, middle ${rss.middle.toFixed(1)}, end ${rss.end.toFixed(1)} (max ${rss.max.toFixed(1)})`,
    `  issued ${counters.issued} tokens (${created} × 201 seen by the load generator), refused ${counters.refused} POST /tokens`,
    `  audit log: ${log.issued} token.issued, ${log.refused} token.refused, ${log.errors} error lines, last "${log.lastEvent}"`,
    ''
  ].join('\n'))
  const answers = [...mixProblems(warm), ...mixProblems(main)]
  const shutdown = log.lastEvent === 'shutdown.complete' && log.errors === 0 ? undefined : `last log line "${log.lastEvent}", ${log.errors} error lines`
  return [
    ['no connection error, no 5xx, every answer expected', answers.length > 0 ? answers.join('; ') : undefined],
    ['memory flat (end ≤ middle × 1.2 + 10 MB)', memoryProblem(rss)],
    ['one token.issued line per token issued', auditProblem(log.issued, counters.issued)],
    ['one token.refused line per refusal', log.refused === counters.refused ? undefined : `${log.refused} token.refused lines for ${counters.refused} refusals`],
    ['clean shutdown, no error logged', shutdown]
  ]
}

async function main () {
  const setup = benchSetup()
  const clients = writeSoakClients(setup.dir)
  const logFile = join(setup.dir, 'service.log')
  const env = {
    ...serviceEnv(setup, ALGORITHM),
    CLIENTS_FILE: clients.file,
    // Every request comes from 127.0.0.1: at the default, the 401s would soon turn all traffic into 429s.
    AUTH_FAILURE_LIMIT: '100000000'
  }
  try {
    const server = await startServer(`service ${ALGORITHM}`, [SERVER_JS], env, logFile)
    const kinds = soakMix(clients)
    let warm: MixResult, main: { mix: MixResult, rss: RssSummary }, counters: Counters
    try {
      say(`warm-up (${WARMUP} s)…`)
      warm = await runMix(server.url, kinds, { connections: CONNECTIONS, seconds: WARMUP })
      say(`soak (${SECONDS} s)…`)
      main = await underLoad(server.url, server.pid, kinds)
      // autocannon stops with requests in flight, answered but never counted by it: once they are
      // done, the service's own counters are the exact totals the audit log must match.
      await sleep(1000)
      counters = await serviceCounters(server.url)
    } finally {
      await server.stop()
    }
    const checks = report(warm, main.mix, main.rss, counters, await summarizeLog(logFile))
    for (const [name, problem] of checks) process.stdout.write(`  ${problem ? 'FAIL' : 'ok  '} ${name}${problem ? `: ${problem}` : ''}\n`)
    if (checks.some(([, problem]) => problem)) process.exitCode = 1
  } finally {
    rmSync(setup.dir, { recursive: true, force: true })
  }
}

await main()
