/** What the numbers were measured on, written beside them. */
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'

export function machine () {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8')
  return {
    nproc: availableParallelism(),
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`
  }
}
