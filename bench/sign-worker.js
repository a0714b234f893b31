// One thread signing the same JWT signing input in a loop for a fixed time: the crypto floor
// (HMAC-SHA256 or RSA-2048 PKCS#1 v1.5 with SHA-256) without JSON or base64 of the claims.
import { createHmac, createPrivateKey, sign } from 'node:crypto'
import { parentPort, workerData } from 'node:worker_threads'

const { alg, key, input, warmupMs, durationMs } = workerData
const data = Buffer.from(input)
const privateKey = alg === 'RS256' ? createPrivateKey(key) : undefined
const signOnce = alg === 'RS256'
  ? () => sign('sha256', data, privateKey).toString('base64url')
  : () => createHmac('sha256', key).update(data).digest('base64url')

function loop (ms) {
  let count = 0
  const start = performance.now()
  let now = start
  while (now - start < ms) {
    for (let i = 0; i < 16; i++) signOnce()
    count += 16
    now = performance.now()
  }
  return count / ((now - start) / 1000)
}

loop(warmupMs)
parentPort.postMessage(loop(durationMs))
