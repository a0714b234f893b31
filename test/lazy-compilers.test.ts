/**
 * Route schemas compile on a route's first request (src/lazy-compilers.ts): once, not per request,
 * and a failed validation still reports its errors to Fastify, so clients get the same 400 problems.
 */
import t from 'tap'
import { lazySerializer, lazyValidator } from '../src/lazy-compilers.js'
import { bearer, build, testConfig } from './helper.js'

t.test('a lazy validator compiles on its first call only and passes the errors on', async t => {
  let compiled = 0
  const validate = lazyValidator(() => {
    compiled++
    const fn = Object.assign((data: unknown) => {
      fn.errors = typeof data === 'number' ? null : [{ message: 'must be number' }]
      return typeof data === 'number'
    }, { errors: null as unknown })
    return fn
  })
  t.equal(compiled, 0, 'nothing compiled before the first request')
  t.equal(validate('x'), false)
  t.same(validate.errors, [{ message: 'must be number' }])
  t.equal(validate(1), true)
  t.equal(validate.errors, null)
  t.equal(compiled, 1)
})

t.test('a lazy serializer compiles on its first call only', async t => {
  let compiled = 0
  const serialize = lazySerializer(() => { compiled++; return (data) => JSON.stringify(data) })
  t.equal(compiled, 0)
  t.equal(serialize({ a: 1 }), '{"a":1}')
  t.equal(serialize([2]), '[2]')
  t.equal(compiled, 1)
})

t.test('through the app: the first and later bad bodies get the same 400 field problems', async t => {
  const config = testConfig()
  const { app } = await build(t, config)
  const bad = () => app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room: 'standup', ttl: 'soon' } })
  const first = await bad()
  const second = await bad()
  t.equal(first.statusCode, 400)
  t.match(first.json().errors, [{ path: 'ttl' }])
  t.same(second.json().errors, first.json().errors)
  const good = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room: 'standup' } })
  t.equal(good.statusCode, 201)
  t.same(Object.keys(good.json()).sort(), ['expiresAt', 'room', 'token', 'url'], 'the response serializer keeps only the schema\'s fields')
})
