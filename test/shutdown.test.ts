/** The shutdown steps in-process; test/server/shutdown.test.ts drives them with real signals. */
import t from 'tap'
import { shutDown } from '../src/shutdown.js'
import { build } from './helper.js'

t.test('an uncaught error: not ready at once, logged as fatal, closed without waiting for the drain', async t => {
  const { app, logs } = await build(t)
  t.equal(app.readiness.ready, true)
  // A drain this long would outlast the test's timeout: the error path must not wait for it.
  await shutDown(app, { err: new Error('boom') }, 600_000)
  t.equal(app.readiness.ready, false)
  t.equal(app.readiness.shuttingDown, true)
  t.match(logs, [
    { level: 60, event: 'shutdown', err: { message: 'boom' } },
    { event: 'shutdown.complete' }
  ])
})
