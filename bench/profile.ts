/**
 * Where a POST /tokens spends its CPU: runs the built service (HS256, production config) under
 * `node --cpu-prof`, loads it like npm run bench does, and summarises the profile: self time by
 * package, the hottest functions, and the inclusive time of each function of ours. The server is the
 * bundle `npm run build` writes (scripts/server-bundle.mjs): its frames are mapped back to src/ and
 * node_modules/ through the bundle's source maps.
 *
 *   npm run build && node --import tsx bench/profile.ts   (PROFILE_SECONDS, default 15)
 *
 * With --startup (npm run bench:profile -- --startup) it profiles start-up instead: from spawning
 * the server until /health/ready answers, no load.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { fire } from './load.js'
import { pinnedUnavailable } from './pinned.js'
import { startServer } from './processes.js'
import { wrk } from './wrk.js'
import { DIST_DIR, tokenTarget } from './scenarios.js'
import { benchSetup, serviceEnv } from './service-setup.js'

interface ProfileNode {
  id: number
  callFrame: { functionName: string, url: string, lineNumber: number, columnNumber: number }
  children?: number[]
}
interface CpuProfile { nodes: ProfileNode[], samples: number[], timeDeltas: number[], endTime: number, startTime: number }

const DIST_URL = pathToFileURL(DIST_DIR).href + '/'
const SRC_URL = new URL('../src/', DIST_URL).href
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 15)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const STARTUP = process.argv.includes('--startup')

/** The package a frame belongs to ("ours" for the service's own code), or a V8 pseudo-frame. */
function owner (url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)'
  if (url.startsWith('node:')) return 'node core'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]!
  if (url.startsWith(DIST_URL) || url.startsWith(SRC_URL)) return 'ours'
  return url
}

const frame = (n: ProfileNode) => {
  const { url } = n.callFrame
  const file = url.includes('/node_modules/') ? url.slice(url.lastIndexOf('/node_modules/') + 1) : url.replace(DIST_URL, 'dist/').replace(SRC_URL, 'src/')
  return `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`
}

/** Frames of the bundled server, moved to the source file and line they came from. */
function unbundle (profile: CpuProfile): void {
  const maps = new Map<string, SourceMap | undefined>()
  for (const n of profile.nodes) {
    const { url, lineNumber, columnNumber } = n.callFrame
    if (!url.startsWith(DIST_URL)) continue
    if (!maps.has(url)) {
      const mapFile = fileURLToPath(url) + '.map'
      maps.set(url, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : undefined)
    }
    const entry = maps.get(url)?.findEntry(lineNumber, columnNumber)
    if (entry && 'originalSource' in entry) n.callFrame = { ...n.callFrame, url: new URL(entry.originalSource, url).href, lineNumber: entry.originalLine }
  }
}

type CallFrame = ProfileNode['callFrame']

/**
 * The parts of an HS256 issuance, for the table in docs/performance.md. A sample belongs to the
 * nearest enclosing part. Our hooks call done() synchronously, so the rest of the request runs inside
 * them: a part that is one of our hooks counts only while no Fastify step (the hook runner, routing,
 * body parsing, the handler) lies between it and the sample.
 */
const PARTS: Array<[string, (f: CallFrame) => boolean]> = [
  ['signing: JWT encoding + HMAC', f => /\/node_modules\/(fast-jwt|@fastify\/jwt)\//.test(f.url) || (f.functionName === 'sign' && f.url.endsWith('/src/plugins/signer.ts'))],
  ['audit line (pino: build, serialise, write)', f => f.functionName === 'writeRequestLine'],
  ['metrics', f => f.functionName === 'countResponse'],
  ['rate limits', f => /\/node_modules\/(@fastify\/rate-limit|toad-cache)\//.test(f.url)],
  ['authentication (API key hash, compare)', f => f.functionName === 'authenticate' || f.url.endsWith('/src/clients/api-keys.ts')],
  ['JSON body parse', f => f.url.includes('/node_modules/secure-json-parse/')],
  ['validation (ajv + room-name format)', f => /^validate\d+$/.test(f.functionName) || f.url.includes('/src/schemas/')],
  ['response serialisation', f => f.url.includes('/node_modules/fast-json-stringify/') || f.functionName === 'anonymous'],
  ['claims, grants, room name, meeting URL', f => /\/src\/(jitsi\/|clients\/(?!api-keys))/.test(f.url) || (f.functionName === 'issue' && f.url.endsWith('/src/plugins/token-issuer.ts'))],
  ['security headers, request id, query check', f => f.functionName === 'startRequest'],
  ['Connection: close check', f => f.functionName === 'beforeAnswer'],
  ['garbage collection', f => f.functionName === '(garbage collector)'],
  ['V8 (program)', f => f.functionName === '(program)']
]
const HOOKS = new Set(['startRequest', 'beforeAnswer', 'finishRequest', 'authenticate'])
const FASTIFY_STEP = /\/node_modules\/fastify\/lib\/(hooks|route|handle-request|content-type-parser|wrap-thenable|reply)\.js$/

function part (frames: CallFrame[]): string {
  let fastifyStep = false
  for (const f of frames) {
    const found = PARTS.find(([, matches]) => matches(f))
    if (found && !(HOOKS.has(f.functionName) && fastifyStep)) return found[0]
    if (FASTIFY_STEP.test(f.url) && f.functionName !== 'header' && f.functionName !== 'headers') fastifyStep = true
  }
  return 'HTTP + Fastify core: parsing, routing, hooks, writing the answer'
}

function percent (count: number, total: number) {
  return `${(100 * count / total).toFixed(1).padStart(5)}%`
}

/** Only the samples of the measured round (its last SECONDS + 1 s): not start-up, JIT warm-up or shutdown. */
function measuredSamples (profile: CpuProfile): number[] {
  const from = profile.endTime - (SECONDS + 1) * 1e6
  let at = profile.startTime
  return profile.samples.filter((_, i) => (at += profile.timeDeltas[i]!) >= from)
}

function summarise (profile: CpuProfile) {
  unbundle(profile)
  const samples = STARTUP ? profile.samples : measuredSamples(profile)
  const byId = new Map(profile.nodes.map(n => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const busy = samples.filter(id => byId.get(id)!.callFrame.functionName !== '(idle)')
  const self = new Map<string, number>()
  const packages = new Map<string, number>()
  const inclusiveOurs = new Map<string, number>()
  const parts = new Map<string, number>()
  for (const id of busy) {
    const n = byId.get(id)!
    self.set(frame(n), (self.get(frame(n)) ?? 0) + 1)
    const pkg = owner(n.callFrame.url, n.callFrame.functionName)
    packages.set(pkg, (packages.get(pkg) ?? 0) + 1)
    const seen = new Set<string>()
    const stack: CallFrame[] = []
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const a = byId.get(at)!
      stack.push(a.callFrame)
      if (owner(a.callFrame.url, a.callFrame.functionName) === 'ours') seen.add(frame(a))
    }
    const where = part(stack)
    parts.set(where, (parts.get(where) ?? 0) + 1)
    for (const f of seen) inclusiveOurs.set(f, (inclusiveOurs.get(f) ?? 0) + 1)
  }
  const top = (map: Map<string, number>, count: number) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, n]) => `  ${percent(n, busy.length)}  ${name}`).join('\n')
  const idle = samples.length - busy.length
  return [
    `${samples.length} samples, ${percent(idle, samples.length).trim()} idle; percentages below are of the ${busy.length} busy samples`,
    ...(STARTUP ? [] : ['', 'by part of the request (the nearest enclosing part):', top(parts, PARTS.length + 1)]),
    '', 'self time by package:', top(packages, 15),
    '', 'hottest functions (self time):', top(self, 25),
    '', 'our functions (inclusive time: the function and everything it calls; a hook that calls done()',
    'also "calls" the rest of the request, e.g. an onSend hook includes writing the answer):', top(inclusiveOurs, 20)
  ].join('\n')
}

async function main () {
  const setup = benchSetup()
  const dir = join(setup.dir, 'profile')
  // Pinned like npm run bench when it can be: the service on core 0, wrk on core 1.
  const pinned = pinnedUnavailable() === undefined
  const server = await startServer('service HS256 (profiled)', ['--cpu-prof', '--cpu-prof-interval', '250', '--cpu-prof-dir', dir, join(DIST_DIR, 'server.js')],
    serviceEnv(setup, 'HS256'), undefined, pinned ? ['taskset', '-c', '0'] : [])
  try {
    const target = tokenTarget(server.url, setup)
    if (STARTUP) {
      process.stderr.write('start-up until /health/ready, pinned to core 0\n')
    } else if (pinned) {
      await wrk(target, { dir: setup.dir, cpu: '1', connections: CONNECTIONS, seconds: 3 })
      const round = await wrk(target, { dir: setup.dir, cpu: '1', connections: CONNECTIONS, seconds: SECONDS })
      process.stderr.write(`${Math.round(round.requests / (round.durationUs / 1e6))} req/s under the profiler (pinned, wrk), ${round.non2xx} non-2xx\n`)
    } else {
      await fire(target, CONNECTIONS, 3)
      const round = await fire(target, CONNECTIONS, SECONDS)
      process.stderr.write(`${Math.round(round.totalCompletedRequests / round.duration)} req/s under the profiler, ${round.non2xx} non-2xx\n`)
    }
  } finally {
    await server.stop()
  }
  const file = readdirSync(dir).find(name => name.endsWith('.cpuprofile'))
  if (!file) throw new Error('the service wrote no CPU profile (did it exit cleanly?)')
  process.stdout.write(summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile) + '\n')
  if (process.env.PROFILE_KEEP) process.stderr.write(`profile kept: ${join(dir, file)}\n`)
  else rmSync(setup.dir, { recursive: true, force: true })
}

await main()
