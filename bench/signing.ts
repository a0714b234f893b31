/**
 * In-process signing limits: signatures per second of the JWT's crypto on one thread and on every
 * core at once (one worker thread per core), over a real token's signing input.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { SigningLimits, SigningRate } from './targets.js'

const WORKER = new URL('./sign-worker.js', import.meta.url)

function workerRate (workerData: Record<string, unknown>): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData, execArgv: [] })
    worker.once('message', resolve)
    worker.once('error', reject)
  })
}

async function rate (alg: 'HS256' | 'RS256', key: string, input: string, durationMs: number): Promise<SigningRate> {
  const threads = availableParallelism()
  const options = { alg, key, input, warmupMs: 200, durationMs }
  const oneThread = await workerRate(options)
  const perThread = await Promise.all(Array.from({ length: threads }, () => workerRate(options)))
  return { oneThread, allCores: perThread.reduce((sum, r) => sum + r, 0), threads }
}

/** `input` is a token's `header.payload`; the keys are the ones the services sign with. */
export async function signingLimits (input: string, secret: string, privateKeyPem: string, durationMs: number): Promise<SigningLimits> {
  return {
    hs256: await rate('HS256', secret, input, durationMs),
    rs256: await rate('RS256', privateKeyPem, input, durationMs)
  }
}
