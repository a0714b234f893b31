/**
 * A client that sends its body a byte at a time is cut off within the request timeout. Only a real
 * socket shows it: app.inject has no clock between bytes.
 */
import t from 'tap'
import { connect } from 'node:net'
import Fastify from 'fastify'
import app, { REQUEST_TIMEOUT_MS, serverOptions } from '../../src/app.js'
import { testConfig } from '../helper.js'

const TIMEOUT = 1500

t.test('a body sent a byte a second is cut off within the request timeout', async t => {
  const config = testConfig()
  const fastify = Fastify(serverOptions(config, false, TIMEOUT))
  await fastify.register(app, { config })
  const address = await fastify.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => fastify.close())

  const socket = connect(Number(new URL(address).port), '127.0.0.1')
  const started = Date.now()
  socket.write(`POST /tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${config.developmentApiKey}\r\n` +
    'Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{"room":')
  const drip = setInterval(() => socket.write(' '), 1000)
  t.teardown(() => { clearInterval(drip); socket.destroy() })
  let answer = ''
  socket.setEncoding('utf8').on('data', chunk => { answer += chunk })
  // Bounded: if nothing cuts the client off, the test fails after 3 timeouts instead of hanging.
  const closedAfter = await new Promise<number>(resolve => {
    socket.on('close', () => resolve(Date.now() - started))
    setTimeout(() => resolve(Infinity), 3 * TIMEOUT + 2000)
  })
  t.ok(closedAfter >= TIMEOUT - 100, `not before the timeout (${closedAfter} ms)`)
  t.ok(closedAfter < TIMEOUT + 1500, `within the timeout and one check interval (${closedAfter} ms)`)
  t.match(answer, /^HTTP\/1\.1 408 /, 'answered 408 Request Timeout')
})

t.test('the service\'s own timeout reaches the HTTP server it creates', async t => {
  const config = testConfig()
  t.equal(REQUEST_TIMEOUT_MS, 10_000)
  const options = serverOptions(config)
  t.equal(options.requestTimeout, REQUEST_TIMEOUT_MS)
  t.same(options.http, { requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000 })
  const fastify = Fastify(options)
  t.teardown(() => fastify.close())
  t.equal(fastify.server.requestTimeout, REQUEST_TIMEOUT_MS)
})
