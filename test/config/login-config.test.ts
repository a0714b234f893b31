/** OIDC_CLIENT_ID and LOGIN_*: the login is on only when configured, and configured safely in production. */
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../../src/config.js'
import { configRefusal, tempDir } from '../helper.js'

const SECRET = 'x'.repeat(32)
const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_APP_ID: 'my-app',
  JWT_APP_SECRET: SECRET,
  PUBLIC_URL: 'https://meet.example.org',
  OIDC_ISSUER: 'https://id.example.org/realms/meet',
  OIDC_CLIENT_ID: 'jitsi',
  OIDC_CLIENT_SECRET: 'client-secret',
  LOGIN_BASE_URL: 'https://meet.example.org/token-service/',
  LOGIN_SECRET: 'l'.repeat(32),
  METRICS_PUBLIC: 'true'
}

t.test('a production login: the three settings plus the IdP client', async t => {
  const config = loadConfig(PRODUCTION)
  t.same(config.login, {
    clientId: 'jitsi',
    clientSecret: 'client-secret',
    scopes: 'openid profile email',
    baseUrl: 'https://meet.example.org/token-service',
    secret: 'l'.repeat(32)
  })
  t.same(config.oidc!.audience, ['jitsi'], 'ID tokens name the client id, so that is the audience without OIDC_AUDIENCE')
  t.same(loadConfig({ ...PRODUCTION, OIDC_AUDIENCE: 'api' }).oidc!.audience, ['api'])
  t.equal(loadConfig({ ...PRODUCTION, OIDC_SCOPES: 'openid email groups' }).login!.scopes, 'openid email groups')
  t.equal(loadConfig({ ...PRODUCTION, OIDC_CLIENT_SECRET: undefined }).login!.clientSecret, undefined, 'a public client')
})

t.test('secrets may come from files', async t => {
  const dir = tempDir()
  writeFileSync(join(dir, 'login'), `${'s'.repeat(40)}\n`)
  writeFileSync(join(dir, 'client'), 'from-a-file\n')
  const config = loadConfig({ ...PRODUCTION, LOGIN_SECRET: undefined, OIDC_CLIENT_SECRET: undefined, LOGIN_SECRET_FILE: join(dir, 'login'), OIDC_CLIENT_SECRET_FILE: join(dir, 'client') })
  t.equal(config.login!.secret, 's'.repeat(40))
  t.equal(config.login!.clientSecret, 'from-a-file')
})

t.test('without OIDC_CLIENT_ID there is no login, and its settings alone are a mistake', async t => {
  t.equal(loadConfig({ ...PRODUCTION, OIDC_CLIENT_ID: undefined, OIDC_CLIENT_SECRET: undefined, LOGIN_BASE_URL: undefined, LOGIN_SECRET: undefined, OIDC_AUDIENCE: 'a' }).login, undefined)
  for (const name of ['OIDC_CLIENT_SECRET', 'OIDC_SCOPES', 'LOGIN_BASE_URL', 'LOGIN_SECRET']) {
    const env: Record<string, string | undefined> = { ...PRODUCTION, OIDC_CLIENT_ID: undefined, OIDC_CLIENT_SECRET: undefined, LOGIN_BASE_URL: undefined, LOGIN_SECRET: undefined, OIDC_AUDIENCE: 'a' }
    env[name] = name === 'LOGIN_BASE_URL' ? 'https://x.example' : 'openid value'
    const error = configRefusal(env)
    t.equal(error.variable, name)
    t.match(error.message, /OIDC_CLIENT_ID is not/)
  }
  t.equal(configRefusal({ ...PRODUCTION, OIDC_ISSUER: undefined }).variable, 'OIDC_CLIENT_ID', 'no login without an issuer')
})

t.test('refused settings', async t => {
  const cases: Array<[Record<string, string | undefined>, string, RegExp]> = [
    [{ LOGIN_BASE_URL: undefined }, 'LOGIN_BASE_URL', /is required with OIDC_CLIENT_ID/],
    [{ LOGIN_BASE_URL: 'http://meet.example.org/token-service' }, 'LOGIN_BASE_URL', /https:\/\/ URL when NODE_ENV=production/],
    [{ OIDC_SCOPES: 'profile email' }, 'OIDC_SCOPES', /must include openid/],
    [{ LOGIN_SECRET: undefined }, 'LOGIN_SECRET', /is required with OIDC_CLIENT_ID when NODE_ENV=production/],
    [{ LOGIN_SECRET: 'short' }, 'LOGIN_SECRET', /is 5 characters; use at least 32/]
  ]
  for (const [change, variable, message] of cases) {
    const error = configRefusal({ ...PRODUCTION, ...change })
    t.equal(error.variable, variable, JSON.stringify(change))
    t.match(error.message, message)
  }
})

t.test('no login for JaaS: Jitsi never sends JaaS meetings to tokenAuthUrl', async t => {
  const error = configRefusal({ OIDC_ISSUER: 'http://127.0.0.1:8080', OIDC_CLIENT_ID: 'jitsi', LOGIN_BASE_URL: 'http://127.0.0.1:3000', JWT_PROFILE: 'jaas', JAAS_APP_ID: 'vpaas-magic-cookie-0123456789abcdef' })
  t.equal(error.variable, 'OIDC_CLIENT_ID')
  t.match(error.message, /no login redirect for JaaS/)
})

t.test('outside production: http and a random LOGIN_SECRET, listed for the banner', async t => {
  const config = loadConfig({ OIDC_ISSUER: 'http://127.0.0.1:8080/realms/dev', OIDC_CLIENT_ID: 'jitsi', LOGIN_BASE_URL: 'http://127.0.0.1:3000' })
  t.ok(config.login!.secret.length >= 32)
  t.ok(config.developmentDefaults.includes('LOGIN_SECRET'))
  t.equal(loadConfig({ OIDC_ISSUER: 'http://127.0.0.1:8080/realms/dev', OIDC_CLIENT_ID: 'jitsi', LOGIN_BASE_URL: 'http://x', LOGIN_SECRET: 'short' }).login!.secret, 'short')
})
