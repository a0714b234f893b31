/**
 * Schema errors in an operator's words, for the keywords today's variables do not reach (every
 * minLength is 1 and an empty value means unset) but a variable added later may.
 */
import { Type } from '@sinclair/typebox'
import t from 'tap'
import { envProblems, given } from '../../src/config/env-problems.js'

const error = (variable: string, keyword: string, params: Record<string, unknown> = {}, message?: string) =>
  ({ instancePath: `/${variable}`, keyword, params, message })

t.test('each keyword says what the value must be and what was given', async t => {
  const properties = {
    NAME: Type.String({ minLength: 3 }),
    LABEL: Type.String({ minLength: 1 }),
    CODE: Type.String({ pattern: '^[a-z]+$', description: 'lower-case letters' }),
    OTHER: Type.String({ pattern: '^[a-z]+$' }),
    FLAG: Type.Boolean(),
    ODD: Type.String()
  }
  const env = { NAME: 'ab', LABEL: '', CODE: 'X1', OTHER: 'Y', FLAG: 'maybe', ODD: 'z' }
  t.same(envProblems([
    error('NAME', 'minLength', { limit: 3 }),
    error('LABEL', 'minLength', { limit: 1 }),
    error('CODE', 'pattern', { pattern: '^[a-z]+$' }),
    error('OTHER', 'pattern', { pattern: '^[a-z]+$' }),
    error('FLAG', 'type', { type: 'boolean' }),
    error('ODD', 'format', {}, 'must match format "uri"')
  ], properties, env), [
    { variable: 'NAME', problem: 'must be at least 3 characters (given: "ab")' },
    { variable: 'LABEL', problem: 'must not be empty (given: "")' },
    { variable: 'CODE', problem: 'must be of the documented form (lower-case letters) (given: "X1")' },
    { variable: 'OTHER', problem: 'must be of the documented form (given: "Y")' },
    { variable: 'FLAG', problem: 'must be a boolean (given: "maybe")' },
    { variable: 'ODD', problem: 'must match format "uri" (given: "z")' }
  ])
})

t.test('secrets are described by their length only', async t => {
  for (const name of ['JWT_APP_SECRET', 'METRICS_TOKEN', 'JICOFO_AUTH_PASSWORD', 'JWT_PRIVATE_KEY', 'RATE_LIMIT_REDIS_URL', 'LOGIN_SECRET']) {
    t.equal(given(name, 'hunter2'), 'given: 7 characters', name)
  }
  t.equal(given('JWT_APP_ID', 'my-app'), 'given: "my-app"')
})
