import t from 'tap'
import { applyCallerGrant } from '../../src/clients/caller-grant.js'
import type { Grants } from '../../src/clients/grants.js'
import type { Caller } from '../../src/clients/caller.js'
import { testConfig } from '../helper.js'

const { jwt } = testConfig()
const restricted: Grants = { rooms: ['team-*'], wildcardRoom: false, moderator: true, features: ['recording', 'send-groupchat'] }
const person = (moderator: boolean): Caller => ({ id: 'oidc', kind: 'oidc', grants: restricted, identity: { id: 'alice', name: 'Alice', moderator } })

t.test('an identity-provider moderator keeps a moderator\'s feature defaults within the grant (POST /tokens and login alike)', async t => {
  const moderator = applyCallerGrant({ room: 'team-a' }, person(true), jwt)
  const participant = applyCallerGrant({ room: 'team-a' }, person(false), jwt)
  t.equal(moderator.granted?.context?.user?.moderator, true, 'the person comes from the identity')
  t.equal(moderator.granted?.context?.features?.recording, true, 'recording: a moderator default, and granted')
  t.notOk(participant.granted?.context?.features?.recording, 'not a participant default: left out, so denied')
  t.equal(moderator.granted?.context?.features?.livestreaming, false, 'a moderator default outside the grant is denied')
  t.equal(moderator.granted?.ttl, Math.min(jwt.ttl, restricted.maxTtl ?? jwt.ttl), 'the default lifetime')
})

t.test('outside the grant: the fields that are, and no request to mint', async t => {
  const decision = applyCallerGrant({ room: 'other' }, person(true), jwt)
  t.equal(decision.granted, undefined)
  t.match(decision.outside, [{ path: 'room' }])
})
