/**
 * The soak's traffic: every kind of request a client can send POST /tokens (and the token doctor),
 * valid and invalid, each with the only statuses it may get. autocannon cycles through the list on
 * every connection; `tally` counts each answer under its kind, so "every answer is one the contract
 * allows" is checked per request, not just in total.
 */
import { createHash, randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Request } from 'autocannon'
import { generateApiKey } from '../src/clients/api-keys.js'

export interface SoakClients {
  /** Every grant. */
  fullKey: string
  /** rooms course-*, no tenant, no moderator, screen-sharing only. */
  narrowKey: string
  file: string
}

/** A CLIENTS_FILE with the two clients of the mix; their keys exist only in this process. */
export function writeSoakClients (dir: string): SoakClients {
  const fullKey = generateApiKey()
  const narrowKey = generateApiKey()
  const sha256 = (key: string) => createHash('sha256').update(key).digest('hex')
  const clients = [
    { id: 'full', apiKeySha256: sha256(fullKey), grants: { rooms: ['*'], tenants: ['*'], moderator: true, features: ['*'] } },
    { id: 'narrow', apiKeySha256: sha256(narrowKey), grants: { rooms: ['course-*'], features: ['screen-sharing'], maxTtl: 600 } }
  ]
  const file = join(dir, 'soak-clients.json')
  writeFileSync(file, JSON.stringify({ clients }), { mode: 0o600 })
  return { fullKey, narrowKey, file }
}

export interface SoakKind {
  name: string
  /** Statuses this request may get; anything else is a failure. */
  expected: number[]
  request: Request
}

const json = (key?: string) => ({
  'content-type': 'application/json',
  ...(key === undefined ? {} : { authorization: `Bearer ${key}` })
})

const post = (path: string, headers: Record<string, string>, body: string): Request => ({ method: 'POST', path, headers, body })

/** @param bodyLimit BODY_LIMIT: the oversized request is just above it. */
export function soakMix (clients: SoakClients, bodyLimit = 16_384): SoakKind[] {
  const { fullKey, narrowKey } = clients
  const full = JSON.stringify({
    room: 'Daily Standup',
    tenant: 'acme',
    ttl: 3600,
    context: {
      user: { id: 'u-42', name: 'Alice', email: 'alice@example.org', moderator: true, affiliation: 'owner', lobby_bypass: true },
      room: { lobby: false, password: '' },
      features: { recording: true, 'screen-sharing': true, livestreaming: false }
    },
    meeting: { config: { 'prejoinConfig.enabled': false }, userInfo: { displayName: 'Alice' } }
  })
  return [
    { name: 'issue (full grant)', expected: [201], request: post('/tokens', json(fullKey), full) },
    { name: 'issue (narrow grant)', expected: [201], request: post('/tokens', json(narrowKey), JSON.stringify({ room: 'course-101', ttl: 600, context: { user: { name: 'Bob' }, features: { 'screen-sharing': true } } })) },
    { name: '400 invalid fields', expected: [400], request: post('/tokens', json(fullKey), JSON.stringify({ room: 'a?b', ttl: -1, context: { user: { moderator: 'yes' } }, extra: 1 })) },
    { name: '400 malformed JSON', expected: [400], request: post('/tokens', json(fullKey), '{"room": "Daily') },
    { name: '401 unknown key', expected: [401], request: post('/tokens', json(generateApiKey()), full) },
    { name: '401 no key', expected: [401], request: post('/tokens', json(), full) },
    { name: '403 outside grant', expected: [403], request: post('/tokens', json(narrowKey), JSON.stringify({ room: 'staff room', tenant: 'acme', context: { user: { moderator: true }, features: { recording: true } } })) },
    { name: '413 too large', expected: [413], request: post('/tokens', json(fullKey), JSON.stringify({ room: 'big', pad: 'x'.repeat(bodyLimit) })) },
    { name: '415 not JSON', expected: [415], request: post('/tokens', { 'content-type': 'text/plain', authorization: `Bearer ${fullKey}` }, 'room=Daily Standup') },
    {
      name: 'verify (supplied secret)',
      expected: [200],
      request: post('/tokens/verify', json(fullKey), JSON.stringify({ token: 'not.a.jwt', room: 'Daily Standup', prosody: { secret: randomBytes(32).toString('hex') } }))
    }
  ]
}

export interface Tally {
  /** Per kind: status → count. */
  byKind: Map<string, Map<number, number>>
  total: number
  serverErrors: number
  /** Answers outside their kind's expected statuses: "kind: status" → count. */
  unexpected: Map<string, number>
}

export function newTally (): Tally {
  return { byKind: new Map(), total: 0, serverErrors: 0, unexpected: new Map() }
}

/** The autocannon requests, each counting its answers into `tally`. */
export function tallied (kinds: SoakKind[], tally: Tally): Request[] {
  return kinds.map(kind => {
    const counts = new Map<number, number>()
    tally.byKind.set(kind.name, counts)
    return {
      ...kind.request,
      onResponse: (status: number) => {
        counts.set(status, (counts.get(status) ?? 0) + 1)
        tally.total++
        if (status >= 500) tally.serverErrors++
        if (!kind.expected.includes(status)) {
          const key = `${kind.name}: ${status}`
          tally.unexpected.set(key, (tally.unexpected.get(key) ?? 0) + 1)
        }
      }
    }
  })
}

/** The number of answers with `status`, over every kind. */
export function countStatus (tally: Tally, status: number): number {
  let sum = 0
  for (const counts of tally.byKind.values()) sum += counts.get(status) ?? 0
  return sum
}
