import { createHmac, generateKeyPairSync, sign } from 'node:crypto'
import t from 'tap'

import { acceptsJoin, verifyRoom, verifyToken } from '../support/prosody-verifier.js'
import type { ProsodySettings } from '../support/prosody-verifier.js'
import { getBackendSafeRoomName, roomFromMeetingUrl } from '../support/web-client-room.js'

const NOW = 1_767_225_600
const SECRET = 'a-test-secret-of-32-characters-xx'
const APP_ID = 'my_app'

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const PUBLIC_PEM = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()
const OTHER_PUBLIC_PEM = otherRsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()

const docker: ProsodySettings = {
  appId: APP_ID,
  appSecret: SECRET,
  signatureAlgorithm: 'HS256',
  enableDomainVerification: false,
  xmppDomain: 'meet.jitsi'
}
const strict: ProsodySettings = { ...docker, enableDomainVerification: true }
const keyServer: ProsodySettings = {
  appId: APP_ID,
  publicKeyPem: PUBLIC_PEM,
  enableDomainVerification: false,
  xmppDomain: 'meet.jitsi'
}

const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

function hs (header: unknown, payload: unknown, secret = SECRET, hash = 'sha256'): string {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`
}

function rs (header: unknown, payload: unknown, key = rsa.privateKey, hash = 'sha256'): string {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${sign(hash, Buffer.from(input), key).toString('base64url')}`
}

const HS_HEADER = { alg: 'HS256', typ: 'JWT' }
const RS_HEADER = { alg: 'RS256', typ: 'JWT', kid: 'my_app/2026-01' }

function claims (extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: APP_ID,
    aud: 'jitsi',
    sub: 'meet.jitsi',
    room: 'daily%20standup',
    iat: NOW - 60,
    nbf: NOW - 90,
    exp: NOW + 3600,
    context: { user: { id: 'u-1', name: 'Alice' } },
    ...extra
  }
}

function without (name: string): Record<string, unknown> {
  const copy = claims()
  delete copy[name]
  return copy
}

const at = { now: NOW }

t.test('verifyToken accepts good tokens', async t => {
  const token = hs(HS_HEADER, claims())
  const result = verifyToken(token, docker, at)
  t.ok(result.ok)
  t.same(result.ok && result.claims, claims())

  t.ok(verifyToken(hs(HS_HEADER, claims()), { ...docker, signatureAlgorithm: undefined }, at).ok, 'HS256 is the default with app_secret')
  t.ok(verifyToken(hs({ alg: 'HS512', typ: 'JWT' }, claims(), SECRET, 'sha512'), { ...docker, signatureAlgorithm: 'HS512' }, at).ok)
  t.ok(verifyToken(hs(HS_HEADER, without('exp')), docker, at).ok, 'exp is optional for Prosody')
  t.ok(verifyToken(hs(HS_HEADER, without('nbf')), docker, at).ok)
  t.ok(verifyToken(hs(HS_HEADER, claims({ nbf: NOW })), docker, at).ok, 'nbf == now is accepted')
  t.ok(verifyToken(hs(HS_HEADER, claims({ exp: false })), docker, at).ok, 'exp:false is falsy in Lua, so it is skipped')
  t.ok(verifyToken(hs(HS_HEADER, claims({ exp: (NOW - 10) * 1000 })), docker, at).ok, 'exp in ms never expires')
  t.ok(verifyToken(hs(HS_HEADER, claims({ context: 'not a table' })), docker, at).ok, 'a string context can be indexed')
  t.ok(verifyToken(hs(HS_HEADER, without('context')), docker, at).ok)
  t.ok(verifyToken(hs(HS_HEADER, claims({ room: null })), docker, at).ok, 'null is a present room claim')
  t.ok(verifyToken(hs(HS_HEADER, without('room')), { ...docker, requireRoomClaim: false }, at).ok)

  const [h, p, s] = token.split('.')
  t.ok(verifyToken(`${h}..${p}.${s}`, docker, at).ok, 'empty segments are skipped like Lua gmatch')
  t.ok(verifyToken(`${h}.${p}.${s}==`, docker, at).ok, 'padding is ignored by basexx')

  const withinNow = verifyToken(hs(HS_HEADER, claims({ nbf: Math.floor(Date.now() / 1000) - 30, exp: Math.floor(Date.now() / 1000) + 60 })), docker)
  t.ok(withinNow.ok, 'defaults to the current time')
})

t.test('verifyToken rejects like luajwtjitsi M.verify', async t => {
  const reason = (token: string | undefined, settings: ProsodySettings = docker): string | undefined => {
    const result = verifyToken(token, settings, at)
    return result.ok ? undefined : result.reason
  }
  t.equal(reason(undefined), 'token required')
  t.equal(reason(hs(HS_HEADER, claims()), { ...docker, signatureAlgorithm: 'ES256' }), 'Algorithm not supported')
  t.equal(reason(hs(HS_HEADER, claims()), { ...docker, signatureAlgorithm: 'constructor' }), 'Algorithm not supported')
  t.equal(reason('only.two'), 'Invalid token')
  t.equal(reason('a.b.c.d'), 'Invalid token')
  t.equal(reason(`${b64(HS_HEADER)}x*.${b64(claims())}.sig`), 'Invalid header')
  t.equal(reason(`${b64('{not json')}.${b64(claims())}.sig`), 'Invalid header')
  t.equal(reason(`${b64(HS_HEADER)}.${b64('[1,')}.sig`), 'Invalid body')
  t.equal(reason(`${b64(HS_HEADER)}.${b64(claims())}.s*g`), 'Invalid signature')

  t.equal(reason(hs({ alg: 'HS256' }, claims())), 'Invalid typ', 'typ is required')
  t.equal(reason(hs({ alg: 'HS256', typ: 'jwt' }, claims())), 'Invalid typ', 'typ is case-sensitive')
  t.equal(reason(hs('"a string header"', claims())), 'Invalid typ')
  t.equal(reason(hs(5, claims())), 'Lua runtime error: attempt to index a number value (header)')
  t.equal(reason(hs(null, claims())), 'Lua runtime error: attempt to index a userdata value (header)')
  t.equal(reason(hs({ alg: 'HS512', typ: 'JWT' }, claims(), SECRET, 'sha512')), 'Invalid or incorrect alg')
  t.equal(reason(hs({ alg: 'none', typ: 'JWT' }, claims())), 'Invalid or incorrect alg')
  t.equal(reason(hs({ typ: 'JWT' }, claims())), 'Invalid or incorrect alg')
  t.equal(reason(hs(HS_HEADER, claims(), 'another-secret')), 'Invalid signature')
  t.equal(reason(hs(HS_HEADER, claims(), Buffer.from(SECRET).toString('base64'))), 'Invalid signature', 'the secret is not base64-decoded')

  t.equal(reason(hs(HS_HEADER, claims({ exp: String(NOW + 60) }))), 'exp must be number')
  t.equal(reason(hs(HS_HEADER, claims({ exp: null }))), 'exp must be number', 'null is truthy in Lua')
  t.equal(reason(hs(HS_HEADER, claims({ nbf: String(NOW) }))), 'nbf must be number')
  t.equal(reason(hs(HS_HEADER, claims({ exp: NOW - 10 }))), 'Not acceptable by exp (10 sec since expired, valid for:50 sec)')
  t.equal(reason(hs(HS_HEADER, claims({ exp: NOW }))), 'Not acceptable by exp (0 sec since expired, valid for:60 sec)', 'no leeway')
  t.equal(reason(hs(HS_HEADER, claims({ exp: NOW - 10, iat: undefined }))), 'Not acceptable by exp (10 sec since expired)')
  t.equal(reason(hs(HS_HEADER, claims({ exp: NOW - 10, iat: String(NOW - 100) }))), 'Not acceptable by exp (10 sec since expired, valid for:90 sec)')
  t.equal(reason(hs(HS_HEADER, claims({ exp: NOW - 10, iat: 'yesterday' }))), 'Lua runtime error: attempt to perform arithmetic on a string value (iat)')
  t.equal(reason(hs(HS_HEADER, claims({ exp: NOW - 10, iat: '' }))), 'Lua runtime error: attempt to perform arithmetic on a string value (iat)', "'' is truthy in Lua")
  t.equal(reason(hs(HS_HEADER, claims({ exp: NOW - 10, iat: {} }))), 'Lua runtime error: attempt to perform arithmetic on a table value (iat)')
  t.equal(reason(hs(HS_HEADER, claims({ nbf: NOW + 1 }))), 'Not acceptable by nbf')
  t.equal(reason(hs(HS_HEADER, claims({ nbf: (NOW - 30) * 1000 }))), 'Not acceptable by nbf', 'nbf in milliseconds')

  t.equal(reason(hs(HS_HEADER, without('iss'))), "'iss' claim is missing")
  t.equal(reason(hs(HS_HEADER, claims({ iss: 'someone-else' }))), "invalid 'iss' claim")
  t.equal(reason(hs(HS_HEADER, claims({ iss: null }))), "invalid 'iss' claim")
  t.equal(reason(hs(HS_HEADER, claims()), { ...docker, acceptedIssuers: ['other'] }), "invalid 'iss' claim", 'app_id is no longer implied')
  t.equal(reason(hs(HS_HEADER, claims({ iss: 'anyone' })), { ...docker, acceptedIssuers: ['other', '*'] }), undefined)

  t.equal(reason(hs(HS_HEADER, without('aud'))), "'aud' claim is missing", 'aud is required even with *')
  t.equal(reason(hs(HS_HEADER, claims({ aud: ['jitsi'] })), { ...docker, acceptedAudiences: ['jitsi'] }), "invalid 'aud' claim")
  t.equal(reason(hs(HS_HEADER, claims({ aud: ['jitsi'] }))), undefined, 'an array passes only with *')
  t.equal(reason(hs(HS_HEADER, claims({ aud: 'jitsi' })), { ...docker, acceptedAudiences: ['jitsi'] }), undefined)
  t.equal(reason(hs(HS_HEADER, claims({ aud: 'meet' })), { ...docker, acceptedAudiences: ['jitsi'] }), "invalid 'aud' claim")

  t.equal(reason(hs(HS_HEADER, '"a string body"')), "'iss' claim is missing")
  t.equal(reason(hs(HS_HEADER, '[1, 2]')), "'iss' claim is missing")
  t.equal(reason(hs(HS_HEADER, 'true')), 'Lua runtime error: attempt to index a boolean value (body)')
})

t.test('verifyToken applies process_and_verify_token rules', async t => {
  const reason = (token: string, settings: ProsodySettings = docker): string | undefined => {
    const result = verifyToken(token, settings, at)
    return result.ok ? undefined : result.reason
  }
  t.equal(reason(hs(HS_HEADER, without('room'))), 'room claim is missing')
  t.equal(reason(hs(HS_HEADER, without('sub'))), 'sub claim is missing')
  t.equal(reason(hs(HS_HEADER, without('sub')), strict), 'sub claim is missing', 'with or without domain verification')
  t.equal(reason(hs(HS_HEADER, claims({ context: 5 }))), 'Lua runtime error: attempt to index a number value (context)')
  t.equal(reason(hs(HS_HEADER, claims({ context: null }))), 'Lua runtime error: attempt to index a userdata value (context)')

  t.throws(() => verifyToken('x', { ...docker, appId: undefined }), /app_id/)
  t.ok(verifyToken(hs(HS_HEADER, claims()), { ...docker, appId: undefined, acceptedIssuers: [APP_ID] }, at).ok)
  t.throws(() => verifyToken('x', { ...docker, appSecret: undefined }), /app_secret/)
  t.equal(reason(hs({ alg: 'RS256', typ: 'JWT' }, claims()), { ...docker, signatureAlgorithm: 'RS256' }),
    'Lua runtime error: pkey.new: the verification key is not a PEM key')
})

t.test('verifyToken with an asap key server (RS256, kid)', async t => {
  const reason = (token: string, settings: ProsodySettings = keyServer): string | undefined => {
    const result = verifyToken(token, settings, at)
    return result.ok ? undefined : result.reason
  }
  t.equal(reason(rs(RS_HEADER, claims())), undefined, 'RS256 is the default with a key server')
  t.equal(reason(rs(RS_HEADER, claims()), { ...keyServer, appSecret: SECRET }), undefined, 'app_secret is ignored')
  t.equal(reason(rs({ ...RS_HEADER, alg: 'RS512' }, claims(), rsa.privateKey, 'sha512'), { ...keyServer, signatureAlgorithm: 'RS512' }), undefined)
  t.equal(reason(rs({ alg: 'RS256', typ: 'JWT' }, claims())), "'kid' claim is missing")
  t.equal(reason(rs({ typ: 'JWT', kid: 'k' }, claims())), "'alg' claim is missing")
  t.equal(reason(hs({ ...HS_HEADER, kid: 'k' }, claims())), "'kid' claim only support with RS family")
  t.equal(reason(rs({ ...RS_HEADER, alg: 256 }, claims())), 'Lua runtime error: attempt to index a number value (alg)')
  t.equal(reason(rs({ ...RS_HEADER, alg: 'RS384' }, claims(), rsa.privateKey, 'sha384')), 'Invalid or incorrect alg')
  t.equal(reason('no-dot-at-all'), 'Invalid token')
  t.equal(reason('ab*c.def.ghi'), 'Invalid token')
  t.equal(reason(`${b64('{oops')}.e30.sig`), 'bad token format')
  t.equal(reason(rs(RS_HEADER, claims(), otherRsa.privateKey)), 'Invalid signature')
  t.equal(reason(rs(RS_HEADER, claims()), { ...keyServer, publicKeyPem: OTHER_PUBLIC_PEM }), 'Invalid signature')
  t.equal(reason(rs(RS_HEADER, claims()), { ...keyServer, publicKeyPem: '{"keys": []}' }),
    'Lua runtime error: pkey.new: the verification key is not a PEM key')
  t.equal(reason(rs(RS_HEADER, without('room'))), 'room claim is missing')
})

t.test('verifyRoom without domain verification (docker default)', async t => {
  const check = (room: unknown, target: { roomNode: string, tenant?: string }, settings: ProsodySettings = docker) =>
    verifyRoom(claims({ room }), target, settings)

  t.same(check('daily%20standup', { roomNode: 'daily%20standup' }), { ok: true })
  t.same(check('Daily%20Standup', { roomNode: 'daily%20standup' }), { ok: true }, 'the claim is lower-cased')
  t.same(check('daily%20standup', { roomNode: 'daily%20standup', tenant: 'acme' }), { ok: true }, 'ends with ]room')
  t.same(check('*', { roomNode: 'anything', tenant: 'acme' }), { ok: true })
  t.same(check('other', { roomNode: 'daily%20standup' }),
    { ok: false, condition: 'room-mismatch', reason: 'Room does not match the room from token' })
  t.same(check('[acme]daily', { roomNode: 'daily', tenant: 'acme' }), { ok: true }, 'the full node also matches')
  t.notOk(check('acme]daily', { roomNode: 'daily', tenant: 'acme' }).ok)
  t.notOk(check('Daily Standup', { roomNode: 'daily%20standup' }).ok, 'the claim must be the encoded form')
  t.notOk(check('%D0%A2%D0%B5%D1%81%D1%82', { roomNode: '%d1%82%d0%b5%d1%81%d1%82' }).ok, 'encoded upper-case Cyrillic is a different room')
  t.notOk(check('ТЕСТ', { roomNode: 'тест' }).ok, 'string.lower is ASCII-only')
  t.notOk(check(123, { roomNode: '123' }).ok, 'Lua == is type-strict')
  t.ok(check(123, { roomNode: '123', tenant: 'acme' }).ok, 'but .. coerces numbers')
  t.ok(check(false, { roomNode: 'anything' }).ok, 'room:false is falsy in Lua')
  t.same(check({ name: 'x' }, { roomNode: 'daily' }),
    { ok: false, reason: 'Lua runtime error: attempt to use a table value as a string (room claim)' })
  t.same(verifyRoom(claims({ room: undefined }), { roomNode: 'daily' }, { ...docker, requireRoomClaim: false }), { ok: true })

  t.same(check('*', { roomNode: '' }), { ok: false, condition: 'invalid-room-address', reason: 'Room address is invalid' })
  t.same(check('*', { roomNode: "it's" }), { ok: false, condition: 'jid-malformed', reason: "Room JID node 'it's' is invalid (nodeprep)" })
  t.ok(check('daily', { roomNode: 'Daily' }).ok, 'nodeprep lower-cases the room JID')
})

t.test('verifyRoom with domain verification (Prosody default)', async t => {
  const check = (extra: Record<string, unknown>, target: { roomNode: string, tenant?: string, prefix?: string }, settings: ProsodySettings = strict) =>
    verifyRoom(claims(extra), target, settings)
  const mismatch = { ok: false, reason: 'Room and token mismatched', warning: undefined }

  t.same(check({}, { roomNode: 'daily%20standup' }), { ok: true, warning: undefined }, 'sub = XMPP domain')
  t.same(check({ sub: 'MEET.JITSI' }, { roomNode: 'daily%20standup' }), { ok: true, warning: undefined }, 'sub is lower-cased')
  t.same(check({ sub: 'meet.example.org' }, { roomNode: 'daily%20standup' }), mismatch, 'the public hostname is not the XMPP domain')
  t.same(check({ sub: '*' }, { roomNode: 'daily%20standup' }), { ok: true, warning: undefined })
  t.same(check({ room: 'other' }, { roomNode: 'daily%20standup' }), mismatch)
  t.same(check({ room: '*' }, { roomNode: 'whatever' }), { ok: true, warning: undefined })
  t.same(check({ room: 'daily' }, { roomNode: 'daily' }, { ...strict, mucDomainPrefix: 'conference' }), { ok: true, warning: undefined })
  t.same(check({ sub: 123 }, { roomNode: 'daily%20standup' }), mismatch, 'string.lower coerces numbers')
  t.same(check({ sub: undefined }, { roomNode: 'daily%20standup' }),
    { ok: false, reason: 'Lua runtime error: attempt to use a nil value as a string (sub claim)' }, 'unverified claims')
  t.same(check({ sub: ['meet.jitsi'] }, { roomNode: 'daily%20standup' }),
    { ok: false, reason: 'Lua runtime error: attempt to use a table value as a string (sub claim)' })

  // Tenants: [tenant]room@muc.meet.jitsi
  const acme = { roomNode: 'daily%20standup', tenant: 'acme' }
  t.same(check({ sub: 'acme' }, acme), { ok: true, warning: undefined }, 'sub = tenant')
  t.same(check({ sub: 'ACME' }, acme), { ok: true, warning: undefined })
  t.same(check({ sub: '*' }, acme), { ok: true, warning: undefined })
  t.same(check({ sub: 'meet.jitsi' }, acme), mismatch, 'the XMPP domain does not cover tenants')
  t.same(check({ sub: 'other' }, acme), mismatch)
  t.same(check({ sub: 'acme', room: '*' }, acme), { ok: true, warning: undefined })
  t.same(check({ sub: 'acme', room: 'other' }, acme), mismatch)

  // Room claim edge cases
  t.same(check({ room: false }, { roomNode: 'daily' }),
    { ok: false, condition: 'room-name-does-not-match', reason: 'Room name cannot be matched to the one from token.' })
  t.same(check({ room: undefined }, { roomNode: 'daily' }, { ...strict, requireRoomClaim: false }), { ok: true })
  t.same(check({ context: { room: { regex: true } } }, { roomNode: 'daily%20standup' }),
    { ok: false, condition: 'not-emulated', reason: 'context.room.regex (Lua patterns) is not emulated by this referee' })
  t.same(check({ context: { room: { regex: 'true' } } }, { roomNode: 'daily%20standup' }).condition, 'not-emulated')
  t.same(check({ context: { room: { regex: false } } }, { roomNode: 'daily%20standup' }), { ok: true, warning: undefined })
  t.same(check({ context: { room: 'lobby' } }, { roomNode: 'daily%20standup' }), { ok: true, warning: undefined })
  t.same(check({ context: { room: false } }, { roomNode: 'daily%20standup' }), { ok: true, warning: undefined })
  t.same(check({ context: { room: 7 } }, { roomNode: 'daily%20standup' }),
    { ok: false, reason: 'Lua runtime error: attempt to index a number value (context.room)' })
  t.same(check({ context: undefined }, { roomNode: 'daily%20standup' }), { ok: true, warning: undefined })

  // context.tenant only produces a warning (unless the room has allowUnauthenticatedAccess == false)
  t.same(check({ sub: 'acme', context: { tenant: 'ACME' } }, acme), { ok: true, warning: undefined })
  t.same(check({ sub: 'acme', context: { tenant: 'acme' } }, { ...acme, prefix: 'Acme' }),
    { ok: true, warning: 'Tenant differs: url_tenant:Acme token_tenant:acme' })
  t.same(check({ context: { tenant: 'acme' } }, { roomNode: 'daily%20standup' }),
    { ok: true, warning: 'Tenant differs: url_tenant: token_tenant:acme' })
  t.same(check({ room: 'other', context: { tenant: 42 } }, { roomNode: 'daily%20standup' }),
    { ok: false, reason: 'Room and token mismatched', warning: 'Tenant differs: url_tenant: token_tenant:42' })
  t.same(check({ context: { tenant: false } }, { roomNode: 'daily%20standup' }), { ok: true, warning: undefined })
})

t.test('roomFromMeetingUrl emulates the web client', async t => {
  t.same(roomFromMeetingUrl('https://meet.example.org/acme/Daily%20Standup?jwt=x'),
    { roomNode: 'daily%20standup', tenant: 'acme', prefix: 'acme', jwt: 'x' })
  t.same(roomFromMeetingUrl('https://meet.example.org/Тест'), { roomNode: '%d1%82%d0%b5%d1%81%d1%82' })
  t.same(roomFromMeetingUrl('https://meet.example.org/%D0%A2%D0%B5%D1%81%D1%82'), { roomNode: '%d1%82%d0%b5%d1%81%d1%82' })
  t.same(roomFromMeetingUrl('https://meet.example.org/Daily Standup'), { roomNode: 'daily%20standup' }, 'the browser encodes spaces first')
  t.same(roomFromMeetingUrl('https://meet.example.org/My(Room)!@x'), { roomNode: 'myroomx' }, 'excluded characters are stripped')
  t.same(roomFromMeetingUrl('https://meet.example.org/My%28Room%29'), { roomNode: 'my(room)' }, 'but encoded ones survive')
  t.same(roomFromMeetingUrl('https://meet.example.org/it%27s'), { roomNode: "it's" })
  t.same(roomFromMeetingUrl('https://meet.example.org/%EF%AC%81le'), { roomNode: 'file' }, 'NFKC after decoding')
  t.same(roomFromMeetingUrl('https://meet.example.org/%E0%A4%A'), { roomNode: '%25e0%25a4%25a' }, 'undecodable names are encoded as they are')
  t.same(roomFromMeetingUrl('https://meet.example.org/'), { roomNode: '' })
  t.same(roomFromMeetingUrl('https://meet.example.org'), { roomNode: '' })
  t.same(roomFromMeetingUrl('https://meet.example.org/Acme.Corp/Room'), { roomNode: 'room', tenant: 'acme_corp', prefix: 'Acme.Corp' })
  t.same(roomFromMeetingUrl('https://meet.example.org/a/b/Room'), { roomNode: 'room', tenant: 'a/b', prefix: 'a/b' })
  t.same(roomFromMeetingUrl('https://meet.example.org/a/../Room'), { roomNode: 'room' }, 'dot segments are resolved')
  t.same(roomFromMeetingUrl('org.jitsi.meet://meet.example.org/Room'), { roomNode: 'room' })
  t.same(roomFromMeetingUrl('org.jitsi.meet:Room'), { roomNode: 'room' }, 'an app link with a bare room name')
  t.same(roomFromMeetingUrl('http://meet.example.org/Room?jwt'), { roomNode: 'room' })
  t.same(roomFromMeetingUrl('https://meet.example.org/Room?jwt='), { roomNode: 'room' })

  // Tokens: #jwt="…" (JSON) wins over ?jwt=… (raw).
  t.equal(roomFromMeetingUrl('https://h/r?jwt=search#jwt="hash"').jwt, 'hash')
  t.equal(roomFromMeetingUrl('https://h/r?jwt=search#jwt=%22hash%22').jwt, 'hash')
  t.equal(roomFromMeetingUrl('https://h/r?jwt=search#jwt=“hash”').jwt, 'hash', 'curly quotes are straightened')
  t.equal(roomFromMeetingUrl('https://h/r?jwt=search#jwt=hash').jwt, 'search', 'an unquoted hash value is dropped')
  t.equal(roomFromMeetingUrl('https://h/r?jwt=search#jwt').jwt, 'search')
  t.equal(roomFromMeetingUrl('https://h/r?jwt=search#jwt=123').jwt, '123')
  t.equal(roomFromMeetingUrl('https://h/r?jwt=search#/jwt="hash"').jwt, 'search', 'hash routers are ignored')
  t.equal(roomFromMeetingUrl('https://h/r?a=1&jwt=%41b#x=1&jwt="hash"&__proto__.y=2&=3').jwt, 'hash')
  t.equal(roomFromMeetingUrl('https://h/r?jwt=%41b&constructor=1').jwt, '%41b', 'the search value is not decoded')
  t.equal(roomFromMeetingUrl('https://h/acme/Daily%20Standup?jwt=tok#config.prejoinConfig.enabled=false&userInfo.displayName=%22Alice%22').jwt, 'tok')

  t.equal(getBackendSafeRoomName(''), '')
  t.equal(getBackendSafeRoomName('Ｒｏｏｍ'), 'room', 'NFKC')
})

t.test('acceptsJoin: token, then the room the meeting URL opens', async t => {
  const token = hs(HS_HEADER, claims({ sub: 'acme' }))
  const url = `https://meet.example.org/acme/Daily%20Standup?jwt=${token}`
  const joined = acceptsJoin(undefined, url, strict, at)
  t.ok(joined.ok, 'the token from the URL is used')
  t.same(joined.ok && joined.target, { roomNode: 'daily%20standup', tenant: 'acme', prefix: 'acme', jwt: token })

  t.ok(acceptsJoin(token, 'https://meet.example.org/acme/Daily%20Standup', strict, at).ok)
  t.ok(acceptsJoin(hs(HS_HEADER, claims()), 'https://meet.example.org/acme/Daily%20Standup', docker, at).ok)

  const noToken = acceptsJoin(undefined, 'https://meet.example.org/acme/Daily%20Standup', strict, at)
  t.same(noToken.ok ? undefined : [noToken.stage, noToken.reason], ['token', 'token required'])

  const wrongRoom = acceptsJoin(token, 'https://meet.example.org/acme/Other', strict, at)
  t.same(wrongRoom.ok ? undefined : [wrongRoom.stage, wrongRoom.reason], ['room', 'Room and token mismatched'])

  const publicHost = acceptsJoin(hs(HS_HEADER, claims({ sub: 'meet.example.org' })), 'https://meet.example.org/Daily%20Standup', strict, at)
  t.same(publicHost.ok ? undefined : [publicHost.stage, publicHost.reason], ['room', 'Room and token mismatched'])

  const dockerMismatch = acceptsJoin(hs(HS_HEADER, claims()), 'https://meet.example.org/Other', docker, at)
  t.same(dockerMismatch.ok ? undefined : [dockerMismatch.stage, dockerMismatch.condition], ['room', 'room-mismatch'])
})
