/** The knobs both benchmark modes share (environment variables, for a longer or shorter run). */
import { writeFileSync } from 'node:fs'

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback)

export const ROUNDS = setting('BENCH_ROUNDS', 3)
export const DURATION = setting('BENCH_DURATION', 6)
export const WARMUP = setting('BENCH_WARMUP', 2)
export const CONNECTIONS = setting('BENCH_CONNECTIONS', 50)
/** Cold starts measured, the median reported (pinned mode). */
export const STARTS = setting('BENCH_STARTS', 5)
/** Per round, per algorithm: one thread, then every core. */
export const SIGNING_MS = 800
export const RESULTS = new URL('./results.json', import.meta.url)

/** bench/results.json for this run: when, how long, and what it measured. Returns the run's seconds. */
export function writeResults (started: number, measured: object): number {
  const wallSeconds = Math.round((Date.now() - started) / 1000)
  writeFileSync(RESULTS, JSON.stringify({ date: new Date().toISOString(), ...measured, wallSeconds }, null, 2) + '\n')
  return wallSeconds
}
