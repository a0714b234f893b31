/**
 * Fleet rate limits against a real redis-server (Debian's package; .ci/run installs it): two
 * instances share one budget; when Redis goes away tokens are still issued and the logs say so;
 * when it returns, sharing resumes.
 */
import t from 'tap'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { bearer, build, testConfig, writeClientsFile } from '../helper.js'
import type { FastifyInstance } from 'fastify'
import { freePort, startRedis } from '../support/redis-server.js'

async function until (condition: () => boolean, what: string) {
  for (let i = 0; i < 200 && !condition(); i++) await sleep(50)
  if (!condition()) throw new Error(`timed out waiting for ${what}`)
}

const { file, keys } = writeClientsFile([{ id: 'lms', grants: { rooms: ['*'] } }])
const issue = (app: FastifyInstance) => app.inject({ method: 'POST', url: '/tokens', headers: bearer(keys.lms), payload: { room: 'r' } })

t.test('two instances share one budget; an outage keeps tokens flowing; sharing resumes', async t => {
  const port = await freePort()
  let redis = await startRedis(port)
  t.teardown(() => { redis.kill('SIGKILL') })
  const config = testConfig({ CLIENTS_FILE: file, RATE_LIMIT_MAX: '4', RATE_LIMIT_REDIS_URL: `redis://127.0.0.1:${port}` })
  const a = await build(t, config)
  const b = await build(t, config)
  await until(() => a.app.rateLimitStore.state === 'shared' && b.app.rateLimitStore.state === 'shared', 'both instances to reach Redis')

  const statuses = []
  for (const app of [a.app, b.app, a.app, b.app, a.app, b.app]) statuses.push((await issue(app)).statusCode)
  t.same(statuses, [201, 201, 201, 201, 429, 429], 'four requests in all, whichever instance takes them')

  redis.kill('SIGKILL')
  await once(redis, 'exit')
  await until(() => a.app.rateLimitStore.state === 'unavailable', 'the outage to be noticed')
  t.equal((await issue(a.app)).statusCode, 201, 'tokens are still issued without Redis')
  t.equal((await issue(a.app)).statusCode, 201)
  t.ok(a.logs.some(line => line.event === 'rate_limit.unshared' && line.level === 40), 'the outage is logged as a warning')
  t.equal(a.logs.filter(line => line.event === 'rate_limit.unshared').length, 1, 'once, not on every retry')

  redis = await startRedis(port)
  await until(() => a.app.rateLimitStore.state === 'shared' && b.app.rateLimitStore.state === 'shared', 'reconnection')
  const after = []
  for (const app of [b.app, a.app, b.app, a.app, b.app]) after.push((await issue(app)).statusCode)
  t.same(after, [201, 201, 201, 201, 429], 'a fresh Redis: one shared budget again')
  t.notOk(a.rawLogs().includes(`redis://127.0.0.1:${port}`) && a.rawLogs().includes('password'), 'no credentials logged')
})

t.test('without Redis, limits are per instance', async t => {
  const config = testConfig({ CLIENTS_FILE: file, RATE_LIMIT_MAX: '1' })
  const a = await build(t, config)
  const b = await build(t, config)
  t.equal(a.app.rateLimitStore.state, 'local')
  t.same([(await issue(a.app)).statusCode, (await issue(b.app)).statusCode, (await issue(a.app)).statusCode], [201, 201, 429])
})

t.test('Redis unreachable from the start: the service starts, issues tokens, and says nothing is shared', async t => {
  const port = await freePort()
  const { app, logs } = await build(t, testConfig({ CLIENTS_FILE: file, RATE_LIMIT_REDIS_URL: `redis://127.0.0.1:${port}` }))
  t.equal(app.rateLimitStore.state, 'unavailable')
  t.equal((await issue(app)).statusCode, 201)
  t.equal(app.readiness.ready, true, 'Redis is not needed to be ready')
  t.notOk(logs.some(line => line.event === 'rate_limit.unshared'), 'no warning about losing what it never had')
})
