/**
 * Refresh-token replay across replicas, against a real redis-server: with RATE_LIMIT_REDIS_URL a
 * token used at one replica is refused at another; when Redis refuses writes, each replica still
 * catches its own replays.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
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

t.test('a refresh token used at one replica cannot be replayed at another; without Redis writes each replica still catches its own', async t => {
  const port = await freePort()
  const redis = await startRedis(port)
  t.teardown(() => { redis.kill('SIGKILL') })
  const idp = await startTestIdp(t, LOGIN_BASE)
  const env = { RATE_LIMIT_REDIS_URL: `redis://127.0.0.1:${port}` }
  const one = await build(t, loginConfig(idp, env))
  const two = await build(t, loginConfig(idp, env))
  for (let i = 0; i < 100 && (one.app.rateLimitStore.state !== 'shared' || two.app.rateLimitStore.state !== 'shared'); i++) await sleep(50)
  t.equal(two.app.rateLimitStore.state, 'shared')

  const first = postedMessage((await fullLogin(one.app, url())).res.body).message
  const rotated = await refresh(one.app, first.refreshToken)
  t.equal(rotated.type, 'oauth-success')
  t.same(await refresh(two.app, first.refreshToken), { status: 302 }, 'the other replica sends the replay to a real login')
  t.match(two.logs.find(line => line.event === 'login.refresh_refused'), { reason: 'reused' })

  // Redis refuses writes (out of memory): refreshes go on, remembered by the replica itself.
  await one.app.rateLimitStore.redis!.config('SET', 'maxmemory-policy', 'noeviction')
  await one.app.rateLimitStore.redis!.config('SET', 'maxmemory', '1')
  const again = await refresh(two.app, rotated.refreshToken)
  t.equal(again.type, 'oauth-success', 'Redis cannot record it: the replica does')
  t.same(await refresh(two.app, rotated.refreshToken), { status: 302 }, 'and refuses its replay')
})
