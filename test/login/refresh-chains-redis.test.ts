/**
 * Refresh tokens stay single-use whatever Redis does, against a real redis-server and two replicas:
 * shared while Redis is up, each replica's own memory through an outage and a Redis restart that
 * forgot everything (no persistence), and a reuse or a logout revokes the whole login's chain.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { build } from '../helper.js'
import { startTestIdp } from '../support/oidc-idp.js'
import { freePort, startRedis } from '../support/redis-server.js'
import { fullLogin, jitsiState, LOGIN_BASE, loginConfig, loginUrl, postedMessage } from './support.js'

const NONCE = `&nonce=${'c'.repeat(64)}`
const url = (refreshToken?: string) => loginUrl(jitsiState('Daily%20Standup', undefined, refreshToken === undefined ? {} : { refreshToken }), NONCE)
const refresh = async (app: FastifyInstance, token: string) => {
  const res = await app.inject({ url: url(token) })
  return res.statusCode === 200 ? postedMessage(res.body).message : { status: res.statusCode }
}
const shared = async (...apps: FastifyInstance[]) => {
  for (let i = 0; i < 100 && apps.some(app => app.rateLimitStore.state !== 'shared'); i++) await sleep(50)
  return apps.every(app => app.rateLimitStore.state === 'shared')
}

/** A real redis-server and two replicas sharing it, logged in through the test IdP. */
async function replicas (t: Test) {
  const port = await freePort()
  const redis = await startRedis(port)
  t.teardown(() => { redis.kill('SIGKILL') })
  const idp = await startTestIdp(t, LOGIN_BASE)
  const env = { RATE_LIMIT_REDIS_URL: `redis://127.0.0.1:${port}` }
  const one = await build(t, loginConfig(idp, env))
  const two = await build(t, loginConfig(idp, env))
  t.ok(await shared(one.app, two.app))
  return { one, two, redis, port }
}

t.test('across replicas while Redis is up: a replay anywhere revokes the chain everywhere', async t => {
  const { one, two } = await replicas(t)

  const first = postedMessage((await fullLogin(one.app, url())).res.body).message
  const rotated = await refresh(one.app, first.refreshToken)
  t.equal(rotated.type, 'oauth-success')
  t.same(await refresh(two.app, first.refreshToken), { status: 302 }, 'the other replica sends the replay to a real login')
  t.match(two.logs.find(line => line.event === 'login.refresh_refused'), { reason: 'reused' })
  t.same(await refresh(one.app, rotated.refreshToken), { status: 302 }, 'the newer token dies with its chain, at the first replica too')
  t.match(one.logs.filter(line => line.event === 'login.refresh_refused').at(-1), { reason: 'revoked' })

  // Logout ends every chain the person started before it, on every replica.
  const second = postedMessage((await fullLogin(two.app, url())).res.body).message
  await one.app.inject({ url: `/logout?id_token_hint=${second.idToken}` })
  t.same(await refresh(two.app, second.refreshToken), { status: 302 }, 'a login from before the logout is over, at the other replica too')
  await sleep(1000) // a login in the logout's own second counts as logged out too
  const after = postedMessage((await fullLogin(two.app, url())).res.body).message
  t.equal((await refresh(one.app, after.refreshToken)).type, 'oauth-success', 'a login after the logout refreshes')
})

t.test('through a Redis outage and a restart that forgot everything, each replica keeps its own tokens single-use', async t => {
  const started = await replicas(t)
  const { one, two, port } = started
  let redis = started.redis
  t.teardown(() => { redis.kill('SIGKILL') })

  const first = postedMessage((await fullLogin(one.app, url())).res.body).message
  const gen1 = await refresh(one.app, first.refreshToken)
  t.equal(gen1.type, 'oauth-success', 'used before the outage')

  redis.kill('SIGKILL')
  for (let i = 0; i < 100 && one.app.rateLimitStore.state === 'shared'; i++) await sleep(50)
  const gen2 = await refresh(one.app, gen1.refreshToken)
  t.equal(gen2.type, 'oauth-success', 'refreshes go on during the outage, decided by the replica')
  t.same(await refresh(one.app, gen1.refreshToken), { status: 302 }, 'a token used during the outage is refused during it')

  redis = await startRedis(port) // no persistence: Redis knows nothing now
  t.ok(await shared(one.app, two.app))
  t.same(await refresh(one.app, first.refreshToken), { status: 302 }, 'a token used before the outage stays used after it')
  t.same(await refresh(one.app, gen2.refreshToken), { status: 302 }, 'and the replays revoked the chain, here')
  t.same(await refresh(two.app, gen2.refreshToken), { status: 302 }, 'and everywhere, now that Redis is back')
})

t.test('Redis up but refusing writes (out of memory): the replica decides, and still refuses replays', async t => {
  const port = await freePort()
  const redis = await startRedis(port)
  t.teardown(() => { redis.kill('SIGKILL') })
  const idp = await startTestIdp(t, LOGIN_BASE)
  const one = await build(t, loginConfig(idp, { RATE_LIMIT_REDIS_URL: `redis://127.0.0.1:${port}` }))
  t.ok(await shared(one.app))
  const first = postedMessage((await fullLogin(one.app, url())).res.body).message
  await one.app.rateLimitStore.redis!.config('SET', 'maxmemory-policy', 'noeviction')
  await one.app.rateLimitStore.redis!.config('SET', 'maxmemory', '1')
  t.equal((await refresh(one.app, first.refreshToken)).type, 'oauth-success')
  t.same(await refresh(one.app, first.refreshToken), { status: 302 })
})
