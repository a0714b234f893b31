/**
 * End to end against an independent emulation of Jitsi's own checks (test/support): a token from
 * POST /tokens, opened through its meeting URL, lets the person join that room — with and without a
 * tenant, for ASCII and non-ASCII names, with Prosody's domain verification on (its default) and off
 * (docker's default). And it does not open any other room.
 */
import t from 'tap'
import { APP_ID, SECRET, bearer, build, testConfig } from '../helper.js'
import { acceptsJoin, type ProsodySettings } from '../support/prosody-verifier.js'

const config = testConfig()
const prosody = (enableDomainVerification: boolean): ProsodySettings => ({
  appId: APP_ID, appSecret: SECRET, signatureAlgorithm: 'HS256', enableDomainVerification, xmppDomain: 'meet.jitsi'
})

const ROOMS = ['daily', 'Daily Standup', 'Тест', 'ＦＵＬＬ ｗｉｄｔｈ', 'Crème brûlée', '会议室', '100% sure', 'a.b_c-d~e']

t.test('Prosody accepts every issued token for the room its URL opens', async t => {
  const { app } = await build(t, config)
  for (const tenant of [undefined, 'acme', 'Team_2']) {
    for (const room of ROOMS) {
      const res = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room, tenant } })
      t.equal(res.statusCode, 201, `${tenant}/${room}`)
      const { url } = res.json()
      for (const domainVerification of [true, false]) {
        const verdict = acceptsJoin(undefined, url, prosody(domainVerification))
        t.ok(verdict.ok, `${tenant ?? '(no tenant)'}/${room} domain verification ${domainVerification}: ${JSON.stringify(verdict)}`)
      }
    }
  }
})

t.test('the token does not open another room or another tenant', async t => {
  const { app } = await build(t, config)
  const res = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room: 'Daily Standup', tenant: 'acme' } })
  const { token } = res.json()
  for (const domainVerification of [true, false]) {
    t.notOk(acceptsJoin(token, 'https://meet.example.org/acme/Board%20Meeting', prosody(domainVerification)).ok, 'other room')
  }
  t.notOk(acceptsJoin(token, 'https://meet.example.org/globex/Daily%20Standup', prosody(true)).ok, 'other tenant, domain verification on')
})

t.test('Prosody refuses the token once it has expired', async t => {
  const { app } = await build(t, config)
  const res = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room: 'r', ttl: 60 } })
  const { url, token } = res.json()
  const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp
  t.ok(acceptsJoin(undefined, url, prosody(true), { now: exp - 1 }).ok)
  const late = acceptsJoin(undefined, url, prosody(true), { now: exp })
  t.notOk(late.ok)
  t.match(late, { reason: /Not acceptable by exp/ })
})
