import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { FULL_GRANTS } from '../../src/clients/grants.js'
import { bearer, build, tempDir, testConfig, writeClientsFile } from '../helper.js'
import { AUDIENCE, startLocalIdp } from '../support/local-idp.js'

interface Sample { name: string, labels: Record<string, string>, value: number }

/** The Prometheus text format, sample lines only. */
function parseMetrics (text: string): Sample[] {
  return text.split('\n').filter(line => line !== '' && !line.startsWith('#')).map(line => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match) throw new Error(`not a sample line: ${line}`)
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(m => [m[1], m[2]]))
    return { name: match[1]!, labels, value: Number(match[3]) }
  })
}

/** Sum of the samples named `name` whose labels include `labels`. */
function total (samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter(s => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0)
}

t.test('counts issued and refused tokens exactly as requested, without adding a log line', async t => {
  const { file, keys } = writeClientsFile([
    { id: 'lms', grants: FULL_GRANTS },
    { id: 'crm', grants: { rooms: ['sales-*'], moderator: false, features: [] } }
  ])
  const { app, logs } = await build(t, testConfig({ CLIENTS_FILE: file, RATE_LIMIT_MAX: '4', BODY_LIMIT: '1024' }))
  const post = (key: string | undefined, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/tokens', headers: { ...(key === undefined ? {} : bearer(key)), ...headers }, payload: payload as string })

  const statuses: number[] = []
  // lms: three tokens and one bad request (4 = its rate limit, so no 429).
  for (const room of ['a', 'b', 'c']) statuses.push((await post(keys.lms!, { room })).statusCode)
  statuses.push((await post(keys.lms!, { room: 'a', ttl: 'long' })).statusCode)
  // crm: one token, then outside its grant, too large, not JSON, and over its limit.
  statuses.push((await post(keys.crm!, { room: 'sales-weekly' })).statusCode)
  statuses.push((await post(keys.crm!, { room: 'sales-weekly', context: { user: { moderator: true } } })).statusCode)
  statuses.push((await post(keys.crm!, { room: 'x'.repeat(2000) })).statusCode)
  statuses.push((await post(keys.crm!, 'room=x', { 'content-type': 'application/x-www-form-urlencoded' })).statusCode)
  statuses.push((await post(keys.crm!, { room: 'sales-weekly' })).statusCode)
  // No key, and a wrong one.
  statuses.push((await post(undefined, { room: 'a' })).statusCode)
  statuses.push((await post('jts_not-a-key', { room: 'a' })).statusCode)
  t.same(statuses, [201, 201, 201, 400, 201, 403, 413, 415, 429, 401, 401])
  // An unknown path must not create a label of its own.
  t.equal((await app.inject({ method: 'GET', url: '/no/such/path' })).statusCode, 404)

  const logLines = logs.length
  const res = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  const samples = parseMetrics(res.body)

  t.equal(total(samples, 'jitsi_tokens_issued_total', { client: 'lms', alg: 'HS256' }), 3)
  t.equal(total(samples, 'jitsi_tokens_issued_total', { client: 'crm', alg: 'HS256' }), 1)
  t.equal(total(samples, 'jitsi_tokens_issued_total'), statuses.filter(s => s === 201).length)
  const refusals = samples.filter(s => s.name === 'jitsi_token_refusals_total').map(s => `${s.labels.reason} ${s.labels.status} ${s.value}`).sort()
  t.same(refusals, [
    'invalid_credentials 401 1',
    'invalid_request 400 1',
    'missing_credentials 401 1',
    'outside_grant 403 1',
    'rate_limited 429 1',
    'too_large 413 1',
    'unsupported_media_type 415 1'
  ])

  // The duration histogram counts every POST /tokens, per status, and no unknown route.
  const counted = (status?: string) => total(samples, 'http_request_duration_seconds_count', { method: 'POST', route: '/tokens', ...(status ? { status_code: status } : {}) })
  t.equal(counted(), statuses.length)
  t.equal(counted('201'), 4)
  t.equal(counted('429'), 1)
  t.equal(samples.filter(s => s.name.startsWith('http_request_duration_seconds') && s.labels.route !== '/tokens').length, 0, 'only routes that exist get a label')
  t.ok(samples.some(s => s.name === 'http_request_duration_seconds_bucket' && s.labels.le === '0.001'), 'buckets fine enough for millisecond issuance')

  // Process metrics.
  for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
    t.ok(samples.some(s => s.name === name), name)
  }

  // One audit line per /tokens request, one access line for the 404: nothing for the counting or the scrape.
  t.equal(logLines, statuses.length + 1)
  t.equal(logs.length, logLines, 'the scrape is not logged at info')
  t.equal(logs.filter(line => line.event === 'token.issued').length, 4)
  t.equal(logs.filter(line => line.event === 'token.refused').length, 7)
})

t.test('with METRICS_TOKEN (here as METRICS_TOKEN_FILE), scrapes need it as a bearer token', async t => {
  const token = 'm'.repeat(20) + Math.random().toString(36).slice(2)
  const file = join(tempDir(), 'metrics-token')
  writeFileSync(file, token + '\n')
  const { app, rawLogs } = await build(t, testConfig({ METRICS_TOKEN_FILE: file }), 'debug')

  const missing = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(missing.statusCode, 401)
  t.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(missing.headers['www-authenticate'], 'Bearer realm="metrics"')
  t.notMatch(missing.body, /jitsi_tokens/)

  const wrong = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(token + 'x') })
  t.equal(wrong.statusCode, 401)
  t.equal(wrong.headers['www-authenticate'], 'Bearer realm="metrics", error="invalid_token"')

  const right = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(token) })
  t.equal(right.statusCode, 200)
  t.match(right.body, /# TYPE jitsi_tokens_issued_total counter/)
  t.notMatch(rawLogs(), token, 'the token never reaches the logs')
})

t.test('without METRICS_TOKEN, /metrics is open', async t => {
  const { app } = await build(t)
  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 200)
})

t.test('IdP users share one bounded label: no metric names a person', async t => {
  const idp = await startLocalIdp(t)
  const { app } = await build(t, testConfig({ OIDC_ISSUER: idp.issuer, OIDC_AUDIENCE: AUDIENCE }))
  for (const sub of ['user-1', 'user-2', 'alice@example.org']) {
    const res = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(await idp.token({ sub })), payload: { room: 'r' } })
    t.equal(res.statusCode, 201, res.body)
  }
  const body = (await app.inject({ method: 'GET', url: '/metrics' })).body
  t.equal(total(parseMetrics(body), 'jitsi_tokens_issued_total', { client: 'oidc' }), 3)
  t.notMatch(body, /user-1|user-2|alice/, 'no sub appears in any label')
})

t.test('guessing METRICS_TOKEN spends the address\'s failed-auth budget: 429 after the limit', async t => {
  const token = 'g'.repeat(40)
  const { app } = await build(t, testConfig({ METRICS_TOKEN: token, AUTH_FAILURE_LIMIT: '3' }))
  const scrape = (key: string, remoteAddress = '192.0.2.5') => app.inject({ method: 'GET', url: '/metrics', headers: bearer(key), remoteAddress })
  t.equal((await scrape('guess-1')).statusCode, 401)
  t.equal((await scrape('guess-2')).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/tokens', headers: bearer('jts_guess'), payload: { room: 'r' }, remoteAddress: '192.0.2.5' })).statusCode, 401,
    'a wrong API key from the same address spends the same budget')
  const limited = await scrape('guess-3')
  t.equal(limited.statusCode, 429)
  t.ok(Number(limited.headers['retry-after']) > 0)
  t.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal((await scrape(token)).statusCode, 200, 'the right token is never refused')
  t.equal((await scrape('guess-4', '192.0.2.6')).statusCode, 401, 'another address has its own budget')
  t.equal((await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.0.2.5' })).statusCode, 401, 'no token at all: 401, not counted')
})

t.test('in production /metrics needs the token; METRICS_PUBLIC=true opens it explicitly', async t => {
  const { file } = writeClientsFile([{ id: 'lms', grants: FULL_GRANTS }])
  const production = { NODE_ENV: 'production', CLIENTS_FILE: file }
  const token = 'p'.repeat(40)
  const closed = await build(t, testConfig({ ...production, METRICS_TOKEN: token }))
  t.equal((await closed.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401)
  t.equal((await closed.app.inject({ method: 'GET', url: '/metrics', headers: bearer(token) })).statusCode, 200)
  const open = await build(t, testConfig({ ...production, METRICS_PUBLIC: 'true' }))
  t.equal((await open.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 200)
})
