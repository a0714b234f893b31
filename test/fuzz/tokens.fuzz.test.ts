/**
 * Property-based tests of POST /tokens (fast-check): garbage never produces a 5xx, and a 201 comes
 * only for requests inside the caller's grant, with claims equal to a model computed here,
 * independently of src/.
 */
import t from 'tap'
import fc from 'fast-check'
import { bearer, build, decodeJwt, testConfig, writeClientsFile } from '../helper.js'
import { roomFromMeetingUrl } from '../support/web-client-room.js'

// Three properties × 3400 runs: over 10,000 generated requests per CI run.
const RUNS = Number(process.env.FUZZ_RUNS ?? 3400)
const ALLOWED = new Set([201, 400, 401, 403, 413, 415, 429])

const GRANTS = {
  narrow: { rooms: ['course-*', 'Exact Room'], tenants: ['acme'], moderator: false, features: ['screen-sharing'], maxTtl: 600 },
  broad: { rooms: ['*'], wildcardRoom: true, tenants: ['*'], moderator: true, features: ['*'], userClaims: ['department'] as string[] },
  plain: { rooms: ['*'], moderator: false, features: [] }
} as const
type ClientName = keyof typeof GRANTS

const { file, keys } = writeClientsFile(Object.entries(GRANTS).map(([id, grants]) => ({ id, grants: { ...grants, tenants: 'tenants' in grants ? [...grants.tenants] : undefined, rooms: [...grants.rooms], features: [...grants.features] } })))
const config = testConfig({ CLIENTS_FILE: file, RATE_LIMIT_MAX: '1000000', JWT_TTL: '3600', JWT_MAX_TTL: '86400' })

// ---- the model, written from the contract (README), not from src/ ----
const STRIPPED = ':?#[]@!$&\'()*+,;=></"'
// XML 1.0 Char, written here from the spec, not imported from src/.
const XML_TEXT = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u
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
  context?: { user?: { name?: string, moderator?: boolean, affiliation?: string, role?: string, lobby?: unknown, 'hidden-from-recorder'?: unknown, department?: unknown, 'lms:course'?: string }, features?: Record<string, boolean | string> }
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
  const user = req.context?.user ?? {}
  if (user.role !== undefined && user.role !== 'visitor') bad.push('context.user.role')
  for (const name of ['lobby', 'hidden-from-recorder'] as const) if (user[name] !== undefined && typeof user[name] !== 'boolean') bad.push(`context.user.${name}`)
  if (user.department !== undefined && typeof user.department !== 'string' && typeof user.department !== 'boolean') bad.push('context.user.department')
  // Presence carries these as XML text; a ':' in a key would be an unbound namespace prefix.
  for (const name of ['name', 'department'] as const) if (typeof user[name] === 'string' && !XML_TEXT.test(user[name])) bad.push(`context.user.${name}`)
  if (user['lms:course'] !== undefined) bad.push('context.user.lms:course')
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
  if (!grants.moderator && user.lobby !== undefined) outside.push('context.user.lobby')
  if (!grants.moderator && user['hidden-from-recorder'] === true) outside.push('context.user.hidden-from-recorder')
  if (user.department !== undefined && !('userClaims' in grants)) outside.push('context.user.department')
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
// Code points XML 1.0 cannot carry (C0 controls, lone surrogates, non-characters) and ones it can, near them.
const presenceUnsafe = fc.constantFrom('\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001f', '\ud800', '\udfff', '\ufffe', '\uffff')
const presenceSafe = fc.constantFrom('\t', '\n', '\r', ' ', '\u007f', '\ud7ff', '\ue000', '\ufffd', '😀', 'a')
const presenceText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.oneof(presenceUnsafe, presenceSafe), minLength: 1, maxLength: 6 }) }
)
const userArb = fc.option(fc.record({
  name: fc.option(presenceText, { nil: undefined }),
  moderator: fc.option(fc.boolean(), { nil: undefined }),
  affiliation: fc.option(fc.constantFrom('owner', 'moderator', 'teacher', 'member', 'admin'), { nil: undefined })
}, { requiredKeys: [] }), { nil: undefined })
// The newer claims, now and then: each sometimes of the wrong type, or outside a grant.
const newerClaimsArb = fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, {
  weight: 1,
  arbitrary: fc.record({
    role: fc.constantFrom('visitor', 'visitor', 'moderator'),
    lobby: fc.constantFrom(true, false, 'true'),
    'hidden-from-recorder': fc.constantFrom(true, false, false, 1),
    department: fc.oneof(fc.constantFrom('sales', true, 7), presenceText),
    'lms:course': fc.constantFrom(undefined, undefined, 'x')
  }, { requiredKeys: [] })
})
const requestArb = fc.record({ room: roomArb, tenant: tenantArb, ttl: ttlArb, user: fc.tuple(userArb, newerClaimsArb).map(([user, newer]) => user || Object.keys(newer).length > 0 ? { ...user, ...newer } : undefined), features: featuresArb }).map(({ room, tenant, ttl, user, features }) => {
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
      for (const name of ['role', 'lobby', 'hidden-from-recorder', 'department'] as const) {
        if (payload.context.user[name] !== req.context?.user?.[name]) throw new Error(`context.user.${name} ${payload.context.user[name]}`)
      }
      // A restricted client always lists features, so Jitsi never falls back to every feature.
      const restricted = !GRANTS[client].features.includes('*' as never)
      if (restricted ? payload.context.features === undefined : (payload.context.features !== undefined) !== (req.context?.features !== undefined)) throw new Error('features')
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

// ---- issue 12: hostile spellings, nesting and numbers ----
const NEW_RUNS = Math.ceil(RUNS / 3)
const post = (app: Awaited<ReturnType<typeof build>>['app'], client: ClientName, payload: string) =>
  app.inject({ method: 'POST', url: '/tokens', headers: { ...bearer(keys[client]), 'content-type': 'application/json' }, payload })

/**
 * Characters whose NFKC or lower-case form is something else that matters: ASCII punctuation
 * (`＊` → `*`), dots and spaces, ASCII letters (`Ｋ`, `K` Kelvin, `ſ`), several characters (`⑴` → `(1)`).
 * Found by scanning the BMP here, not taken from src/.
 */
const CONFUSABLES: string[] = []
for (let code = 0xa0; code <= 0xffff; code++) {
  if (code >= 0xd800 && code <= 0xdfff) continue
  const char = String.fromCharCode(code)
  if (/[\x20-\x7e]/.test(jitsiName(char))) CONFUSABLES.push(char)
}
const CASE_TRAPS = ['İ', 'ı', 'ς', 'σ', 'Σ', 'ß', 'ẞ', 'ǅ', 'Ǆ', 'ﬀ', 'Å', 'Ω', '\u0307', '\u0301', '\u0338']
const confusableRoomArb = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: fc.oneof(fc.constantFrom(...CONFUSABLES), fc.constantFrom(...CASE_TRAPS), fc.constantFrom('a', 'C', 'o', 'u', 'r', 's', 'e', '-', '1', ' ')), minLength: 1, maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.oneof(fc.constantFrom(...CONFUSABLES), fc.constantFrom(...CASE_TRAPS)), maxLength: 4 }).map(s => `course-${s}`) },
  { weight: 1, arbitrary: fc.constantFrom('\uff0a', '\ufe61', 'Exact\u3000Room', 'ＥＸＡＣＴ ＲＯＯＭ', 'ｃｏｕｒｓｅ-１', '\u212aourse', 'ſtaff', '\uff0e', '\u2025', 'course-\u2474') }
)
const confusableTenantArb = fc.option(fc.oneof(
  fc.constantFrom('acme', 'ACME', 'ａｃｍｅ', 'ACM\u0395', 'acm\u0435', '\u212acme', 'ac\u0307me', 'acme\u200b'),
  fc.string({ unit: fc.oneof(fc.constantFrom(...CONFUSABLES.slice(0, 400)), fc.constantFrom('a', 'c', 'm', 'e', 'K', '-')), minLength: 1, maxLength: 6 })
), { nil: undefined })

/** What must hold for every token issued, whatever the request looked like. */
function issuedInvariants (client: ClientName, req: Req, token: string, url: string | undefined) {
  const grants = GRANTS[client] as { rooms: readonly string[], wildcardRoom?: boolean, tenants?: readonly string[] }
  const { payload } = decodeJwt(token)
  const claim: string = payload.room
  if (claim === '*') {
    if (!grants.wildcardRoom || req.room !== '*') throw new Error(`${client} got room "*" for ${JSON.stringify(req.room)}`)
    if (url !== undefined) throw new Error('a wildcard claim got a url')
    return
  }
  if (!/^[a-z0-9._~%-]+$/.test(claim)) throw new Error(`claim ${claim} holds a character outside the encoded form`)
  const name = decodeURIComponent(claim)
  if ([...name].some(ch => STRIPPED.includes(ch)) || hasControl(name)) throw new Error(`claim ${claim} names a room with a forbidden character`)
  if (!grants.rooms.some(pattern => globMatches(pattern, name))) throw new Error(`claim ${claim} is outside ${client}'s rooms`)
  if (claim !== modelRoomClaim(req.room)) throw new Error(`claim ${claim} for ${JSON.stringify(req.room)}`)
  if (roomFromMeetingUrl(url!).roomNode !== claim) throw new Error(`the web client joins ${roomFromMeetingUrl(url!).roomNode}, the claim is ${claim}`)
  const tenants = grants.tenants ?? []
  if (req.tenant === undefined) {
    if (payload.sub !== 'meet.jitsi') throw new Error(`sub ${payload.sub} without a tenant`)
  } else if (!/^[a-z0-9_-]+$/.test(payload.sub) || !(tenants.includes('*') || tenants.some(granted => granted.toLowerCase() === payload.sub))) {
    throw new Error(`sub ${payload.sub} is not a granted tenant of ${client}`)
  }
}

t.test('Unicode confusables and compatibility forms in rooms and tenants never escape the grant', async t => {
  const { app } = await build(t, config, 'silent')
  let issued = 0
  await fc.assert(fc.asyncProperty(fc.constantFrom<ClientName>('narrow', 'broad', 'plain'), confusableRoomArb, confusableTenantArb, async (client, room, tenant) => {
    const req: Req = tenant === undefined ? { room } : { room, tenant }
    const res = await post(app, client, JSON.stringify(req))
    const want = expected(client, req)
    if (res.statusCode !== want.status) throw new Error(`${client} ${JSON.stringify(req)}: got ${res.statusCode} ${res.body}, model says ${want.status}`)
    if (res.statusCode === 201) {
      issued++
      issuedInvariants(client, req, res.json().token, res.json().url)
    }
  }), { numRuns: NEW_RUNS })
  t.ok(issued > NEW_RUNS / 20, `confusable names were issued too (${issued}), each checked against the invariants`)
})

t.test('deep nesting anywhere in the body is a 400 (or fits the schema), never a 5xx', async t => {
  const { app } = await build(t, testConfig({ CLIENTS_FILE: file, RATE_LIMIT_MAX: '1000000', BODY_LIMIT: '1048576' }), 'silent')
  const where = fc.constantFrom('meeting.config', 'context.user', 'context.features', 'meeting.userInfo', 'context', 'room', 'ttl')
  const depth = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.integer({ min: 500, max: 60_000 }) })
  const kind = fc.constantFrom('[', '{"k":')
  await fc.assert(fc.asyncProperty(fc.constantFrom<ClientName>('broad', 'plain'), where, depth, kind, async (client, at, levels, open) => {
    const value = `${open.repeat(levels)}1${(open === '[' ? ']' : '}').repeat(levels)}`
    const [outer, inner] = at.split('.')
    const bodies: Record<string, string> = {
      room: `{"room":${value}}`,
      ttl: `{"room":"x","ttl":${value}}`,
      context: `{"room":"x","context":${value}}`
    }
    const body = bodies[at] ?? `{"room":"x","${outer}":{"${inner}":${at === 'meeting.config' ? `{"a":${value}}` : value}}}`
    const res = await post(app, client, body)
    // Only meeting.config takes free-form values, up to three arrays/objects deep.
    const want = at === 'meeting.config' && levels <= 3 ? 201 : 400
    if (res.statusCode !== want) throw new Error(`${levels} × ${open} in ${at}: ${res.statusCode} ${res.body.slice(0, 200)}`)
  }), { numRuns: NEW_RUNS })
  t.pass('nesting checked')
})

t.test('numbers at the edges of the range are refused or accepted by the model, never a 5xx', async t => {
  const { app } = await build(t, config, 'silent')
  const edge = fc.oneof(
    fc.constantFrom('1e400', '-1e400', '-0', '0', '1', '1.0', '1e0', '86400', '86401', '86400.5', '9007199254740993', '1e308', '-1e308', '5e-324', '1e-400', '0.1e1', '600', '601'),
    fc.double().filter(Number.isFinite).map(String),
    fc.integer({ min: -1e9, max: 1e9 }).map(String)
  )
  await fc.assert(fc.asyncProperty(fc.constantFrom<ClientName>('narrow', 'broad'), edge, async (client, ttl) => {
    const res = await post(app, client, `{"room":"course-1","tenant":"acme","ttl":${ttl}}`)
    const value = JSON.parse(ttl) as number
    const valid = Number.isInteger(value) && value >= 1 && value <= 86400
    const want = !valid ? 400 : client === 'narrow' && value > 600 ? 403 : 201
    if (res.statusCode !== want) throw new Error(`ttl ${ttl}: ${res.statusCode}, model ${want}: ${res.body.slice(0, 200)}`)
    if (res.statusCode === 201 && decodeJwt(res.json().token).payload.exp - decodeJwt(res.json().token).payload.iat !== value) throw new Error(`ttl ${ttl} not honoured`)
  }), { numRuns: NEW_RUNS })
  t.pass('edge numbers checked')
})

t.test('the model agrees with the contract on hand-picked cases', async t => {
  t.same(expected('narrow', { room: 'course-1', tenant: 'acme' }), { status: 201, fields: [] })
  t.same(expected('narrow', { room: 'COURSE-1', tenant: 'Acme', ttl: 601 }), { status: 403, fields: ['ttl'] })
  t.same(expected('plain', { room: 'x', context: { user: { affiliation: 'owner' } } }), { status: 403, fields: ['context.user.affiliation'] })
  t.ok(globMatches('a*b*c', 'aXbYc') && !globMatches('a*b', 'ab c') && globMatches('*', ''))
  t.notOk(roomIsValid('\uff0a'), 'FULLWIDTH ASTERISK is "*" to Jitsi')
  t.notOk(globMatches('σ', 'ς'), 'final sigma is another room')
  t.ok(CONFUSABLES.includes('\uff0a') && CONFUSABLES.includes('\u212a') && CONFUSABLES.length > 500, `${CONFUSABLES.length} confusable characters`)
})
