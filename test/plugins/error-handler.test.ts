/**
 * The error handler's last resorts: errors no route of ours throws today, but a plugin or a future
 * route might. Internals never reach the body.
 */
import t from 'tap'
import Fastify from 'fastify'
import errorHandler from '../../src/plugins/error-handler.js'

async function app (t: { teardown: (fn: () => unknown) => void }) {
  const fastify = Fastify({ logger: false })
  await fastify.register(errorHandler)
  fastify.get('/boom', async () => { throw new Error('database password is hunter2') })
  fastify.get('/teapot', async () => { throw Object.assign(new Error('short and stout'), { statusCode: 418 }) })
  fastify.get('/syntax', async () => { throw new SyntaxError('Unexpected token') })
  await fastify.ready()
  t.teardown(() => fastify.close())
  return fastify
}

t.test('an unexpected error is a 500 problem without its message', async t => {
  const res = await (await app(t)).inject('/boom')
  t.equal(res.statusCode, 500)
  t.equal(res.json().title, 'Internal Server Error')
  t.match(res.json().detail, /requestId/)
  t.notMatch(res.body, /hunter2/)
})

t.test('another client error keeps its status', async t => {
  const res = await (await app(t)).inject('/teapot')
  t.equal(res.statusCode, 418)
  t.same([res.json().title, res.json().detail], ['Error', 'The request could not be read: short and stout'])
})

t.test('a parser SyntaxError without a status is a 400', async t => {
  const res = await (await app(t)).inject('/syntax')
  t.equal(res.statusCode, 400)
  t.equal(res.json().title, 'Bad Request')
})

t.test('an unknown path is a 404 problem that does not echo the path, which may carry a token', async t => {
  const res = await (await app(t)).inject('/meeting/eyJhbGciOiJIUzI1NiJ9.payload.signature?jwt=also-secret')
  t.equal(res.statusCode, 404)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.equal(res.json().detail, 'No route for GET at this path.')
  t.notMatch(res.body, /eyJ|secret/)
})
