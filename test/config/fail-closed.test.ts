/**
 * Configuration fails closed: a NODE_ENV that is not exactly development or test gets production's
 * rules, and the development client (every grant, its key printed) exists only next to a development
 * signing key, never next to a real JWT_APP_SECRET or private key.
 */
import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config.js'
import { developmentBanner } from '../../src/development-banner.js'
import { build } from '../helper.js'
import { rsaKey } from '../keys/fixtures.js'

const REAL_SECRET = 'r'.repeat(40)
const COMPLETE = { JWT_APP_ID: 'app', JWT_APP_SECRET: REAL_SECRET, PUBLIC_URL: 'https://meet.example.org', CLIENTS_FILE: '/etc/clients.json', METRICS_PUBLIC: 'true' }

t.test('an unknown NODE_ENV gets production rules, never development defaults', async t => {
  for (const nodeEnv of ['production', 'Production', 'PRODUCTION', 'prod', 'staging', 'dev', 'Development', 'testing', ' production']) {
    t.throws(() => loadConfig({ NODE_ENV: nodeEnv }), ConfigError, `${JSON.stringify(nodeEnv)} alone does not start on development defaults`)
    const config = loadConfig({ ...COMPLETE, NODE_ENV: nodeEnv })
    t.equal(config.production, true, nodeEnv)
    t.same(config.developmentDefaults, [], nodeEnv)
    t.equal(config.developmentApiKey, undefined, nodeEnv)
    t.equal(developmentBanner(config, 'http://127.0.0.1:3000'), undefined, `${nodeEnv}: no banner`)
    const short = (() => { try { loadConfig({ ...COMPLETE, NODE_ENV: nodeEnv, JWT_APP_SECRET: 'short' }) } catch (error) { return error } })()
    t.match(short, { variable: 'JWT_APP_SECRET' }, `${nodeEnv}: production's secret length applies`)
  }
  for (const nodeEnv of ['development', 'test', '', undefined]) {
    t.equal(loadConfig({ NODE_ENV: nodeEnv }).production, false, `${JSON.stringify(nodeEnv)} is not production`)
  }
})

t.test('no development client next to a real JWT_APP_SECRET, and no key in the banner', async t => {
  for (const nodeEnv of ['development', 'test', undefined]) {
    const config = loadConfig({ NODE_ENV: nodeEnv, JWT_APP_SECRET: REAL_SECRET })
    t.equal(config.developmentApiKey, undefined, `NODE_ENV=${nodeEnv}`)
    t.notOk(config.developmentDefaults.includes('CLIENTS_FILE'), 'CLIENTS_FILE is not defaulted')
    const banner = developmentBanner(config, 'http://127.0.0.1:3000')!
    t.notMatch(banner, /jts_|Bearer/, 'no key is printed')
    t.match(banner, /No CLIENTS_FILE: no API key is accepted/)
    t.match(banner, /running on development defaults \((PUBLIC_URL, JWT_APP_ID|JWT_APP_ID, PUBLIC_URL) not set\)/)
  }
  const { app } = await build(t, loadConfig({ NODE_ENV: 'development', JWT_APP_SECRET: REAL_SECRET }))
  t.equal(app.clients.count, 0, 'the app has no client with every grant')
  const res = await app.inject({ method: 'POST', url: '/tokens', headers: { authorization: 'Bearer jts_anything' }, payload: { room: 'r' } })
  t.equal(res.statusCode, 401)
})

t.test('nor next to a real RS* private key', async t => {
  const config = loadConfig({ JWT_SIGN_TYPE: 'RS256', JWT_PRIVATE_KEY: rsaKey().pem, JWT_KID: 'k1', JWT_APP_ID: 'app', PUBLIC_URL: 'https://meet.example.org' })
  t.equal(config.developmentApiKey, undefined)
  t.same(config.developmentDefaults, [])
  t.match(developmentBanner(config, 'http://127.0.0.1:3000'), /^\nNo CLIENTS_FILE: no API key is accepted/, 'only the no-clients line')
})

t.test('the development client stays for a development signing key, and never with clients configured', async t => {
  for (const env of [{}, { JWT_SIGN_TYPE: 'RS256' }]) {
    const config = loadConfig(env)
    t.match(config.developmentApiKey, /^jts_/, JSON.stringify(env))
    const banner = developmentBanner(config, 'http://127.0.0.1:3000')!
    t.match(banner, config.developmentApiKey!)
    t.notMatch(banner, /No CLIENTS_FILE/)
  }
  const withClients = loadConfig({ JWT_APP_SECRET: REAL_SECRET, CLIENTS_FILE: '/etc/clients.json', JWT_APP_ID: 'a', PUBLIC_URL: 'https://meet.example.org' })
  t.equal(developmentBanner(withClients, 'http://127.0.0.1:3000'), undefined, 'nothing to say when everything is configured')
})
