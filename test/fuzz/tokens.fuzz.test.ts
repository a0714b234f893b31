/**
 * Property-based tests of POST /tokens (fast-check): garbage never produces a 5xx, and a 201 comes
 * only for requests inside the caller's grant, with claims equal to a model computed here,
 * independently of src/.
 */
import t from 'tap'
import fc from 'fast-check'
import { bearer, build, decodeJwt, testConfig, writeClientsFile } from '../helper.js'

// Three properties × 3400 runs: over 10,000 generated requests per CI run.
const RUNS = Number(process.env.FUZZ_RUNS ?? 3400)
const ALLOWED = new Set([201, 400, 401, 403, 413, 415, 429])

const GRANTS = {
  narrow: { rooms: ['course-*', 'Exact Room'], tenants: ['acme'], moderator: false, features: ['screen-sharing'], maxTtl: 600 },
  broad: { rooms: ['*'], wildcardRoom: true, tenants: ['*'], moderator: true, features: ['*'] },
  plain: { rooms: ['*'], moderator: false, features: [] }
} as const
type ClientName = keyof typeof GRANTS

const { file, keys } = writeClientsFile(Object.entries(GRANTS).map(([id, grants]) => ({ id, grants: { ...grants, tenants: 'tenants' in grants ? [...grants.tenants] : undefined, rooms: [...grants.rooms], features: [...grants.features] } })))
const config = testConfig({ CLIENTS_FILE: file, RATE_LIMIT_MAX: '1000000', JWT_TTL: '3600', JWT_MAX_TTL: '86400' })

// ---- the model, written from the contract (README), not from src/ ----
const STRIPPED = ':?#[]@!$&\'()*+,;=></"'
const KNOWN = ['recording', 'livestreaming', 'screen-sharing', 'transcription', 'name-readonly', 'file-upload']

function modelRoomClaim (room: string) {
  return room === '*' ? '*' : encodeURIComponent(room.normalize('NFKC').toLowerCase()).toLowerCase()
}
/** The name Jitsi joins (getBackendSafeRoomName before encoding): NFKC, then lower-case. */
const jitsiName = (text: string) => text.normalize('NFKC').toLowerCase()
const hasControl = (text: string) => [...text].some(ch => ch.charCodeAt(0) < 0x20 || (ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) <= 0x9f))
function roomIsValid (room: string) {
  if (room === '*') return true
  if (room.length < 1 || room.length > 200 || !room.isWellFormed() || [...room].some(ch => STRIPPED.includes(ch))) return false
  // Every other rule holds for the name as Jitsi normalises it, which is what the claim names.
  const name = jitsiName(room)
  return name.trim() === name && name !== '' && name !== '.' && name !== '..' && !hasControl(name) &&
    ![...name].some(ch => STRIPPED.includes(ch)) && encodeURIComponent(name).length <= 958
}
function globMatches (pattern: string, room: string) {
  // Walk the pattern's literal pieces in order, each spelt as the claim is (NFKC, lower-case).
  const pieces = pattern.split('*').map(jitsiName)
  const text = jitsiName(room)
  if (pieces.length === 1) return text === pieces[0]
  if (!text.startsWith(pieces[0]!) || !text.endsWith(pieces.at(-1)!)) return false
  let at = pieces[0]!.length
  for (const piece of pieces.slice(1, -1)) {
    const found = text.indexOf(piece, at)
    if (found < 0) return false
    at = found + piece.length
  }
  return at <= text.length - pieces.at(-1)!.length
}

interface Req {
  room: string
  tenant?: string
  ttl?: number
  context?: { user?: { name?: string, moderator?: boolean, affiliation?: string }, features?: Record<string, boolean | string> }
}

function expected (client: ClientName, req: Req): { status: number, fields: string[] } {
  const grants = GRANTS[client] as { rooms: readonly string[], wildcardRoom?: boolean, tenants?: readonly string[], moderator: boolean, features: readonly string[], maxTtl?: number }
  const bad: string[] = []
  if (!roomIsValid(req.room)) bad.push('room')
  if (req.tenant !== undefined && !/^[A-Za-z0-9_-]{1,63}$/.test(req.tenant)) bad.push('tenant')
  if (req.ttl !== undefined && (!Number.isInteger(req.ttl) || req.ttl < 1 || req.ttl > 86400)) bad.push('ttl')
  for (const [name, value] of Object.entries(req.context?.features ?? {})) {
    if (!KNOWN.includes(name) || ![true, false, 'true', 'false'].includes(value as never)) bad.push(`context.features.${name}`)
  }
  const affiliation = req.context?.user?.affiliation
  if (affiliation !== undefined && !['owner', 'moderator', 'teacher', 'member'].includes(affiliation)) bad.push('context.user.affiliation')
  if (bad.length > 0) return { status: 400, fields: bad.sort() }

  const ttl = req.ttl ?? Math.min(3600, grants.maxTtl ?? 3600)
  const outside: string[] = []
  if (req.room === '*' ? !grants.wildcardRoom : !grants.rooms.some(p => globMatches(p, req.room))) outside.push('room')
  const tenants = grants.tenants ?? []
  if (!tenants.includes('*')) {
    if (req.tenant === undefined ? tenants.length > 0 : !tenants.some(x => x.toLowerCase() === req.tenant!.toLowerCase())) outside.push('tenant')
  }
  if (!grants.moderator && req.context?.user?.moderator === true) outside.push('context.user.moderator')
  if (!grants.moderator && ['owner', 'moderator', 'teacher'].includes(affiliation ?? '')) outside.push('context.user.affiliation')
  if (!grants.features.includes('*')) {
    for (const [name, value] of Object.entries(req.context?.features ?? {})) {
      if ((value === true || value === 'true') && !grants.features.includes(name)) outside.push(`context.features.${name}`)
    }
  }
  if (grants.maxTtl !== undefined && ttl > grants.maxTtl) outside.push('ttl')
  return outside.length > 0 ? { status: 403, fields: outside.sort() } : { status: 201, fields: [] }
}

// ---- generators: near-valid requests, each field sometimes wrong ----
// Weighted towards valid values, so every client's grants are exercised by requests that pass validation.
const roomArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('course-101', 'Course-X', 'Exact Room', 'exact room', 'Daily Standup', 'Тест', 'ＦＵＬＬ', 'ﬁle', '*') },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme-ascii' }).map(s => `course-${s}`) },
  { weight: 1, arbitrary: fc.constantFrom('a', '.', '..', ' pad', 'x/y', 'why?', 'a\u0000b', '\ud800', '') },
  { weight: 2, arbitrary: fc.string({ minLength: 0, maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) }
)
const tenantArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.constantFrom('acme', 'ACME') },
  { weight: 2, arbitrary: fc.oneof(fc.constantFrom('other', 'a.b', '', 'x'.repeat(64), '-_-'), fc.string({ maxLength: 10 })) }
)
const ttlArb = fc.oneof(
  { weight: 5, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.constantFrom(600, 601, 86400, 86401, 0, 1.5, -1) },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 90000 }) }
)
const featuresArb = fc.option(fc.dictionary(
  fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...KNOWN) }, { weight: 1, arbitrary: fc.constantFrom('teleport', '__proto__', 'constructor') }),
  fc.oneof({ weight: 8, arbitrary: fc.oneof(fc.boolean(), fc.constantFrom('true', 'false')) }, { weight: 1, arbitrary: fc.constantFrom('', 'yes') }),
  { maxKeys: 3 }
), { nil: undefined })
const userArb = fc.option(fc.record({
  name: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  moderator: fc.option(fc.boolean(), { nil: undefined }),
  affiliation: fc.option(fc.constantFrom('owner', 'moderator', 'teacher', 'member', 'admin'), { nil: undefined })
}, { requiredKeys: [] }), { nil: undefined })
const requestArb = fc.record({ room: roomArb, tenant: tenantArb, ttl: ttlArb, user: userArb, features: featuresArb }).map(({ room, tenant, ttl, user, features }) => {
  const req: Req = { room }
  if (tenant !== undefined) req.tenant = tenant
  if (ttl !== undefined) req.ttl = ttl
  const cleanUser = user && Object.fromEntries(Object.entries(user).filter(([, v]) => v !== undefined))
  if (cleanUser || features) req.context = { ...(cleanUser ? { user: cleanUser } : {}), ...(features ? { features } : {}) }
  return req
})

t.test('near-valid requests: 201 exactly when the model grants it, with the model\'s claims', async t => {
  const { app } = await build(t, config, 'silent')
  let issued = 0
  await fc.assert(fc.asyncProperty(fc.constantFrom<ClientName>('narrow', 'broad', 'plain'), requestArb, async (client, req) => {
    const body = JSON.stringify(req)
    const res = await app.inject({ method: 'POST', url: '/tokens', headers: { ...bearer(keys[client]), 'content-type': 'application/json' }, payload: body })
    // A "__proto__" key is refused by the JSON parser itself (prototype poisoning): 400 for the whole body.
    const want = /"__proto__":/.test(body) ? { status: 400, fields: undefined } : expected(client, req)
    if (res.statusCode !== want.status) throw new Error(`${client} ${JSON.stringify(req)}: got ${res.statusCode} ${res.body}, model says ${want.status}`)
    if (res.statusCode === 201) {
      issued++
      const { payload } = decodeJwt(res.json().token)
      const ttl = req.ttl ?? Math.min(3600, (GRANTS[client] as { maxTtl?: number }).maxTtl ?? 3600)
      if (payload.room !== modelRoomClaim(req.room)) throw new Error(`room ${payload.room} for ${req.room}`)
      if (payload.sub !== (req.tenant ? req.tenant.toLowerCase() : 'meet.jitsi')) throw new Error(`sub ${payload.sub}`)
      if (payload.exp - payload.iat !== ttl) throw new Error('ttl')
      if ((payload.context.user.moderator === true) !== (req.context?.user?.moderator === true)) throw new Error('moderator')
    } else if (want.fields) {
      const fields = res.json().errors.map((e: { path: string }) => e.path).sort()
      if (JSON.stringify(fields) !== JSON.stringify(want.fields)) throw new Error(`${JSON.stringify(req)}: fields ${fields} vs model ${want.fields}`)
    }
  }), { numRuns: RUNS })
  t.ok(issued > RUNS / 20, `a fair share of requests were issued (${issued})`)
})

t.test('arbitrary JSON bodies never produce a 5xx', async t => {
  const { app } = await build(t, config, 'silent')
  await fc.assert(fc.asyncProperty(fc.constantFrom<ClientName>('narrow', 'broad'), fc.jsonValue({ maxDepth: 6 }), async (client, body) => {
    const res = await app.inject({ method: 'POST', url: '/tokens', headers: { ...bearer(keys[client]), 'content-type': 'application/json' }, payload: JSON.stringify(body) })
    if (!ALLOWED.has(res.statusCode)) throw new Error(`${res.statusCode} for ${JSON.stringify(body).slice(0, 200)}: ${res.body}`)
  }), { numRuns: RUNS })
  t.pass(`${RUNS} arbitrary JSON bodies`)
})

t.test('raw bytes, truncated JSON, odd content types and hostile keys never produce a 5xx', async t => {
  const { app } = await build(t, config, 'silent')
  const valid = JSON.stringify({ room: 'course-1', tenant: 'acme', context: { user: { name: 'A' }, features: { 'screen-sharing': true } } })
  const bodyArb = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.integer({ min: 0, max: valid.length }).map(n => valid.slice(0, n)),
    fc.constantFrom('{"room":"x","__proto__":{"x":1}}', '{"room":"x","constructor":{"prototype":{"x":1}}}', '{"room":"a","room":"b"}',
      '['.repeat(5000), `{"room":"${'x'.repeat(20000)}"}`, '{"room": 1e309}', '\ufeff{"room":"x"}')
  )
  const typeArb = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '')
  await fc.assert(fc.asyncProperty(bodyArb, typeArb, async (payload, contentType) => {
    const headers: Record<string, string> = { ...bearer(keys.broad) }
    if (contentType) headers['content-type'] = contentType
    const res = await app.inject({ method: 'POST', url: '/tokens', headers, payload })
    if (!ALLOWED.has(res.statusCode)) throw new Error(`${res.statusCode} for ${contentType} ${payload.slice(0, 100)}: ${res.body}`)
  }), { numRuns: RUNS })
  t.equal(({} as Record<string, unknown>).x, undefined, 'Object.prototype was not polluted')
})

t.test('the model agrees with the contract on hand-picked cases', async t => {
  t.same(expected('narrow', { room: 'course-1', tenant: 'acme' }), { status: 201, fields: [] })
  t.same(expected('narrow', { room: 'COURSE-1', tenant: 'Acme', ttl: 601 }), { status: 403, fields: ['ttl'] })
  t.same(expected('plain', { room: 'x', context: { user: { affiliation: 'owner' } } }), { status: 403, fields: ['context.user.affiliation'] })
  t.ok(globMatches('a*b*c', 'aXbYc') && !globMatches('a*b', 'ab c') && globMatches('*', ''))
})
