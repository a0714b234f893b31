/**
 * The four servers of one run, each in its own process and checked with one request before any load:
 * the bare Fastify baseline, the Express + jsonwebtoken peer, and the built service with HS256 and RS256.
 */
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Target } from './load.js'
import { startServer, type ServerProcess } from './processes.js'
import { probe, tokenProblem } from './probe.js'
import { rs256Unsupported, serviceEnv, type BenchSetup } from './service-setup.js'
import type { ServerName } from './targets.js'

export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url))
/** BENCH_DIST measures another build (e.g. a copy of the previous one) with the same command. */
export const DIST_DIR = process.env.BENCH_DIST ? resolve(process.env.BENCH_DIST) : join(BENCH_DIR, '..', 'dist')

export const LABELS: Record<ServerName, string> = {
  baseline: 'baseline (bare Fastify)',
  peer: 'peer (Express + jsonwebtoken)',
  hs256: 'service HS256',
  rs256: 'service RS256'
}

/** The DESIGN.md example request: tenant, moderator, features and link overrides, all granted. */
export const REQUEST_BODY = JSON.stringify({
  room: 'Daily Standup',
  tenant: 'acme',
  ttl: 3600,
  context: {
    user: {
      id: 'u-42',
      name: 'Alice',
      email: 'alice@example.org',
      avatar: 'https://example.org/a.png',
      moderator: true,
      affiliation: 'owner',
      lobby_bypass: true,
      security_bypass: false
    },
    room: { lobby: false, password: '' },
    features: { recording: true, 'screen-sharing': true, livestreaming: false }
  },
  meeting: { config: { 'prejoinConfig.enabled': false }, userInfo: { displayName: 'Alice' } }
})

/** POST /tokens with the benchmark's request and the setup's API key, at `url`. */
export function tokenTarget (url: string, setup: BenchSetup): Target {
  return { url, body: REQUEST_BODY, headers: { 'content-type': 'application/json', authorization: `Bearer ${setup.apiKey}` } }
}

export interface Scenario {
  name: ServerName
  server: ServerProcess
  target: Target
}

export interface Scenarios {
  running: Scenario[]
  /** A real HS256 token from the service: its signing input feeds the in-process signing limits. */
  hs256Token: string
  rs256Skipped?: string
}

async function checked (name: ServerName, server: ServerProcess, setup: BenchSetup, check: (answer: Awaited<ReturnType<typeof probe>>) => string | undefined): Promise<Scenario> {
  const target = tokenTarget(server.url, setup)
  const problem = check(await probe(target))
  if (problem) {
    await server.stop()
    throw new Error(`${LABELS[name]} ${problem}`)
  }
  return { name, server, target }
}

/**
 * The V8 flag the image sets (Dockerfile NODE_OPTIONS): a smaller young generation keeps RSS after a
 * burst lower; the service is benchmarked as it ships.
 */
export const SERVICE_NODE_FLAG = '--max-semi-space-size=4'

/** Where each server runs: a command prefix such as `taskset -c 0` (pinned mode), or none. */
export interface Placement {
  server: string[]
  /** RS256 signs on every core. */
  rs256: string[]
}

/** Starts every server; the caller stops the ones in `running`, also when this throws midway. */
export async function startScenarios (setup: BenchSetup, running: Scenario[], placement: Placement = { server: [], rs256: [] }): Promise<Scenarios> {
  const serverJs = join(DIST_DIR, 'server.js')
  const hs256 = await checked('hs256', await startServer(LABELS.hs256, [SERVICE_NODE_FLAG, serverJs], serviceEnv(setup, 'HS256'), undefined, placement.server), setup,
    answer => tokenProblem(answer, 'HS256', setup.secret))
  running.push(hs256)
  const sample = await probe(hs256.target)

  // The baseline answers with a body of the same size as the service's: a real answer, pre-made.
  const baseline = await startServer(LABELS.baseline, [join(BENCH_DIR, 'servers', 'baseline.js')], { BENCH_RESPONSE_BODY: sample.text }, undefined, placement.server)
  running.push(await checked('baseline', baseline, setup, answer => answer.status === 201 && answer.text.length === sample.text.length ? undefined : `answered ${answer.status}`))

  const peerEnv = { JWT_APP_SECRET: setup.secret, JWT_APP_ID: setup.appId, PUBLIC_URL: setup.publicUrl }
  const peer = await startServer(LABELS.peer, [join(BENCH_DIR, 'servers', 'peer.js')], peerEnv, undefined, placement.server)
  running.push(await checked('peer', peer, setup, answer => tokenProblem(answer, 'HS256', setup.secret)))

  let rs256Skipped = rs256Unsupported(DIST_DIR)
  if (!rs256Skipped) {
    try {
      const rs256 = await startServer(LABELS.rs256, [SERVICE_NODE_FLAG, serverJs], serviceEnv(setup, 'RS256'), undefined, placement.rs256)
      running.push(await checked('rs256', rs256, setup, answer => tokenProblem(answer, 'RS256', setup.publicKeyPem, setup.kid)))
    } catch (error) {
      rs256Skipped = (error as Error).message
    }
  }
  return { running, hs256Token: sample.token!, rs256Skipped }
}
