/**
 * Saturating load with wrk (a C load generator, far cheaper per request than the servers under
 * test), pinned to its own core. A Lua script sets the request and, when the run is done, prints one
 * JSON line with wrk's own counters and latency percentiles, so nothing depends on wrk's text layout.
 */
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Target } from './load.js'
import { parseWrkOutput, wrkScript, type WrkRun } from './parse.js'

const run = promisify(execFile)

export interface WrkOptions {
  /** Where the Lua script is written. */
  dir: string
  /** Core (taskset -c list) the load generator runs on. */
  cpu: string
  connections: number
  seconds: number
}

export async function wrk (target: Target, opts: WrkOptions): Promise<WrkRun> {
  const script = join(opts.dir, `wrk-${process.pid}.lua`)
  writeFileSync(script, wrkScript(target))
  const { stdout } = await run('taskset', ['-c', opts.cpu, 'wrk', '-t1', `-c${opts.connections}`, `-d${opts.seconds}s`, '--timeout', '10s', '-s', script, `${target.url}/tokens`],
    { maxBuffer: 1 << 20 })
  return parseWrkOutput(stdout)
}
