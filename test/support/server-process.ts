/**
 * The real server (src/server.ts) in a child process, as `npm start` runs it, with its stdout (banner
 * and JSON log lines) and stderr captured. Listens on 127.0.0.1, port 0 unless PORT is given.
 * The child inherits NODE_OPTIONS/NODE_V8_COVERAGE, so tap counts its coverage.
 *
 * It runs dist/ (what `npm start` runs) when that build is at least as new as every file in src/:
 * `npm test` builds first, and a compiled child starts in a quarter of the CPU time a TypeScript
 * loader needs. tsc's source maps carry its coverage back to src/. With a stale or missing build
 * (a single test file run by hand) it runs src/ through this process's TypeScript loader instead.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EnvSchema, SECRET_VARIABLES } from '../../src/config/env-schema.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

export interface ServerProcess {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  /** stdout lines that are JSON log records. */
  logs: () => Array<Record<string, any>>
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  /** Resolves once stdout matches, rejects if the process exits first. */
  waitForStdout: (pattern: RegExp) => Promise<RegExpMatchArray>
}

/** process.env without any of the service's own variables, so the host's settings cannot leak in. */
function cleanEnv (): Record<string, string | undefined> {
  const env = { ...process.env }
  for (const name of Object.keys(EnvSchema.properties)) delete env[name]
  for (const name of SECRET_VARIABLES) delete env[`${name}_FILE`]
  return env
}

let built: boolean | undefined

/** True when dist/ holds a compiled file for every file in src/, none older than any source. */
export function builtIsFresh (): boolean {
  if (built !== undefined) return built
  try {
    const sources = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter(name => name.endsWith('.ts'))
    const newestSource = Math.max(...sources.map(name => statSync(join(root, 'src', name)).mtimeMs))
    const oldestBuild = Math.min(...sources.map(name => statSync(join(root, 'dist', name.replace(/\.ts$/, '.js'))).mtimeMs))
    built = sources.length > 0 && oldestBuild >= newestSource
  } catch {
    built = false // a source without its compiled file: no usable build
  }
  return built
}

/**
 * Node arguments that run `source` (a path under src/, e.g. 'src/server.ts'): its compiled file in
 * dist/ when the build is fresh, else the source through the same TypeScript loader as this test
 * process (tap's under tap), so coverage maps the same way.
 */
export function nodeArgs (source: string): string[] {
  if (builtIsFresh()) {
    const compiled = join('dist', relative('src', source)).replace(/\.ts$/, '.js')
    // Keep tap's own hooks (coverage, process info) but not its TypeScript loader.
    return [...process.execArgv.filter(arg => !/typescript|tsx/.test(arg)), '--enable-source-maps', compiled]
  }
  const loader = process.execArgv.some(arg => arg.includes('typescript') || arg.includes('tsx')) ? process.execArgv : ['--import', 'tsx']
  return [...loader, source]
}

export function spawnServer (env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, nodeArgs('src/server.ts'), {
    cwd: root,
    env: { ...cleanEnv(), HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  let err = ''
  const waiters: Array<() => void> = []
  let done = false
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; [...waiters].forEach(w => w()) })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { err += chunk })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>(resolve => {
    // 'close': exited and the pipes drained, so stdout is complete.
    child.on('close', (code, signal) => {
      done = true
      resolve({ code, signal })
      ;[...waiters].forEach(w => w())
    })
  })
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    logs: () => out.split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line)),
    exited,
    waitForStdout: (pattern) => new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(out)
        if (match) resolve(match)
        else if (done) reject(new Error(`exited before stdout matched ${pattern}:\n${out}\n${err}`))
        else return
        waiters.splice(waiters.indexOf(check), 1)
      }
      waiters.push(check)
      check()
    })
  }
}

export interface DevelopmentServer {
  server: ServerProcess
  /** http://127.0.0.1:<port>, from the banner's curl line. */
  origin: string
  apiKey: string
}

/** Starts on development defaults and reads the address and the development API key from the banner. */
export async function startDevelopmentServer (env: Record<string, string> = {}): Promise<DevelopmentServer> {
  const server = spawnServer({ LOG_LEVEL: 'info', ...env })
  const [, origin] = await server.waitForStdout(/curl -s -X POST (http:\/\/[\d.:]+)\/tokens/)
  const [, apiKey] = await server.waitForStdout(/Authorization: Bearer (jts_[\w-]+)/)
  return { server, origin: origin!, apiKey: apiKey! }
}

/** The address from Fastify's "Server listening at" line (needs LOG_LEVEL info or lower). */
export async function listeningOrigin (server: ServerProcess): Promise<string> {
  const [, origin] = await server.waitForStdout(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/)
  return origin!
}
