import t from 'tap'
import { withIdentity } from '../../src/oidc/identity-merge.js'
import { grantProblems } from '../../src/clients/grants.js'
import { OIDC_DEFAULT_GRANTS } from '../../src/oidc/oidc-config.js'
import type { IdpIdentity } from '../../src/oidc/identity.js'
import type { TokenRequest } from '../../src/schemas/token-request.js'

const alice: IdpIdentity = { id: 'user-1', name: 'Alice', email: 'alice@example.org', moderator: false }
const teacher: IdpIdentity = { ...alice, moderator: true }
const room: TokenRequest = { room: 'r' }

function problems (body: TokenRequest, identity: IdpIdentity) {
  try {
    withIdentity(body, identity)
    return []
  } catch (error) {
    return (error as { errors: Array<{ path: string }> }).errors.map(e => e.path)
  }
}

t.test('API-key callers: the body is used as sent', async t => {
  const body = { room: 'r', context: { user: { id: 'x', name: 'Anyone' } } }
  t.equal(withIdentity(body, undefined), body)
})

t.test('the identity fills context.user and keeps the rest of the request', async t => {
  const body: TokenRequest = { room: 'r', ttl: 60, context: { user: { affiliation: 'member' }, group: 'class-7' }, meeting: { config: { a: 1 } } }
  t.same(withIdentity(body, alice), {
    room: 'r',
    ttl: 60,
    context: { user: { affiliation: 'member', id: 'user-1', name: 'Alice', email: 'alice@example.org' }, group: 'class-7' },
    meeting: { config: { a: 1 } }
  })
  t.same(body.context?.user, { affiliation: 'member' }, 'the request itself is not changed')
  t.same(withIdentity({ room: 'r' }, { id: 'u', moderator: false }), { room: 'r', context: { user: { id: 'u' } } })
})

t.test('another identity in the body is refused, field by field', async t => {
  t.same(problems({ room: 'r', context: { user: { id: 'user-1', name: 'Alice', email: 'alice@example.org' } }, meeting: { userInfo: { displayName: 'Alice', email: 'alice@example.org' } } }, alice), [])
  t.same(problems({ room: 'r', context: { user: { id: 'user-2', avatar: 'https://x.example/a.png' } }, meeting: { userInfo: { displayName: 'Eve', email: 'eve@example.org' } } }, alice),
    ['context.user.id', 'context.user.avatar', 'meeting.userInfo.displayName', 'meeting.userInfo.email'])
  t.same(problems({ room: 'r', context: { user: { name: 'Anything' } } }, { id: 'u', moderator: false }), ['context.user.name'], 'no name from the IdP: none may be set')
})

t.test('an IdP moderator is moderator unless the body asks for less', async t => {
  t.equal(withIdentity(room, teacher).context?.user?.moderator, true)
  t.equal(withIdentity({ room: 'r', context: { user: { moderator: false } } }, teacher).context?.user?.moderator, false)
  t.equal(withIdentity(room, alice).context?.user?.moderator, undefined, 'the grant check refuses a member asking for true')
})

t.test('room security is for moderators: the grant an IdP member gets refuses it', async t => {
  const body: TokenRequest = { room: 'r', context: { user: { lobby_bypass: true, security_bypass: true }, room: { security_bypass: true, lobby: true, password: 'pw' } } }
  const paths = (request: TokenRequest, moderator: boolean) =>
    grantProblems({ ...request, ttl: 60 }, { ...OIDC_DEFAULT_GRANTS, moderator }).map(problem => problem.path)
  t.same(problems(body, alice), [], 'not an identity conflict')
  t.same(paths(body, false), ['context.user.lobby_bypass', 'context.user.security_bypass', 'context.room.security_bypass', 'context.room.lobby', 'context.room.password'])
  t.same(paths(body, true), [])
  t.same(paths({ room: 'r', context: { user: { lobby_bypass: false, security_bypass: false } } }, false), [], 'declining a bypass is fine')
})
