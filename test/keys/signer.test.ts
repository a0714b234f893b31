/** The signer plugin will not build an app that cannot sign, whatever config object it is given. */
import t from 'tap'
import { build, testConfig } from '../helper.js'
import { keyFile, rsaKey } from './fixtures.js'

t.test('RS256 without keys, or HS256 without a secret, does not start', async t => {
  const rs = testConfig({ JWT_SIGN_TYPE: 'RS256', JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().pem), JWT_KID: 'k1' })
  await t.rejects(build(t, { ...rs, jwt: { ...rs.jwt, keys: undefined } }), /no signing key for RS256/)
  const hs = testConfig()
  await t.rejects(build(t, { ...hs, jwt: { ...hs.jwt, secret: undefined } }), /no signing key for HS256/)
})

t.test('the signer names the kid it signs with', async t => {
  const { app } = await build(t, testConfig({ JWT_SIGN_TYPE: 'RS512', JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().pem), JWT_KID: 'k1' }))
  t.equal(app.signer.algorithm, 'RS512')
  t.equal(app.signer.kid, 'k1')
})

t.test('HS256 tokens carry no kid', async t => {
  const { app } = await build(t, testConfig())
  t.equal(app.signer.kid, undefined)
  const token = await app.signer.sign({ sub: 'meet.jitsi' })
  t.same(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()), { alg: 'HS256', typ: 'JWT' })
})
