/**
 * Each server under test runs in its own child process, so its memory and CPU are its own and the
 * load generator's work is not counted against it. Memory and CPU are read from /proc (Linux).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'

export interface ServerProcess {
  name: string
  url: string
  pid: number
  stop: () => Promise<void>
}

export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise(resolve => server.close(resolve))
  return port
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** `node <args>` behind a prefix such as `taskset -c 0` (which execs node: the pid stays node's). */
export function withPrefix (prefix: string[], args: string[]): string[] {
  return [...prefix, process.execPath, ...args]
}

/**
 * Starts `node <args>` (behind `prefix`, e.g. taskset) with only the given environment, stdout to `stdoutPath` (the service's log
 * lines are written, as in production, then discarded), and waits until GET /health answers 200.
 */
export async function startServer (name: string, args: string[], env: Record<string, string>, stdoutPath = '/dev/null', prefix: string[] = []): Promise<ServerProcess> {
  const port = await freePort()
  const stdout = openSync(stdoutPath, 'a')
  const [command, ...rest] = withPrefix(prefix, args)
  const child: ChildProcess = spawn(command!, rest, {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', stdout, 'pipe']
  })
  closeSync(stdout)
  let stderr = ''
  child.stderr!.on('data', chunk => { stderr = (stderr + chunk).slice(-4000) })
  let exited: number | null | undefined
  const exit = new Promise<void>(resolve => child.once('exit', code => { exited = code; resolve() }))
  const url = `http://127.0.0.1:${port}`

  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (exited !== undefined) break
    const ok = await fetch(`${url}/health`).then(res => res.ok, () => false)
    if (ok) {
      return {
        name,
        url,
        pid: child.pid!,
        async stop () {
          if (exited !== undefined) return
          child.kill('SIGTERM')
          const killed = setTimeout(() => child.kill('SIGKILL'), 5000)
          await exit
          clearTimeout(killed)
        }
      }
    }
    await sleep(100)
  }
  if (exited === undefined) child.kill('SIGKILL')
  throw new Error(`${name} did not start${exited !== undefined ? ` (exit code ${exited})` : ''}: ${stderr.trim() || 'no output'}`)
}

/** Resident set size now and at its peak, in MB (VmRSS and VmHWM). */
export function memoryMb (pid: number): { rss?: number, peak?: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string) => {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
      return match ? Number(match[1]) / 1024 : undefined
    }
    return { rss: kb('VmRSS'), peak: kb('VmHWM') }
  } catch {
    return {}
  }
}

/** CPU seconds (user + system) the process has used so far; /proc counts in USER_HZ = 100 ticks/s. */
export function cpuSeconds (pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return undefined
  }
}
