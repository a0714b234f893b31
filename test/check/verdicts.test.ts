import t from 'tap'
import { describeOutcome, judge, type Outcomes } from '../../src/check/verdicts.js'
import type { JoinOutcome } from '../../src/check/xmpp-join.js'

const joined = (role: string, affiliation: string): JoinOutcome => ({ authenticated: true, joined: true, lobby: false, role, affiliation })
const refusedAtLogin: JoinOutcome = { authenticated: false, joined: false, lobby: false, refusal: 'not-allowed: Invalid signature' }
const good: Outcomes = {
  moderator: joined('moderator', 'owner'),
  guest: joined('participant', 'member'),
  otherRoom: { authenticated: true, joined: false, lobby: false, refusal: 'not-allowed: Room and token mismatched' },
  expired: refusedAtLogin
}

t.test('every expectation met', async t => {
  t.same(judge(good).map(verdict => verdict.met), [true, true, true, true])
  t.notOk(judge(good).some(verdict => verdict.why !== undefined))
})

t.test('an occupant presence without an item says so instead of inventing a role', async t => {
  t.equal(describeOutcome({ authenticated: true, joined: true, lobby: false }), 'joined as no role (affiliation none)')
})

t.test('a guest refused by Prosody fails the guest expectation with the reason\'s side', async t => {
  const guestRefusedAtJoin = judge({ ...good, guest: { authenticated: true, joined: false, lobby: false, refusal: 'not-allowed: x' } })[1]!
  t.match(guestRefusedAtJoin, { met: false, why: /refused the guest's join/ })
  t.match(judge({ ...good, guest: refusedAtLogin })[1], { met: false, why: /refused this service's token/ })
})

t.test('a deployment that lets another room\'s token or an expired one in fails, saying what is missing', async t => {
  const verdicts = judge({ ...good, otherRoom: joined('participant', 'member'), expired: joined('moderator', 'owner') })
  t.match(verdicts[2], { met: false, why: /token_verification/ })
  t.match(verdicts[3], { met: false, why: /expired token/ })
  t.match(judge({ ...good, otherRoom: { ...good.otherRoom, lobby: true } })[2], { met: false }, 'held in a lobby is not refused: the room claim was not checked')
})
