import t from 'tap'
import {
  featureGrantProblems, FULL_GRANTS, globMatches, grantProblems, moderatorGrantProblems, roomGrantProblem,
  tenantGrantProblem, ttlGrantProblem, type Grants
} from '../../src/clients/grants.js'
import { KNOWN_FEATURES } from '../../src/jitsi/features.js'
import { backendSafeRoomName } from '../../src/jitsi/room-name.js'

const NONE: Grants = { rooms: [], wildcardRoom: false, moderator: false, features: [] }
const grants = (overrides: Partial<Grants>): Grants => ({ ...NONE, ...overrides })
const roomAllowed = (room: string, rooms: string[]) => roomGrantProblem(room, grants({ rooms })) === undefined

t.test('room patterns are globs: * is any run of characters, anchored at both ends', async t => {
  t.ok(roomAllowed('course-101', ['course-*']))
  t.ok(roomAllowed('course-', ['course-*']), '* may be empty')
  t.notOk(roomAllowed('my-course-101', ['course-*']), 'anchored at the start')
  t.notOk(roomAllowed('course', ['course-*']))
  t.ok(roomAllowed('team-a-daily', ['team-*-daily']))
  t.notOk(roomAllowed('team-a-daily-x', ['team-*-daily']), 'anchored at the end')
  t.ok(roomAllowed('anything at all', ['*']))
  t.ok(roomAllowed('lobby', ['staff', 'lobby']), 'any pattern of the list')
  t.notOk(roomAllowed('lobby', []), 'no patterns, no rooms')
})

t.test('room patterns ignore case', async t => {
  t.ok(roomAllowed('Course-101', ['course-*']))
  t.ok(roomAllowed('course-101', ['COURSE-*']))
  t.ok(roomAllowed('ТЕСТ', ['тест']), 'beyond ASCII too')
})

t.test('regex characters in patterns are literal', async t => {
  t.ok(roomAllowed('a.b', ['a.b']))
  t.notOk(roomAllowed('axb', ['a.b']), '. is not "any character"')
  t.ok(roomAllowed('a+b', ['a+b']))
  t.notOk(roomAllowed('aab', ['a+b']), '+ is not a quantifier')
  t.notOk(roomAllowed('b', ['a?b']), '? is not a quantifier')
  t.notOk(roomAllowed('a', ['[a-z]']), '[] is not a class')
  t.notOk(roomAllowed('ab', ['(a|x)b']), '| is not alternation')
  t.notOk(roomAllowed('a', ['^a$|.*']), 'anchors and alternation cannot widen a grant')
  t.ok(roomAllowed('price $5 {x} \\ end', ['price $5 {x} \\ *']))
  t.ok(globMatches('a.b*', 'a.bc'))
  t.notOk(globMatches('a.b*', 'axbc'))
})

t.test('rooms are matched as Jitsi normalises them (NFKC), so a grant covers the room the token names', async t => {
  // "abc" + combining cedilla matches "abc*" as typed, but NFKC makes it "abç": another room.
  const sneaky = 'abc\u0327'
  t.equal(backendSafeRoomName(sneaky), 'ab%c3%a7', 'the token would name the room "abç"')
  t.notOk(roomAllowed(sneaky, ['abc*']), 'so "abc*" does not cover it')
  t.ok(roomAllowed(sneaky, ['abç*']))
  t.ok(roomAllowed('ｃｏｕｒｓｅ-1', ['course-*']), 'fullwidth letters are the room "course-1"')
  t.ok(roomAllowed('file-1', ['ﬁle-*']), 'a pattern written with a ligature means the same room')
})

t.test('a wildcard room needs wildcardRoom; room patterns do not grant it', async t => {
  t.equal(roomGrantProblem('*', grants({ wildcardRoom: true })), undefined)
  t.same(roomGrantProblem('*', grants({ rooms: ['*'] })), { path: 'room', message: 'a wildcard room ("*") is not granted to this client' })
})

t.test('a refused room names the granted patterns', async t => {
  t.same(roomGrantProblem('staff', grants({ rooms: ['course-*', 'lobby'] })),
    { path: 'room', message: 'is not among the rooms granted to this client (course-*, lobby)' })
  t.match(roomGrantProblem('staff', NONE), { message: /\(none\)$/ })
})

t.test('tenants: omitted means none; "*" any; a list requires one of them, ignoring case', async t => {
  t.equal(tenantGrantProblem(undefined, NONE), undefined)
  t.same(tenantGrantProblem('acme', NONE), { path: 'tenant', message: 'this client may not issue tokens for a tenant' })
  t.same(tenantGrantProblem('acme', grants({ tenants: [] })), { path: 'tenant', message: 'this client may not issue tokens for a tenant' })
  t.equal(tenantGrantProblem('anything', grants({ tenants: ['*'] })), undefined)
  t.equal(tenantGrantProblem(undefined, grants({ tenants: ['*'] })), undefined, '"*" also allows no tenant')
  const listed = grants({ tenants: ['acme', 'Globex'] })
  t.equal(tenantGrantProblem('acme', listed), undefined)
  t.equal(tenantGrantProblem('ACME', listed), undefined)
  t.equal(tenantGrantProblem('globex', listed), undefined)
  t.same(tenantGrantProblem('initech', listed), { path: 'tenant', message: 'is not among the tenants granted to this client (acme, Globex)' })
  t.same(tenantGrantProblem(undefined, listed), { path: 'tenant', message: 'is required: this client may only issue tokens for tenants acme, Globex' })
})

t.test('moderator: refused via moderator:true and via owner affiliations unless granted; member is fine', async t => {
  t.same(moderatorGrantProblems({ moderator: true }, NONE), [{ path: 'context.user.moderator', message: 'this client may not grant moderator rights: its grant has moderator: false (set grants.moderator: true in CLIENTS_FILE, or add the client with jitsi-token-service client add --moderator)' }])
  for (const affiliation of ['owner', 'moderator', 'teacher']) {
    t.same(moderatorGrantProblems({ affiliation }, NONE), [{ path: 'context.user.affiliation', message: `"${affiliation}" makes the user owner, which this client may not grant: its grant has moderator: false (set grants.moderator: true in CLIENTS_FILE, or add the client with jitsi-token-service client add --moderator)` }], affiliation)
  }
  t.same(moderatorGrantProblems({ affiliation: 'member', moderator: false }, NONE), [])
  t.same(moderatorGrantProblems({ moderator: false }, NONE), [])
  t.same(moderatorGrantProblems({}, NONE), [])
  t.same(moderatorGrantProblems(undefined, NONE), [])
  t.same(moderatorGrantProblems({ moderator: true, affiliation: 'teacher' }, grants({ moderator: true })), [], 'granted')
  t.same(moderatorGrantProblems({ moderator: true, affiliation: 'owner' }, NONE).map(p => p.path), ['context.user.moderator', 'context.user.affiliation'])
})

t.test('features: enabling needs the grant, disabling never does', async t => {
  const some = grants({ features: ['recording', 'screen-sharing'] })
  t.same(featureGrantProblems({ recording: true, 'screen-sharing': 'true' }, some), [])
  t.same(featureGrantProblems({ livestreaming: true, transcription: 'true', recording: true }, some), [
    { path: 'context.features.livestreaming', message: 'this client may not enable this feature' },
    { path: 'context.features.transcription', message: 'this client may not enable this feature' }
  ])
  t.same(featureGrantProblems({ livestreaming: false, transcription: 'false', 'file-upload': false }, NONE), [], 'disabling is always allowed')
  t.same(featureGrantProblems(Object.fromEntries(KNOWN_FEATURES.map(name => [name, true])), grants({ features: ['*'] })), [], '"*" is every known feature')
  t.same(featureGrantProblems(undefined, NONE), [], 'no features asked for')
  t.same(featureGrantProblems({}, NONE), [])
})

t.test('maxTtl: at most the granted lifetime; no maxTtl means the global limit only', async t => {
  t.equal(ttlGrantProblem(7200, grants({ maxTtl: 7200 })), undefined)
  t.same(ttlGrantProblem(7201, grants({ maxTtl: 7200 })), { path: 'ttl', message: 'must be at most 7200 seconds for this client' })
  t.equal(ttlGrantProblem(1_000_000, NONE), undefined)
})

t.test('one request with several violations yields one problem per field, in request order', async t => {
  const lms = grants({ rooms: ['course-*'], tenants: ['acme'], features: ['screen-sharing'], maxTtl: 3600 })
  const problems = grantProblems({
    room: 'staff-room',
    tenant: 'other',
    ttl: 7200,
    context: {
      user: { moderator: true, affiliation: 'owner' },
      features: { recording: true, livestreaming: 'true', 'screen-sharing': true, transcription: false }
    }
  }, lms)
  t.same(problems.map(problem => problem.path), [
    'room', 'tenant', 'context.user.moderator', 'context.user.affiliation', 'context.features.livestreaming', 'context.features.recording', 'ttl'
  ])
  t.equal(new Set(problems.map(problem => problem.path)).size, problems.length, 'no field twice')
  t.same(grantProblems({ room: 'course-1', tenant: 'ACME', ttl: 3600, context: { features: { 'screen-sharing': true } } }, lms), [], 'inside the grant')
})

t.test('FULL_GRANTS (the development client) allows everything', async t => {
  t.same(grantProblems({
    room: '*',
    tenant: 'any',
    ttl: 1_000_000,
    context: { user: { moderator: true, affiliation: 'owner' }, features: Object.fromEntries(KNOWN_FEATURES.map(name => [name, true])) }
  }, FULL_GRANTS), [])
  t.same(grantProblems({ room: 'Daily Standup', ttl: 60 }, FULL_GRANTS), [])
})
