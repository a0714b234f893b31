import t from 'tap'
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import helmet from 'helmet'
import { SECURITY_HEADER_OPTIONS, securityHeaderValues } from '../../src/pipeline/security-headers.js'
import { bearer, build, testConfig } from '../helper.js'

/** What helmet's own middleware leaves on a real Node response for the same options. */
function helmetOnRealResponse () {
  const response = new ServerResponse(new IncomingMessage(new Socket()))
  response.setHeader('x-powered-by', 'something')
  helmet(SECURITY_HEADER_OPTIONS)(response.req, response, () => {})
  return response.getHeaders()
}

const EXPECTED = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'cross-origin-resource-policy': 'cross-origin',
  'cross-origin-opener-policy': 'same-origin',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'no-referrer'
}

t.test('the headers worked out once are the ones helmet sets on a real response', async t => {
  const once = securityHeaderValues(SECURITY_HEADER_OPTIONS)
  t.same(once, helmetOnRealResponse())
  t.match(once, EXPECTED)
  t.notOk('x-powered-by' in once, 'helmet removes X-Powered-By')
})

t.test('an invalid policy stops start-up instead of sending no header', async t => {
  t.throws(() => securityHeaderValues({ contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'; script-src *"] } } }))
})

t.test('issued tokens and refusals carry every security header', async t => {
  const config = testConfig()
  const { app } = await build(t, config)
  const issued = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room: 'Daily Standup' } })
  t.equal(issued.statusCode, 201)
  const refused = await app.inject({ method: 'POST', url: '/tokens', headers: bearer('jts_wrong'), payload: { room: 'Daily Standup' } })
  t.equal(refused.statusCode, 401)
  for (const res of [issued, refused]) {
    t.match(res.headers, EXPECTED, `status ${res.statusCode}`)
    t.notOk(res.headers['x-powered-by'])
  }
})
