/**
 * The login against a real OpenID provider, without a browser: Jitsi's state in, the IdP's login
 * form, and a token Prosody accepts for that room out, per platform.
 */
import t from 'tap'
import { build, decodeJwt } from '../helper.js'
import { startTestIdp } from '../support/oidc-idp.js'
import { acceptsJoin } from '../support/prosody-verifier.js'
import { fullLogin, jitsiState, LOGIN_BASE, loginConfig, loginUrl, PROSODY } from './support.js'

t.test('a browser login lands on the meeting with a token Prosody accepts for that room', async t => {
  const idp = await startTestIdp(t, LOGIN_BASE)
  const { app, logs } = await build(t, loginConfig(idp, { OIDC_GRANTS: '{"tenants":["acme"]}' }))
  const { res } = await fullLogin(app, loginUrl(jitsiState('Daily%20Standup', 'acme', { 'config.subject': 'Hi', 'interfaceConfig.SHOW_CHROME_EXTENSION_BANNER': false })))
  t.equal(res.statusCode, 302)
  const target = res.headers.location as string
  t.match(target, /^https:\/\/meet\.example\.org\/acme\/Daily%20Standup\?jwt=/)
  t.match(target, /#config\.prejoinConfig\.enabled=false&config\.subject=%22Hi%22&interfaceConfig\.SHOW_CHROME_EXTENSION_BANNER=false$/)
  const verdict = acceptsJoin(undefined, target, PROSODY)
  t.ok(verdict.ok, JSON.stringify(verdict))
  const { payload } = decodeJwt(new URL(target).searchParams.get('jwt')!)
  t.equal(payload.room, 'daily%20standup')
  t.equal(payload.sub, 'acme')
  t.same(payload.context.user, { id: 'alice', name: 'Alice Example', email: 'alice@example.org', moderator: true })
  const audit = logs.find(line => line.event === 'token.issued')
  t.match(audit, { client: 'oidc:alice', room: 'daily%20standup', via: 'login', moderator: true })
})
