/**
 * The doctor never warns about a token this service minted the way it meant to: tokens from clients
 * with full, partial and empty grants, for moderators and participants, with every new claim, on the
 * Prosody and the JaaS profile, each pass every check of POST /tokens/verify.
 */
import t, { type Test } from 'tap'
import { bearer, build, testConfig, writeClientsFile } from '../helper.js'
import { keyFile, rsaKey } from '../keys/fixtures.js'

const GRANTS = {
  full: { rooms: ['*'], wildcardRoom: true, tenants: ['*'], moderator: true, features: ['*'], userClaims: ['department'] },
  teacher: { rooms: ['course-*'], moderator: true, features: ['recording', 'create-polls', 'send-private-message'], userClaims: ['department'] },
  student: { rooms: ['course-*'], moderator: false, features: ['screen-sharing'] },
  none: { rooms: ['course-*'] }
}
const { file, keys } = writeClientsFile(Object.entries(GRANTS).map(([id, grants]) => ({ id, grants })))

const REQUESTS: Array<{ client: keyof typeof GRANTS, body: Record<string, any>, join?: { room?: string, tenant?: string } }> = [
  { client: 'full', body: { room: 'Course 1', tenant: 'acme', context: { user: { id: 'u', name: 'A', moderator: true, 'hidden-from-recorder': true, department: 'x' } } } },
  { client: 'full', body: { room: 'Course 1', context: { user: { role: 'visitor', lobby: true }, room: { lobby_autostart: false, lobby: true, password: 'p' } } } },
  { client: 'full', body: { room: 'course%-%d+', context: { room: { regex: true } } }, join: { room: 'course-1' } },
  { client: 'full', body: { room: 'course-1', context: { features: { 'send-private-message': true, 'live-translation-subscribe': false } } } },
  { client: 'teacher', body: { room: 'course-2', context: { user: { moderator: true, department: 'y' } } } },
  { client: 'teacher', body: { room: 'course-2', context: { user: { affiliation: 'teacher', lobby_bypass: true } } } },
  { client: 'teacher', body: { room: 'course-2' } },
  { client: 'student', body: { room: 'course-3', context: { user: { name: 'S', role: 'visitor' } } } },
  { client: 'student', body: { room: 'course-3', context: { features: { 'screen-sharing': true } } } },
  { client: 'none', body: { room: 'course-4' } }
]

async function mintAndDiagnose (t: Test, env: Record<string, string | undefined>, jaas: boolean) {
  const { app } = await build(t, testConfig({ CLIENTS_FILE: file, JWT_TOP_LEVEL_MODERATOR: 'true', ...env }))
  for (const { client, body, join } of REQUESTS) {
    // JaaS has one tenant (the AppID), no room patterns and no Prosody-only features: those are 400s there.
    if (jaas && (body.tenant || body.context?.room?.regex || body.context?.features?.['live-translation-subscribe'] !== undefined)) continue
    const minted = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(keys[client]), payload: body })
    t.equal(minted.statusCode, 201, `${client} ${minted.body}`)
    const target = join ?? { room: body.room, ...(jaas ? { tenant: env.JAAS_APP_ID } : body.tenant ? { tenant: body.tenant } : {}) }
    const res = await app.inject({ method: 'POST', url: '/tokens/verify', headers: bearer(keys[client]), payload: { token: minted.json().token, ...target } })
    const diagnosis = res.json()
    t.equal(diagnosis.valid, true, `${client} ${JSON.stringify(body)}`)
    t.same(diagnosis.checks.filter((check: { ok: boolean }) => !check.ok), [], `no warning for ${client} ${JSON.stringify(body)}`)
  }
}

t.test('Prosody profile: every minted token passes every check', async t => {
  await mintAndDiagnose(t, {}, false)
})

t.test('JaaS profile: every minted token passes every check', async t => {
  await mintAndDiagnose(t, {
    JWT_PROFILE: 'jaas',
    JAAS_APP_ID: 'vpaas-magic-cookie-0123456789abcdef0123456789abcdef',
    JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().pem),
    JWT_KID: 'abc123',
    JWT_APP_SECRET: undefined
  }, true)
})
