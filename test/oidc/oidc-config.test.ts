import t, { type Test } from 'tap'
import { loadConfig, type ConfigError } from '../../src/config.js'
import { OIDC_DEFAULT_GRANTS } from '../../src/oidc/oidc-config.js'
import { testConfig } from '../helper.js'

const ISSUER = 'https://id.example.org/realms/school'
const oidc = (env: Record<string, string> = {}) => testConfig({ OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: 'jitsi', ...env }).oidc

function refuses (t: Test, env: Record<string, string | undefined>, variable: string, message: RegExp, load: (env: Record<string, string | undefined>) => unknown = testConfig) {
  try {
    load(env)
    t.fail(`${variable}: expected a ConfigError`)
  } catch (error) {
    t.equal((error as ConfigError).variable, variable, `${variable} is named`)
    t.match((error as Error).message, message)
  }
}

t.test('off unless OIDC_ISSUER is set', async t => {
  t.equal(testConfig().oidc, undefined)
  refuses(t, { OIDC_AUDIENCE: 'jitsi' }, 'OIDC_AUDIENCE', /OIDC_ISSUER is not/)
  refuses(t, { OIDC_CLOCK_TOLERANCE: '10' }, 'OIDC_CLOCK_TOLERANCE', /OIDC_ISSUER is not/)
})

t.test('defaults: asymmetric algorithms, small leeway, a named-room grant', async t => {
  const config = oidc({ OIDC_AUDIENCE: 'jitsi, spa-client' })!
  t.same(config.audience, ['jitsi', 'spa-client'])
  t.equal(config.jwksUrl, undefined)
  t.notOk(config.algorithms.some(alg => alg === 'none' || alg.startsWith('HS')))
  t.ok(config.algorithms.includes('RS256') && config.algorithms.includes('ES256'))
  t.equal(config.clockTolerance, 30)
  t.same(config.grants, { rooms: ['*'], wildcardRoom: false, moderator: false, features: [], maxTtl: 3600 })
  t.equal(config.moderator, undefined)
  t.same(oidc({ OIDC_CLOCK_TOLERANCE: '0', OIDC_ALGORITHMS: 'ES256' }), { ...config, audience: ['jitsi'], clockTolerance: 0, algorithms: ['ES256'] })
})

t.test('an audience is required', async t => {
  refuses(t, { OIDC_ISSUER: ISSUER }, 'OIDC_AUDIENCE', /required/)
  refuses(t, { OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: ' , ' }, 'OIDC_AUDIENCE', /required/)
})

t.test('never none or HMAC algorithms', async t => {
  for (const alg of ['none', 'HS256', 'RS256,HS512', 'rs256']) {
    refuses(t, { OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: 'a', OIDC_ALGORITHMS: alg }, 'OIDC_ALGORITHMS', /never none or HS\*/)
  }
  refuses(t, { OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: 'a', OIDC_ALGORITHMS: ',' }, 'OIDC_ALGORITHMS', /is empty/)
  refuses(t, { OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: 'a', OIDC_CLOCK_TOLERANCE: '3600' }, 'OIDC_CLOCK_TOLERANCE', /must be at most 300 \(given: "3600"\)/)
})

t.test('OIDC_GRANTS: a client grant; fields left out keep the OIDC defaults', async t => {
  t.same(oidc({ OIDC_GRANTS: '{"features":["recording"],"tenants":["acme"]}' })!.grants, { ...OIDC_DEFAULT_GRANTS, features: ['recording'], tenants: ['acme'] })
  const base = { OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: 'a' }
  refuses(t, { ...base, OIDC_GRANTS: '{rooms: 1' }, 'OIDC_GRANTS', /not valid JSON/)
  refuses(t, { ...base, OIDC_GRANTS: '["*"]' }, 'OIDC_GRANTS', /JSON object/)
  refuses(t, { ...base, OIDC_GRANTS: 'null' }, 'OIDC_GRANTS', /JSON object/)
  refuses(t, { ...base, OIDC_GRANTS: '{"rooms":"*"}' }, 'OIDC_GRANTS', /rooms: Expected array/)
  refuses(t, { ...base, OIDC_GRANTS: '{"features":["teleport"]}' }, 'OIDC_GRANTS', /features\/0/)
  refuses(t, { ...base, OIDC_GRANTS: '{"admin":true}' }, 'OIDC_GRANTS', /admin: Unexpected property/)
  refuses(t, { ...base, OIDC_GRANTS: '{"moderator":true}' }, 'OIDC_GRANTS', /OIDC_MODERATOR_CLAIM/)
  refuses(t, { ...base, OIDC_GRANTS: '{"userClaims":["role"]}' }, 'OIDC_GRANTS', /userClaims: "role" is a claim Jitsi reads/)
  t.same(oidc({ OIDC_GRANTS: '{"userClaims":["department"]}' })!.grants.userClaims, ['department'])
})

t.test('moderator claim and values', async t => {
  t.same(oidc({ OIDC_MODERATOR_CLAIM: 'realm_access.roles', OIDC_MODERATOR_VALUES: 'teacher, admin' })!.moderator, { claim: 'realm_access.roles', values: ['teacher', 'admin'] })
  t.same(oidc({ OIDC_MODERATOR_CLAIM: 'jitsi_moderator' })!.moderator, { claim: 'jitsi_moderator', values: [] })
  refuses(t, { OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: 'a', OIDC_MODERATOR_VALUES: 'teacher' }, 'OIDC_MODERATOR_VALUES', /OIDC_MODERATOR_CLAIM is not/)
})

t.test('production: https only, and OIDC alone is enough to run', async t => {
  const production = {
    NODE_ENV: 'production', JWT_APP_ID: 'app', JWT_APP_SECRET: 'x'.repeat(40), PUBLIC_URL: 'https://meet.example.org', METRICS_PUBLIC: 'true'
  }
  refuses(t, production, 'CLIENTS_FILE', /required/, loadConfig)
  const config = loadConfig({ ...production, OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: 'jitsi' })
  t.equal(config.oidc?.issuer, ISSUER)
  t.equal(config.developmentApiKey, undefined, 'no development client in production')
  refuses(t, { ...production, OIDC_ISSUER: 'http://id.example.org', OIDC_AUDIENCE: 'jitsi' }, 'OIDC_ISSUER', /must be an https/, loadConfig)
  refuses(t, { ...production, OIDC_ISSUER: ISSUER, OIDC_JWKS_URL: 'http://id.example.org/certs', OIDC_AUDIENCE: 'jitsi' }, 'OIDC_JWKS_URL', /must be an https/, loadConfig)
  t.equal(loadConfig({ ...production, OIDC_ISSUER: ISSUER, OIDC_JWKS_URL: 'https://id.example.org/certs', OIDC_AUDIENCE: 'jitsi' }).oidc?.jwksUrl, 'https://id.example.org/certs')
  t.ok(testConfig({ OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: 'jitsi' }).developmentApiKey, 'development still gets its API key next to OIDC')
})
