/**
 * The real server (src/server.ts) in a child process, as `npm start` runs it, with its stdout (banner
 * and JSON log lines) and stderr captured. Listens on 127.0.0.1, port 0 unless PORT is given.
 * The child inherits NODE_OPTIONS/NODE_V8_COVERAGE, so tap counts its coverage.
 *
 * It runs the TypeScript source through this process's own loader (test/support/typescript-loader.mjs
 * under tap), so its coverage merges with the test's line for line.
 */
import { spawn, type ChildProcess } from 'node:child_process'
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

/** Node arguments that run `source` (e.g. 'src/server.ts') with the same TypeScript loader as this process. */
export function nodeArgs (source: string): string[] {
  const loader = process.execArgv.some(arg => /typescript|tsx/.test(arg)) ? process.execArgv : ['--import', 'tsx']
  return [...loader, source]
}

/** `args`: what node runs, by default the TypeScript source (a built server: its path). */
export function spawnServer (env: Record<string, string>, args = nodeArgs('src/server.ts')): ServerProcess {
  const child = spawn(process.execPath, args, {
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
export async function startDevelopmentServer (env: Record<string, string> = {}, args?: string[]): Promise<DevelopmentServer> {
  const server = spawnServer({ LOG_LEVEL: 'info', ...env }, args)
  const [, origin] = await server.waitForStdout(/curl -s -X POST (http:\/\/[\d.:]+)\/tokens/)
  const [, apiKey] = await server.waitForStdout(/Authorization: Bearer (jts_[\w-]+)/)
  return { server, origin: origin!, apiKey: apiKey! }
}

/** The address from Fastify's "Server listening at" line (needs LOG_LEVEL info or lower). */
export async function listeningOrigin (server: ServerProcess): Promise<string> {
  const [, origin] = await server.waitForStdout(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/)
  return origin!
}
