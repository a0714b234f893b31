import t from 'tap'
import { envWarnings } from '../../src/config/env-warnings.js'
import { startupWarnings } from '../../src/startup-report.js'
import { testConfig } from '../helper.js'

const OURS = ['JWT_APP_SECRET', 'JWT_APP_SECRET_FILE', 'CLIENTS_FILE', 'PUBLIC_URL', 'NODE_ENV', 'JWT_SIGN_TYPE', 'PORT', 'HOST']

t.test('variables meant for us are named with the one meant', async t => {
  const warnings = envWarnings({ JWT_SECRET: 'x', APP_SECRET: 'x', CLIENT_FILE: '/c', JITSI_URL: 'https://m', JWT_APP_SECRT: 'x', PATH: '/bin', HOSTNAME: 'h', PORT: '1' }, OURS, ['development', 'test'])
  t.same(warnings, [
    'JWT_SECRET is not read by this service; did you mean JWT_APP_SECRET? (docs/configuration.md)',
    'APP_SECRET is not read by this service; did you mean JWT_APP_SECRET? (docs/configuration.md)',
    'CLIENT_FILE is not read by this service; did you mean CLIENTS_FILE? (docs/configuration.md)',
    'JITSI_URL is not read by this service; did you mean PUBLIC_URL? (docs/configuration.md)',
    'JWT_APP_SECRT is not read by this service; did you mean JWT_APP_SECRET? (docs/configuration.md)'
  ], 'PATH, HOSTNAME and our own are left alone')
  t.same(envWarnings({ JWT_SECRET: undefined }, OURS, []), [], 'an unset variable is nothing')
})

t.test('NODE_ENV=prod says it runs production rules, and why', async t => {
  t.match(envWarnings({ NODE_ENV: 'prod' }, OURS, ['development', 'test']), [/^NODE_ENV=prod is treated as production: only "development" and "test" get development rules/])
  for (const value of ['production', 'development', 'test']) t.same(envWarnings({ NODE_ENV: value }, OURS, ['development', 'test']), [], value)
})

t.test('the loaded configuration carries them to the start-up warnings, with every other problem', async t => {
  const config = testConfig({ JWT_SECRET: 'a-secret-meant-for-jwt-app-secret', CLIENT_FILE: '/etc/clients.json' })
  t.match(startupWarnings(config, 1), [/^JWT_SECRET .*JWT_APP_SECRET/, /^CLIENT_FILE .*CLIENTS_FILE/])
  t.notMatch(startupWarnings(config, 1).join(' '), /a-secret-meant/, 'never the value')
})
