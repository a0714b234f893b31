/**
 * Room patterns on the Jitsi people run (docs/jitsi.md §12.3): before jitsi-meet#17803 Prosody lower-cases a
 * `room` pattern before matching it, so an upper-case Lua class turns into its opposite. Shown with Lua's own
 * pattern engine in a real Prosody (the stand-in of Jitsi's room check, with domain verification on), joined
 * over XMPP by the same client as `check`: the pattern the service warns about opens the rooms it should not.
 */
import t, { type Test } from 'tap'
import { joinRoom } from '../../src/check/xmpp-join.js'
import { bearer, build, testConfig, SECRET, APP_ID } from '../helper.js'
import { startProsody, type TestProsody } from '../support/prosody/prosody-server.js'

const DOMAIN = 'patterns.test'
let prosody: TestProsody

t.before(async () => {
  prosody = await startProsody({ appId: APP_ID, appSecret: SECRET, sites: [{ domain: DOMAIN, domainVerification: true }] })
})
t.teardown(() => prosody?.stop())

const config = testConfig({ XMPP_DOMAIN: DOMAIN })

async function joins (token: string, room: string): Promise<boolean> {
  const participant = await joinRoom({ websocketUrl: prosody.websocketUrl, xmppDomain: DOMAIN, muc: `conference.${DOMAIN}`, focus: `focus.${DOMAIN}`, room, token, timeoutMs: 4000, settleMs: 0 })
  await participant.leave()
  return participant.outcome.joined
}

async function mint (t: Test, room: string) {
  const { app } = await build(t, config)
  const answer = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room, context: { room: { regex: true } } } })
  t.equal(answer.statusCode, 201, answer.body)
  return answer.json() as { token: string, notes: string[] }
}

t.test('room%D+ ("room" then non-digits) opens room42 and not roomabc on Prosody before #17803, and the answer says so', async t => {
  const { token, notes } = await mint(t, 'room%D+')
  t.match(notes.join('\n'), /%D/, 'the service notes the upper-case class')
  t.equal(await joins(token, 'room42'), true, 'lower-cased to %d: digits match')
  t.equal(await joins(token, 'roomabc'), false, 'and the rooms it meant are refused')
})

t.test('a lower-case class means what it says on every version; an unescaped "-" is a Lua quantifier', async t => {
  const { token, notes } = await mint(t, 'course%-%d+')
  t.equal(notes.length, 1, 'only the domain-verification note')
  t.equal(await joins(token, 'course-101'), true)
  t.equal(await joins(token, 'course-abc'), false)
  t.equal(await joins(token, 'staff-course-101'), false, 'the match must be the whole room name')
  const hyphen = await mint(t, 'course-%d+')
  t.match(hyphen.notes.join('\n'), /unescaped "-"/)
  t.equal(await joins(hyphen.token, 'course-101'), false, 'as the note says')
  t.equal(await joins(hyphen.token, 'cours101'), true)
})
