import t from 'tap'
import { dockerBool, dockerList, dockerTokenSettings } from '../../src/jitsi/docker-env.js'

t.test('values as the images\' templates read them', async t => {
  t.same(['1', 'true', 'YES', ' on ', 't'].map(value => dockerBool(value, false)), [true, true, true, true, true])
  t.same(['0', 'false', 'nope'].map(value => dockerBool(value, true)), [false, false, false])
  t.equal(dockerBool('', true), true, 'empty takes the default')
  t.same(dockerList(' a, ,b ,'), ['a', 'b'])
})

t.test('a docker-jitsi-meet .env with tokens on: docker\'s defaults, not Prosody\'s', async t => {
  const settings = dockerTokenSettings({ ENABLE_AUTH: '1', AUTH_TYPE: 'jwt', JWT_APP_ID: 'app', XMPP_MUC_MODULES: 'token_affiliation' })
  t.same(settings, {
    tokensEnabled: true,
    overrides: { domainVerification: false, xmppDomain: 'meet.jitsi', acceptedIssuers: ['app'], algorithm: 'HS256' },
    mucModules: ['token_affiliation', 'token_verification'],
    problems: []
  })
})

t.test('issuers, audiences, a key server, the algorithm and the token module as the .env sets them', async t => {
  const settings = dockerTokenSettings({
    ENABLE_AUTH: 'true',
    PROSODY_AUTH_TYPE: 'jwt',
    AUTH_TYPE: 'internal',
    JWT_APP_ID: 'app',
    XMPP_DOMAIN: 'meet.example.org',
    JWT_ACCEPTED_ISSUERS: 'lms, crm',
    JWT_ACCEPTED_AUDIENCES: 'jitsi',
    JWT_ASAP_KEYSERVER: 'https://keys.example.org',
    JWT_ENABLE_DOMAIN_VERIFICATION: '1',
    JWT_TOKEN_AUTH_MODULE: 'token_verification_custom'
  })
  t.same(settings.overrides, { domainVerification: true, xmppDomain: 'meet.example.org', acceptedIssuers: ['lms', 'crm'], acceptedAudiences: ['jitsi'], algorithm: 'RS256' })
  t.equal(settings.keyServer, 'https://keys.example.org')
  t.same(settings.mucModules, ['token_verification_custom'])
  t.equal(dockerTokenSettings({ ENABLE_AUTH: '1', AUTH_TYPE: 'jwt', JWT_APP_ID: 'a', JWT_SIGN_TYPE: 'RS512' }).overrides.algorithm, 'RS512')
})

t.test('what stops tokens working is a problem, named with the variable to set', async t => {
  t.match(dockerTokenSettings({}).problems, [/ENABLE_AUTH=1 and AUTH_TYPE=jwt/])
  t.same(dockerTokenSettings({}).mucModules, [])
  t.match(dockerTokenSettings({ ENABLE_AUTH: '1', AUTH_TYPE: 'jwt' }), { problems: [/JWT_APP_ID is empty/], overrides: { acceptedIssuers: undefined } })
  t.match(dockerTokenSettings({ ENABLE_AUTH: '1', AUTH_TYPE: 'jwt', JWT_APP_ID: 'a', JWT_SIGN_TYPE: 'none' }).problems, [/JWT_SIGN_TYPE/])
})
