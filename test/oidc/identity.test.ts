import t from 'tap'
import { claimValue, idpIdentity, isModerator } from '../../src/oidc/identity.js'
import { isIdpToken } from '../../src/oidc/bearer-kind.js'
import { generateApiKey } from '../../src/clients/api-keys.js'

t.test('the identity comes from sub, name, email and picture', async t => {
  t.same(idpIdentity({ sub: 'f:1b2c', name: 'Alice', email: 'a@example.org', email_verified: true, picture: 'https://example.org/a.png', roles: ['x'] }, undefined),
    { id: 'f:1b2c', name: 'Alice', email: 'a@example.org', avatar: 'https://example.org/a.png', moderator: false })
  t.same(idpIdentity({ sub: 'u', preferred_username: 'alice' }, undefined), { id: 'u', name: 'alice', moderator: false }, 'username when there is no name')
  t.same(idpIdentity({ sub: 'u', email: 'a@example.org' }, undefined), { id: 'u', email: 'a@example.org', moderator: false }, 'email_verified absent: kept')
})

t.test('values a token request could not carry are left out', async t => {
  t.same(idpIdentity({ sub: 'u', email: 'mallory@example.org', email_verified: false }, undefined), { id: 'u', moderator: false }, 'unverified email')
  t.same(idpIdentity({ sub: 'u', picture: 'javascript:alert(1)' }, undefined), { id: 'u', moderator: false }, 'avatar must be http(s)')
  t.same(idpIdentity({ sub: 'u', name: 'x'.repeat(257), preferred_username: 'short' }, undefined), { id: 'u', name: 'short', moderator: false }, 'too long')
  t.same(idpIdentity({ sub: 'u', name: 42, email: ['a@b'] }, undefined), { id: 'u', moderator: false }, 'not strings')
  for (const sub of [undefined, '', '  ', 7, 'x'.repeat(257)]) t.equal(idpIdentity({ sub }, undefined), undefined, `sub ${String(sub).slice(0, 10)}`)
})

t.test('claims by exact name or dotted path, own properties only', async t => {
  const claims = { 'https://example.org/roles': ['teacher'], realm_access: { roles: ['admin'] } }
  t.same(claimValue(claims, 'https://example.org/roles'), ['teacher'], 'Auth0-style namespaced claim')
  t.same(claimValue(claims, 'realm_access.roles'), ['admin'], 'Keycloak realm roles')
  t.equal(claimValue(claims, 'realm_access.roles.length'), undefined, 'no walking into arrays\' properties')
  t.equal(claimValue(claims, 'realm_access.missing'), undefined)
  t.equal(claimValue(claims, 'constructor.name'), undefined, 'no prototype properties')
  t.equal(claimValue({ a: null }, 'a.b'), undefined)
})

t.test('moderator only when the claim says so', async t => {
  const roles = { claim: 'roles', values: ['teacher', 'admin'] }
  t.equal(isModerator({ roles: ['student', 'teacher'] }, roles), true)
  t.equal(isModerator({ roles: 'admin' }, roles), true, 'a single string')
  t.equal(isModerator({ roles: ['student'] }, roles), false)
  t.equal(isModerator({ roles: [['teacher']] }, roles), false, 'nested arrays are not flattened')
  t.equal(isModerator({}, roles), false)
  t.equal(isModerator({ roles: ['teacher'] }, undefined), false, 'no rule: nobody')
  const flag = { claim: 'jitsi_moderator', values: [] }
  t.equal(isModerator({ jitsi_moderator: true }, flag), true)
  t.equal(isModerator({ jitsi_moderator: 'true' }, flag), true)
  t.equal(isModerator({ jitsi_moderator: 'yes' }, flag), false)
  t.equal(idpIdentity({ sub: 'u', jitsi_moderator: true }, flag)?.moderator, true)
})

t.test('API keys and IdP tokens are told apart without ambiguity', async t => {
  for (let i = 0; i < 20; i++) t.notOk(isIdpToken(generateApiKey()), 'generated API keys never look like a JWT')
  t.ok(isIdpToken('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln'))
  t.ok(isIdpToken('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1In0.'), 'alg none still goes to the verifier')
  t.notOk(isIdpToken('jts_a.b.c'), 'the API key prefix wins')
  t.notOk(isIdpToken('a.b'))
  t.notOk(isIdpToken('a.b.c.d.e'), 'JWE (five parts) is not accepted')
  t.notOk(isIdpToken('a+b.c.d'))
})

t.test('"not verified" however the IdP spells it, and identity values that cannot reach presence', async t => {
  for (const spelling of [false, 'false', 'FALSE', ' False ']) {
    t.same(idpIdentity({ sub: 'u', email: 'mallory@example.org', email_verified: spelling }, undefined), { id: 'u', moderator: false }, JSON.stringify(spelling))
  }
  t.same(idpIdentity({ sub: 'u', email: 'a@example.org', email_verified: 'true' }, undefined), { id: 'u', email: 'a@example.org', moderator: false })
  t.same(idpIdentity({ sub: 'u', name: 'Eve\u001f', preferred_username: 'eve', email: 'e\u0000@example.org', picture: 'https://example.org/\uFFFF' }, undefined),
    { id: 'u', name: 'eve', moderator: false }, 'each unusable value is dropped; the next name source is taken')
  t.equal(idpIdentity({ sub: 'u\uD800' }, undefined), undefined, 'an unusable sub names nobody')
})
