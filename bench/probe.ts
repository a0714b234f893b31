/** One request to each server before the load, so the benchmark never measures a server that refuses. */
import { createHmac, createPublicKey, verify } from 'node:crypto'
import type { Target } from './load.js'

export interface Probe {
  status: number
  text: string
  token?: string
}

export async function probe (target: Target): Promise<Probe> {
  const res = await fetch(`${target.url}/tokens`, { method: 'POST', headers: target.headers, body: target.body })
  const text = await res.text()
  let token: string | undefined
  try {
    token = (JSON.parse(text) as { token?: string }).token
  } catch {}
  return { status: res.status, text, token }
}

export interface JwtParts {
  header: Record<string, unknown>
  signingInput: string
  signature: Buffer
}

export function jwtParts (token: string): JwtParts {
  const [header = '', payload = '', signature = ''] = token.split('.')
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, 'base64url')
  }
}

/** Why the answer is not a token signed as expected, or undefined when it is. */
export function tokenProblem (answer: Probe, alg: 'HS256' | 'RS256', key: string, kid?: string): string | undefined {
  if (answer.status !== 201 || !answer.token) return `answered ${answer.status}: ${answer.text.slice(0, 300)}`
  const { header, signingInput, signature } = jwtParts(answer.token)
  if (header.alg !== alg) return `signed with ${String(header.alg)}, not ${alg}`
  if (kid !== undefined && header.kid !== kid) return `header kid ${String(header.kid)}, not ${kid}`
  const valid = alg === 'HS256'
    ? createHmac('sha256', key).update(signingInput).digest().equals(signature)
    : verify('sha256', Buffer.from(signingInput), createPublicKey(key), signature)
  return valid ? undefined : 'signature does not verify'
}
