/**
 * Meeting control against an emulation of Jitsi's Prosody modules (test/support/prosody-meeting-modules.ts),
 * which fetches the system key from this service's key repository and verifies system tokens as the
 * modules do. The service signs login tokens with RS256 (a key of its own): meeting control needs that.
 */
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/config.js'
import { startupWarnings } from '../../src/startup-report.js'
import { loadMeetingControlConfig } from '../../src/config/meeting-control-config.js'
import { build, bearer, configRefusal, writeClientsFile } from '../helper.js'
import { keyFile, rsaKey } from '../keys/fixtures.js'
import { startMeetingModules, type ModulesOptions, type ProsodyModules } from '../support/prosody-meeting-modules.js'
import { freePort } from '../support/redis-server.js'
import { AUDIENCE, startLocalIdp } from '../support/local-idp.js'

const MUC = 'muc.meet.jitsi'
const SYSTEM = rsaKey('system')
const LOGIN = rsaKey('login')
const { file: clientsFile, keys } = writeClientsFile([
  { id: 'lms', grants: { rooms: ['course-*'], control: ['end', 'kick', 'read', 'message'] } },
  { id: 'acme-lms', grants: { rooms: ['course-*'], tenants: ['acme'], control: ['end', 'kick', 'read'] } },
  { id: 'reader', grants: { rooms: ['*'], control: ['read'] } },
  { id: 'minter', grants: { rooms: ['*'], moderator: true } }
])

function env (prosodyUrl: string, extra: Record<string, string> = {}) {
  return {
    NODE_ENV: 'test',
    JWT_APP_ID: 'my-app',
    JWT_SIGN_TYPE: 'RS256',
    JWT_PRIVATE_KEY_FILE: keyFile(LOGIN.pem),
    JWT_KID: 'login-1',
    PUBLIC_URL: 'https://meet.example.org',
    CLIENTS_FILE: clientsFile,
    PROSODY_HTTP_URL: prosodyUrl,
    PROSODY_HTTP_TIMEOUT: '500',
    XMPP_MUC_DOMAIN: MUC,
    SYSTEM_PRIVATE_KEY_FILE: keyFile(SYSTEM.pem),
    SYSTEM_KID: 'system-1',
    ...extra
  }
}

/** The service and the modules, the modules fetching keys from the service through app.inject. */
async function deployment (t: { teardown: (fn: () => unknown) => void }, modules: Partial<ModulesOptions> = {}, extraEnv: Record<string, string> = {}) {
  const holder: { app?: FastifyInstance } = {}
  const prosody: ProsodyModules = await startMeetingModules({
    appId: 'my-app',
    hostAlgorithm: 'RS256',
    keyRepository: 'http://token-service:3000/system-keys',
    mucDomain: MUC,
    fetchKey: async (url) => {
      const answer = await holder.app!.inject({ method: 'GET', url: new URL(url).pathname })
      return { status: answer.statusCode, body: answer.body }
    },
    ...modules
  })
  t.teardown(() => prosody.close())
  const built = await build(t, loadConfig(env(prosody.url, extraEnv)))
  holder.app = built.app
  prosody.rooms.set(`course-101@${MUC}`, [{ nick: 'abcd1234', displayName: 'Ada' }, { nick: 'ef567890', displayName: 'Grace' }])
  prosody.rooms.set(`[acme]course-7@${MUC}`, [{ nick: 'aaaa1111', displayName: 'Alan' }])
  return { ...built, prosody }
}

t.test('an LMS reads who is in its class, removes one participant, then ends the class', async t => {
  const { app, prosody, logs } = await deployment(t)
  const read = await app.inject({ method: 'GET', url: '/rooms/Course-101', headers: bearer(keys.lms) })
  t.equal(read.statusCode, 200, read.body)
  t.same(read.json(), { room: 'course-101', count: 2, participants: [{ id: 'abcd1234', displayName: 'Ada' }, { id: 'ef567890', displayName: 'Grace' }] })
  const kicked = await app.inject({ method: 'DELETE', url: '/rooms/course-101/participants/ef567890', headers: bearer(keys.lms) })
  t.equal(kicked.statusCode, 200, kicked.body)
  t.same(kicked.json(), { room: 'course-101', done: 'removed' })
  t.same(prosody.rooms.get(`course-101@${MUC}`)?.map(o => o.nick), ['abcd1234'])
  const ended = await app.inject({ method: 'POST', url: '/rooms/course-101/end', headers: bearer(keys.lms) })
  t.equal(ended.statusCode, 200, ended.body)
  t.notOk(prosody.rooms.has(`course-101@${MUC}`))
  t.match((await app.inject({ method: 'GET', url: '/rooms/course-101', headers: bearer(keys.lms) })).json(), { status: 404, detail: /no such room/ })
  t.match((await app.inject({ method: 'POST', url: '/rooms/course-101/end', headers: bearer(keys.lms) })).json(), { status: 404, detail: /already ended/ })
  t.match((await app.inject({ method: 'DELETE', url: '/rooms/course-101/participants/nobody', headers: bearer(keys.lms) })).statusCode, 404)
  const audit = logs.filter(line => typeof line.event === 'string' && /^(meeting|participant)\./.test(line.event as string))
  t.match(audit, [
    { event: 'meeting.read', client: 'lms', action: 'read', room: 'course-101', status: 200 },
    { event: 'participant.removed', client: 'lms', participant: 'ef567890', status: 200 },
    { event: 'meeting.ended', client: 'lms', room: 'course-101', status: 200 },
    { event: 'meeting.refused', reason: 'no_such_room', status: 404 }
  ])
  t.notMatch(JSON.stringify(logs), /eyJ/, 'no token in the logs')
  const metrics = await app.inject({ method: 'GET', url: '/metrics' })
  t.match(metrics.body, /jitsi_meeting_control_total\{client="lms",action="end",outcome="done"\} 1/)
  t.match(metrics.body, /jitsi_meeting_control_total\{client="lms",action="end",outcome="no_such_room"\} 1/)
})

t.test('a tenant\'s room: each module gets the tenant in its own form', async t => {
  const { app, prosody } = await deployment(t)
  t.equal((await app.inject({ method: 'GET', url: '/rooms/course-7?tenant=ACME', headers: bearer(keys['acme-lms']) })).json().count, 1)
  t.equal((await app.inject({ method: 'DELETE', url: '/rooms/course-7/participants/aaaa1111?tenant=acme', headers: bearer(keys['acme-lms']) })).statusCode, 200)
  const ended = await app.inject({ method: 'POST', url: '/rooms/course-7/end?tenant=acme', headers: bearer(keys['acme-lms']) })
  t.same(ended.json(), { room: 'course-7', tenant: 'acme', done: 'ended' })
  t.notOk(prosody.rooms.has(`[acme]course-7@${MUC}`))
})

t.test('grants: no control grant, or a room outside the grant in any spelling: 403, and Prosody never hears of it', async t => {
  const { app, prosody } = await deployment(t)
  const none = await app.inject({ method: 'POST', url: '/rooms/course-101/end', headers: bearer(keys.minter) })
  t.equal(none.statusCode, 403)
  t.match(none.json().errors, [{ path: 'control', message: /"end" is not granted/ }])
  t.match((await app.inject({ method: 'POST', url: '/rooms/course-101/end', headers: bearer(keys.reader) })).json().errors, [{ path: 'control' }])
  for (const room of ['Staff Meeting', 'STAFF meeting', 'ＳＴＡＦＦ Ｍeeting', 'staff%20meeting']) {
    const refused = await app.inject({ method: 'POST', url: `/rooms/${encodeURIComponent(room)}/end`, headers: bearer(keys.lms) })
    t.equal(refused.statusCode, 403, room)
    t.match(refused.json().errors, [{ path: 'room' }])
  }
  t.match((await app.inject({ method: 'GET', url: '/rooms/course-7?tenant=other', headers: bearer(keys['acme-lms']) })).json().errors, [{ path: 'tenant' }])
  t.match((await app.inject({ method: 'GET', url: '/rooms/course-7?tenant=acme', headers: bearer(keys.lms) })).json().errors, [{ path: 'tenant' }])
  t.match((await app.inject({ method: 'GET', url: '/rooms/course-7', headers: bearer(keys['acme-lms']) })).json().errors, [{ path: 'tenant', message: /is required/ }])
  t.match((await app.inject({ method: 'POST', url: '/rooms/*/end', headers: bearer(keys.lms) })).json(), { status: 400, errors: [{ path: 'room', message: /one room/ }] })
  t.match((await app.inject({ method: 'POST', url: '/rooms/course-%3F/end', headers: bearer(keys.lms) })).json(), { status: 400, errors: [{ path: 'room' }] })
  t.equal((await app.inject({ method: 'POST', url: '/rooms/course-101/end' })).statusCode, 401)
  t.same(prosody.requests, [], 'nothing reached Prosody')
})

t.test('people signed in at the identity provider cannot control meetings: it is for API clients', async t => {
  const idp = await startLocalIdp(t)
  const prosody = await startMeetingModules({ appId: 'my-app', hostAlgorithm: 'RS256', keyRepository: 'http://x/system-keys', mucDomain: MUC, fetchKey: async () => ({ status: 404, body: '' }) })
  t.teardown(() => prosody.close())
  const { app, logs } = await build(t, loadConfig(env(prosody.url, { OIDC_ISSUER: idp.issuer, OIDC_AUDIENCE: AUDIENCE })))
  const refused = await app.inject({ method: 'POST', url: '/rooms/course-101/end', headers: bearer(await idp.token()) })
  t.equal(refused.statusCode, 403)
  t.match(refused.json().detail, /for API clients/)
  t.same(prosody.requests, [])
  const metrics = await app.inject({ method: 'GET', url: '/metrics' })
  t.match(metrics.body, /jitsi_meeting_control_total\{client="none",action="end",outcome="api_clients_only"\} 1/)
  t.match(logs.find(line => line.event === 'meeting.refused'), { reason: 'api_clients_only' })
})

t.test('system messages are refused: Jitsi cannot deliver them to anyone reachable through its HTTP modules', async t => {
  const { app, prosody } = await deployment(t)
  const refused = await app.inject({ method: 'POST', url: '/rooms/course-101/messages', headers: bearer(keys.lms) })
  t.equal(refused.statusCode, 409)
  t.match(refused.json().detail, /real XMPP addresses/)
  t.same(prosody.requests, [])
})

t.test('when Prosody refuses the system token, the answer says which side and where to look', async t => {
  const cases: Array<[string, Partial<ModulesOptions>]> = [
    ['the repository points at the login keys', { keyRepository: 'http://token-service:3000/asap' }],
    ['an HS256 main VirtualHost', { hostAlgorithm: 'HS256' }],
    ['a token already expired by Prosody\'s clock', { clockSkew: 120 }],
    ['another app_id', { appId: 'someone-else' }]
  ]
  for (const [label, modules] of cases) {
    const { app, prosody } = await deployment(t, modules)
    const ended = await app.inject({ method: 'POST', url: '/rooms/course-101/end', headers: bearer(keys.lms) })
    t.equal(ended.statusCode, 502, label)
    t.match(ended.json().detail, /mod_muc_end_meeting refused this service's system token \(401\): check that Prosody's prosody_password_public_key_repo_url/)
    t.match((await app.inject({ method: 'DELETE', url: '/rooms/course-101/participants/abcd1234', headers: bearer(keys.lms) })).json().detail, /mod_muc_kick_participant refused .* \(403\)/)
    t.ok(prosody.rooms.has(`course-101@${MUC}`), 'the meeting goes on')
  }
})

t.test('room-size token verification: the service sends a login token for that room', async t => {
  const { app } = await deployment(t, { roomTokenSecret: 'not-the-login-key' })
  const refused = await app.inject({ method: 'GET', url: '/rooms/course-101', headers: bearer(keys.lms) })
  t.equal(refused.statusCode, 502)
  t.match(refused.json().detail, /mod_muc_size refused the room token/)
})

t.test('Prosody unreachable or slow: 502 or 504 with Retry-After, within the timeout, never retried', async t => {
  const port = await freePort()
  const unreachable = await build(t, loadConfig(env(`http://127.0.0.1:${port}`)))
  const down = await unreachable.app.inject({ method: 'POST', url: '/rooms/course-101/end', headers: bearer(keys.lms) })
  t.equal(down.statusCode, 502)
  t.equal(down.headers['retry-after'], '5')
  t.match(down.json().detail, /cannot be reached \(ECONNREFUSED\)/)
  const { app, prosody } = await deployment(t, { delay: 1500 })
  const started = Date.now()
  const slow = await app.inject({ method: 'POST', url: '/rooms/course-101/end', headers: bearer(keys.lms) })
  t.equal(slow.statusCode, 504)
  t.ok(Date.now() - started < 1400, 'answered at the timeout')
  t.equal(slow.headers['retry-after'], '5')
  t.same(prosody.requests, ['POST /end-meeting'], 'one attempt')
})

t.test('odd answers from Prosody are 502s that name the module', async t => {
  for (const [status, body] of [[400, ''], [500, 'oops']] as const) {
    const { app } = await deployment(t, { answerWith: { status, body } })
    t.match((await app.inject({ method: 'POST', url: '/rooms/course-101/end', headers: bearer(keys.lms) })).json(), { status: 502, detail: new RegExp(`mod_muc_end_meeting answered ${status}: is the module loaded`) })
    t.match((await app.inject({ method: 'DELETE', url: '/rooms/course-101/participants/x', headers: bearer(keys.lms) })).json(), { status: 502, detail: /mod_muc_kick_participant answered/ })
    t.match((await app.inject({ method: 'GET', url: '/rooms/course-101', headers: bearer(keys.lms) })).json(), { status: 502, detail: /mod_muc_size answered/ })
  }
  for (const body of ['not json', '{"participants": 2}']) {
    const { app } = await deployment(t, { answerWith: { status: 200, body } })
    t.match((await app.inject({ method: 'GET', url: '/rooms/course-101', headers: bearer(keys.lms) })).json(), { status: 502, detail: /mod_muc_size \(not (JSON|a list)\) answered 200/ })
  }
  const { app } = await deployment(t, { answerWith: { status: 200, body: '[{"jid": 7}, {"display_name": "Ada"}]' } })
  t.same((await app.inject({ method: 'GET', url: '/rooms/course-101', headers: bearer(keys.lms) })).json().participants, [{ id: '', displayName: '' }, { id: '', displayName: 'Ada' }], 'odd occupants are shown as far as they can be')
})

t.test('the key repository serves the system key and nothing else; /asap never lists it', async t => {
  const { app } = await deployment(t)
  const { createHash } = await import('node:crypto')
  const path = (kid: string) => `${createHash('sha256').update(kid).digest('hex')}.pem`
  const system = await app.inject({ method: 'GET', url: `/system-keys/${path('system-1')}` })
  t.equal(system.statusCode, 200)
  t.equal(system.body, SYSTEM.publicPem)
  t.equal((await app.inject({ method: 'GET', url: `/system-keys/${path('login-1')}` })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: '/system-keys/nope' })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: `/asap/${path('system-1')}` })).statusCode, 404)
  t.notMatch((await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).body, /system-1/)
})

t.test('configuration: off unless PROSODY_HTTP_URL, a key of its own, a warning on HS deployments', async t => {
  const off = await build(t, loadConfig({ ...env('http://x'), PROSODY_HTTP_URL: '', SYSTEM_PRIVATE_KEY_FILE: '', SYSTEM_KID: '' }))
  t.match((await off.app.inject({ method: 'POST', url: '/rooms/course-101/end', headers: bearer(keys.lms) })).json(), { status: 409, detail: /Meeting control is off/ })
  t.equal((await off.app.inject({ method: 'GET', url: '/system-keys/x.pem' })).statusCode, 404)
  t.match(configRefusal({ ...env('http://x'), PROSODY_HTTP_URL: '' }), { variable: 'SYSTEM_PRIVATE_KEY', message: /PROSODY_HTTP_URL is not/ })
  t.match(configRefusal({ ...env('http://x'), SYSTEM_PRIVATE_KEY_FILE: '' }), { variable: 'SYSTEM_PRIVATE_KEY', message: /is required with PROSODY_HTTP_URL/ })
  t.match(configRefusal({ ...env('http://x'), SYSTEM_KID: '' }), { variable: 'SYSTEM_KID', message: /is required/ })
  t.match(configRefusal({ ...env('http://x'), SYSTEM_KID: 'login-1' }), { variable: 'SYSTEM_KID', message: /must differ from JWT_KID/ })
  t.match(configRefusal({ ...env('http://x'), SYSTEM_PRIVATE_KEY_FILE: keyFile(LOGIN.pem) }), { variable: 'SYSTEM_PRIVATE_KEY', message: /is one of the login signing keys/ })
  t.match(configRefusal({ ...env('http://x'), SYSTEM_PRIVATE_KEY_FILE: keyFile(LOGIN.publicPem) }), { variable: 'SYSTEM_PRIVATE_KEY', message: /only a public key/ })
  t.match(configRefusal({ ...env('http://x'), SYSTEM_PRIVATE_KEY_FILE: keyFile(rsaKey('small', 1024).pem) }), { variable: 'SYSTEM_PRIVATE_KEY', message: /1024-bit/ })
  t.throws(() => loadMeetingControlConfig({ PROSODY_HTTP_URL: 'http://x', PROSODY_HTTP_TIMEOUT: 5000, XMPP_DOMAIN: 'meet.jitsi', JWT_PROFILE: 'jaas' }, []), { variable: 'PROSODY_HTTP_URL', message: /JaaS/ })
  const hs = loadConfig({ ...env('http://prosody:5280/'), JWT_SIGN_TYPE: 'HS256', JWT_PRIVATE_KEY_FILE: '', JWT_KID: '', JWT_APP_SECRET: 'x'.repeat(40) })
  t.equal(hs.meetingControl?.prosodyUrl, 'http://prosody:5280')
  t.equal(hs.meetingControl?.mucDomain, MUC)
  t.match(startupWarnings(hs, 1).join('\n'), /Meeting control is on, but tokens are HS256/)
  t.equal(loadConfig({ ...env('http://x'), XMPP_MUC_DOMAIN: '' }).meetingControl?.mucDomain, 'muc.meet.jitsi', 'docker\'s default, from XMPP_DOMAIN')
})
