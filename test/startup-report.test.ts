/** The start-up summary line and the warnings for risky-but-legal settings. */
import t from 'tap'
import type { Config } from '../src/config.js'
import { startupSummary, startupWarnings } from '../src/startup-report.js'
import { testConfig } from './helper.js'

const facts = { clients: 2, address: 'http://127.0.0.1:3000', pid: 4242 }

t.test('one line says what runs: algorithm, kid, issuer, XMPP domain, clients, OIDC, login, pid', async t => {
  const { line, fields } = startupSummary(testConfig(), facts)
  t.equal(line, 'jitsi-token-service listening on http://127.0.0.1:3000: HS256, kid -, issuer test-app, XMPP domain meet.jitsi, 2 clients, OIDC off, login off, pid 4242')
  t.match(fields, { algorithm: 'HS256', kid: undefined, issuer: 'test-app', xmppDomain: 'meet.jitsi', clients: 2, oidc: 'off', login: 'off', pid: 4242 })
  const oidc = testConfig({ OIDC_ISSUER: 'https://sso.example.org', OIDC_AUDIENCE: 'jitsi' })
  const withLogin = { ...oidc, login: {} } as Config
  t.match(startupSummary(withLogin, { ...facts, kid: 'meet-2026', clients: 1 }).line, /HS256, kid meet-2026, .*, 1 client, OIDC on, login on, pid/)
})

t.test('warnings: a clients file with no clients, and /metrics open in production', async t => {
  const clientsFile = testConfig({ CLIENTS_FILE: '/etc/jitsi-token-service/clients.json' })
  t.same(startupWarnings(clientsFile, 1), [])
  t.match(startupWarnings(clientsFile, 0), [/^CLIENTS_FILE \/etc\/jitsi-token-service\/clients.json lists no clients.*client add --file/])
  t.same(startupWarnings({ ...clientsFile, trustProxy: 1, oidc: testConfig({ OIDC_ISSUER: 'https://sso.example.org', OIDC_AUDIENCE: 'a' }).oidc }, 0), [], 'identity-provider users can still mint')
  t.same(startupWarnings({ ...clientsFile, trustProxy: 1, login: {} } as Config, 0), [], 'so can people signing in')
  const production = { ...clientsFile, production: true }
  t.match(startupWarnings(production, 1), [/^GET \/metrics answers anyone .*METRICS_TOKEN/])
  t.same(startupWarnings({ ...production, metricsToken: 'x'.repeat(32) }, 1), [])
  t.same(startupWarnings(testConfig(), 0), [], 'the development client needs no clients file')
  const oidc = testConfig({ OIDC_ISSUER: 'https://sso.example.org', OIDC_AUDIENCE: 'a' })
  t.match(startupWarnings(oidc, 1), [/^TRUST_PROXY is not set, but browsers reach this service.*172\.16\.0\.0\/12/])
  t.same(startupWarnings(testConfig({ OIDC_ISSUER: 'https://sso.example.org', OIDC_AUDIENCE: 'a', TRUST_PROXY: 'loopback' }), 1), [])
})
