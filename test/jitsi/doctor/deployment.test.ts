/** The emulated Prosody: defaults from this service's settings, overrides, and the report text. */
import t from 'tap'
import { loadConfig } from '../../../src/config.js'
import { doctorSettings } from '../../../src/config/doctor-settings.js'
import { show } from '../../../src/jitsi/doctor/check.js'
import { defaultDeployment, withOverrides } from '../../../src/jitsi/doctor/deployment.js'
import { serviceDeployment, serviceKeys } from '../../../src/jitsi/doctor/service-defaults.js'
import { wrap } from '../../../src/jitsi/doctor/report-text.js'
import { keyFile, rsaKey } from '../../keys/fixtures.js'

t.test('Prosody\'s defaults with this service\'s settings', async t => {
  t.same(defaultDeployment({ appId: 'app', algorithm: 'HS256', xmppDomain: 'Meet.Jitsi', publicUrl: 'https://Meet.Example.org/base' }), {
    algorithm: 'HS256',
    acceptedIssuers: ['app'],
    acceptedAudiences: ['*'],
    domainVerification: true,
    xmppDomain: 'meet.jitsi',
    requireRoomClaim: true,
    publicHost: 'meet.example.org'
  })
  t.equal(defaultDeployment({ appId: 'a', algorithm: 'HS256', xmppDomain: 'x' }).publicHost, undefined)
  t.equal(defaultDeployment({ appId: 'a', algorithm: 'HS256', xmppDomain: 'x', publicUrl: 'https://bad host' }).publicHost, undefined)
  const base = defaultDeployment({ appId: 'a', algorithm: 'HS256', xmppDomain: 'x' })
  t.match(withOverrides(base, { domainVerification: false, xmppDomain: 'MEET.JITSI', acceptedIssuers: undefined }), { domainVerification: false, xmppDomain: 'meet.jitsi', acceptedIssuers: ['a'] })
})

t.test('the JaaS profile emulates 8x8: iss "chat", sub the AppID', async t => {
  const appId = 'vpaas-magic-cookie-0123abcd'
  const config = loadConfig({ NODE_ENV: 'test', JWT_PROFILE: 'jaas', JAAS_APP_ID: appId, JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().pem), JWT_KID: 'key1' })
  t.match(serviceDeployment(doctorSettings(config)), { algorithm: 'RS256', acceptedIssuers: ['chat'], xmppDomain: appId, publicHost: '8x8.vc' })
  const keys = serviceKeys(doctorSettings(config), () => config.jwt.keys!.initial.published)
  t.equal(keys.secret, undefined, 'RS256 has no secret')
  t.match(keys.publicKeyFor!(`${appId}/key1`), { key: rsaKey().publicPem, from: `this service's public key for kid "${appId}/key1"` })
  t.equal(keys.publicKeyFor!('other'), undefined)
})

t.test('report helpers', async t => {
  t.equal(show('x'.repeat(100)), `"${'x'.repeat(78)}…`)
  t.equal(show(undefined), 'undefined')
  t.same(wrap('a bb ccc', 4), ['a bb', 'ccc'])
  t.same(wrap('averyveryverylongword x', 4), ['averyveryverylongword', 'x'], 'a long word stays whole')
})
