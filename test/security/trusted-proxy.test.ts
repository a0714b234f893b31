/**
 * Behind a reverse proxy every request comes from the proxy's address: the failed-authentication budget
 * must still lock out only the failing client, never a caller with a valid key, and X-Forwarded-For
 * must count only when it comes from a proxy named in TRUST_PROXY.
 */
import t from 'tap'
import { ConfigError } from '../../src/config.js'
import { bearer, build, testConfig, writeClientsFile } from '../helper.js'

const PROXY = '172.18.0.2'
const room = { room: 'r' }

function clients () {
  return writeClientsFile([{ id: 'lms', grants: { rooms: ['*'] } }])
}

t.test('behind a trusted proxy, 20 bad keys from one client lock out that client only', async t => {
  const { file, keys } = clients()
  const { app, logs } = await build(t, testConfig({ CLIENTS_FILE: file, TRUST_PROXY: `${PROXY}` }))
  const via = (client: string, key: string) => app.inject({
    method: 'POST', url: '/tokens', remoteAddress: PROXY, headers: { ...bearer(key), 'x-forwarded-for': client }, payload: room
  })
  for (let i = 0; i < 20; i++) t.equal((await via('203.0.113.66', 'jts_guess' + i)).statusCode, 401)
  const locked = await via('203.0.113.66', 'jts_guess')
  t.equal(locked.statusCode, 429, 'the guessing client is over its budget')
  t.ok(Number(locked.headers['retry-after']) > 0)
  t.equal((await via('198.51.100.7', 'jts_wrong')).statusCode, 401, 'another client behind the same proxy still has its own budget')
  t.equal((await via('198.51.100.7', keys.lms!)).statusCode, 201, 'and a valid key passes')

  const refused = logs.filter(line => line.event === 'token.refused')
  t.equal(refused[0]?.ip, '203.0.113.66', 'refusal audit lines carry the real client address')
  t.equal(logs.find(line => line.event === 'token.issued')?.ip, '198.51.100.7', 'so do issuance audit lines')
})

t.test('a valid key is never refused by the failure budget, even from an address that spent it', async t => {
  const { file, keys } = clients()
  // No TRUST_PROXY behind a proxy: every caller shares the proxy's address and its budget.
  const { app } = await build(t, testConfig({ CLIENTS_FILE: file, AUTH_FAILURE_LIMIT: '3' }))
  const post = (key: string) => app.inject({ method: 'POST', url: '/tokens', remoteAddress: PROXY, headers: bearer(key), payload: room })
  for (let i = 0; i < 3; i++) t.equal((await post('jts_guess' + i)).statusCode, 401)
  t.equal((await post('jts_guess')).statusCode, 429)
  t.equal((await post(keys.lms!)).statusCode, 201, 'a valid key passes although the address is over its budget')
  t.equal((await post('jts_guess')).statusCode, 429, 'and does not reset the budget')
  t.equal((await app.inject({ method: 'POST', url: '/tokens', remoteAddress: PROXY, payload: room })).statusCode, 401, 'no credential at all is a 401, not counted')
})

t.test('without TRUST_PROXY, X-Forwarded-For changes nothing', async t => {
  const { file } = clients()
  const { app, logs } = await build(t, testConfig({ CLIENTS_FILE: file, AUTH_FAILURE_LIMIT: '2' }))
  const spoof = (i: number) => app.inject({
    method: 'POST', url: '/tokens', remoteAddress: '192.0.2.10', headers: { ...bearer('jts_guess'), 'x-forwarded-for': `10.9.9.${i}` }, payload: room
  })
  const statuses = []
  for (let i = 0; i < 4; i++) statuses.push((await spoof(i)).statusCode)
  t.same(statuses, [401, 401, 429, 429], 'a fresh forwarded address per request does not buy a fresh budget')
  t.equal(logs.find(line => line.event === 'token.refused')?.ip, '192.0.2.10', 'the audit line names the socket\'s address')
})

t.test('a forwarded address counts only from a trusted proxy', async t => {
  const { file } = clients()
  const { app, logs } = await build(t, testConfig({ CLIENTS_FILE: file, AUTH_FAILURE_LIMIT: '1', TRUST_PROXY: '10.0.0.0/8, loopback' }))
  const post = (remoteAddress: string, forwarded: string) => app.inject({
    method: 'POST', url: '/tokens', remoteAddress, headers: { ...bearer('jts_guess'), 'x-forwarded-for': forwarded }, payload: room
  })
  await post('10.1.2.3', '203.0.113.1')
  await post('127.0.0.1', '203.0.113.2')
  await post('192.0.2.99', '203.0.113.3')
  // A client may prepend anything; only the entry the trusted proxy appended is believed.
  await post('10.1.2.3', '203.0.113.1, 203.0.113.4')
  t.same(logs.filter(line => line.event === 'token.refused').map(line => line.ip), ['203.0.113.1', '203.0.113.2', '192.0.2.99', '203.0.113.4'])
  t.same(logs.filter(line => line.event === 'token.refused').map(line => line.status), [401, 401, 401, 401])
})

t.test('a hop count trusts that many proxies in front of the service', async t => {
  const { file } = clients()
  const { app, logs } = await build(t, testConfig({ CLIENTS_FILE: file, TRUST_PROXY: '2' }))
  await app.inject({
    method: 'POST', url: '/tokens', remoteAddress: PROXY, headers: { ...bearer('jts_guess'), 'x-forwarded-for': '1.1.1.1, 203.0.113.9, 10.0.0.5' }, payload: room
  })
  t.equal(logs.find(line => line.event === 'token.refused')?.ip, '203.0.113.9', 'two hops: the CDN\'s entry, not the client-written one')
})

t.test('TRUST_PROXY accepts addresses, CIDR ranges, proxy-addr names and hop counts; anything else names the variable', async t => {
  t.equal(testConfig().trustProxy, undefined, 'unset trusts nobody')
  t.same(testConfig({ TRUST_PROXY: '172.18.0.0/16, ::1,fd00::/8, uniquelocal' }).trustProxy, ['172.18.0.0/16', '::1', 'fd00::/8', 'uniquelocal'])
  t.equal(testConfig({ TRUST_PROXY: ' 1 ' }).trustProxy, 1)
  for (const value of ['true', '*', '0', '10.0.0.0/33', '::1/129', '10.0.0.1/8/8', 'proxy.example.org', '10.0.0.0/abc', ',']) {
    t.throws(() => testConfig({ TRUST_PROXY: value }), ConfigError, value)
    try {
      testConfig({ TRUST_PROXY: value })
    } catch (error) {
      t.equal((error as ConfigError).variable, 'TRUST_PROXY', value)
    }
  }
})

t.test('X-Forwarded-For from a peer TRUST_PROXY does not name: ignored, and said once in the log', async t => {
  const { app, logs } = await build(t, testConfig())
  for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: '/health', headers: { 'x-forwarded-for': '203.0.113.9' } })
  const warnings = logs.filter(line => line.event === 'config.untrusted_proxy')
  t.equal(warnings.length, 1, 'once, not per request')
  t.match(warnings[0], { level: 40, peer: '127.0.0.1', msg: /set TRUST_PROXY/ })
  const { app: trusted, logs: quiet } = await build(t, testConfig({ TRUST_PROXY: 'loopback' }))
  await trusted.inject({ method: 'GET', url: '/health', headers: { 'x-forwarded-for': '203.0.113.9' } })
  t.notOk(quiet.some(line => line.event === 'config.untrusted_proxy'), 'a trusted proxy is what TRUST_PROXY is for')
})
