/** The operations settings: METRICS_TOKEN (also as a file) and the shutdown timings. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { configRefusal, tempDir } from '../helper.js'

const production = {
  NODE_ENV: 'production',
  JWT_APP_ID: 'app',
  JWT_APP_SECRET: 's'.repeat(40),
  PUBLIC_URL: 'https://meet.example.org',
  CLIENTS_FILE: '/dev/null'
}

t.test('shutdown: 5 s drain and 25 s deadline by default, both settable; no drain for Ctrl-C in development', async t => {
  t.same(loadConfig({ ...production, METRICS_PUBLIC: 'true' }).shutdown, { drainMs: 5000, timeoutMs: 25_000 })
  t.same(loadConfig({}).shutdown, { drainMs: 0, timeoutMs: 25_000 }, 'development: nothing to drain for')
  t.same(loadConfig({ SHUTDOWN_DRAIN: '2000' }).shutdown.drainMs, 2000, 'unless asked')
  t.same(loadConfig({ SHUTDOWN_DRAIN: '0', SHUTDOWN_TIMEOUT: '1000' }).shutdown, { drainMs: 0, timeoutMs: 1000 })
})

t.test('a deadline no longer than the drain is refused, naming SHUTDOWN_TIMEOUT', async t => {
  const error = configRefusal({ SHUTDOWN_DRAIN: '30000', SHUTDOWN_TIMEOUT: '30000' })
  t.equal(error.variable, 'SHUTDOWN_TIMEOUT')
  t.match(error.message, 'must be longer than SHUTDOWN_DRAIN (30000 ms)')
  t.equal(configRefusal({ SHUTDOWN_DRAIN: '-1' }).variable, 'SHUTDOWN_DRAIN')
})

t.test('METRICS_TOKEN: optional, read from METRICS_TOKEN_FILE, at least 32 characters in production', async t => {
  t.equal(loadConfig({}).metricsToken, undefined)
  t.equal(loadConfig({ METRICS_TOKEN: 'short-is-fine-in-development' }).metricsToken, 'short-is-fine-in-development')

  const file = join(tempDir(), 'metrics-token')
  const token = 'p'.repeat(40)
  writeFileSync(file, token + '\n')
  t.equal(loadConfig({ ...production, METRICS_TOKEN_FILE: file }).metricsToken, token)

  const weak = configRefusal({ ...production, METRICS_TOKEN: 'p'.repeat(31) })
  t.equal(weak.variable, 'METRICS_TOKEN')
  t.match(weak.message, /31 characters; use at least 32/)
  t.notMatch(weak.message, 'ppp', 'the message does not repeat the secret')
})

t.test('production needs METRICS_TOKEN unless METRICS_PUBLIC=true says /metrics is meant to be open', async t => {
  const missing = configRefusal(production)
  t.equal(missing.variable, 'METRICS_TOKEN')
  t.match(missing.message, /METRICS_TOKEN is required when NODE_ENV=production; or set METRICS_PUBLIC=true/)
  t.equal(loadConfig({ ...production, METRICS_PUBLIC: 'true' }).metricsToken, undefined, 'open, because the operator said so')
  t.equal(configRefusal({ ...production, METRICS_PUBLIC: 'false' }).variable, 'METRICS_TOKEN')
  t.equal(configRefusal({ ...production, METRICS_PUBLIC: 'yes please' }).variable, 'METRICS_PUBLIC', 'only true or false')
  t.equal(loadConfig({ ...production, METRICS_PUBLIC: 'true', METRICS_TOKEN: 'p'.repeat(32) }).metricsToken, 'p'.repeat(32), 'a token set is still required')
  t.equal(loadConfig({}).metricsToken, undefined, 'development: open without saying so')
})
