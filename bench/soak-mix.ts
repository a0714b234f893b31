/**
 * The soak's traffic: every kind of request a client can send POST /tokens (and the token doctor),
 * valid and invalid, each with the only statuses it may get, so "every answer is one the contract
 * allows" is checked per kind of request, not just in total.
 */
import { createHash, randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import autocannon, { type Request } from 'autocannon'
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

export interface KindResult {
  name: string
  expected: number[]
  /** status → count. */
  statuses: Record<string, number>
  /** Connection errors and timeouts, as autocannon counts them. */
  errors: number
}

export interface MixResult {
  kinds: KindResult[]
  total: number
}

export interface MixLoad {
  /** Per kind. */
  connections: number
  /** Run for this long; the requests in flight at the end are answered but not counted here. */
  seconds?: number
  /** Or stop after exactly this many answers per kind (at least `connections`): nothing is cut off. */
  amount?: number
}

/**
 * Fires every kind at once, each from its own autocannon instance and connections: the server closes
 * the connection after a 413 or unreadable JSON (it does not read the rest of the body), and autocannon
 * then loses track of which answer belongs to which request in a shared sequence, so each kind gets its own.
 */
export async function runMix (url: string, kinds: SoakKind[], load: MixLoad): Promise<MixResult> {
  const results = await Promise.all(kinds.map(({ request: { path, ...request } }) => autocannon({
    // autocannon takes the path from the URL, not from a `path` option.
    url: url + path,
    ...request,
    connections: load.connections,
    ...(load.amount === undefined ? { duration: load.seconds } : { amount: load.amount }),
    timeout: 10
  })))
  const measured = kinds.map((kind, i) => {
    const result = results[i]!
    // autocannon 9 always reports statusCodeStats (optional only in its types).
    const statuses = Object.fromEntries(Object.entries(result.statusCodeStats!).map(([status, { count }]) => [status, Number(count)]))
    return { name: kind.name, expected: kind.expected, statuses, errors: result.errors }
  })
  return { kinds: measured, total: measured.reduce((sum, kind) => sum + Object.values(kind.statuses).reduce((a, b) => a + b, 0), 0) }
}

/** The answers with `status` over every kind. */
export function countStatus (mix: MixResult, status: number): number {
  return mix.kinds.reduce((sum, kind) => sum + (kind.statuses[status] ?? 0), 0)
}

/** Answers with a 5xx status, over every kind. */
export function serverErrors (mix: MixResult): number {
  return mix.kinds.reduce((sum, kind) => sum + Object.entries(kind.statuses).reduce((n, [status, count]) => n + (Number(status) >= 500 ? count : 0), 0), 0)
}

/** What broke the contract: connection errors, 5xx, answers outside their kind's statuses. Empty: none. */
export function mixProblems (mix: MixResult): string[] {
  const problems: string[] = []
  for (const kind of mix.kinds) {
    if (kind.errors > 0) problems.push(`${kind.name}: ${kind.errors} connection errors or timeouts`)
    for (const [status, count] of Object.entries(kind.statuses)) {
      if (!kind.expected.includes(Number(status))) problems.push(`${kind.name}: ${count} × ${status}, expected only ${kind.expected.join('/')}`)
    }
    if (Object.keys(kind.statuses).length === 0) problems.push(`${kind.name}: no answer at all`)
  }
  return problems
}
