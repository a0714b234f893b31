import t from 'tap'
import { validationProblems } from '../../src/schemas/validation-problems.js'
import { bearer, build, testConfig } from '../helper.js'

// Errors shaped as Ajv reports them (keyword, instancePath as a JSON pointer, params, message).
const error = (keyword: string, instancePath: string, params: Record<string, unknown> = {}, message?: string) => ({ keyword, instancePath, params, message })

t.test('required: the missing field, under its parent', async t => {
  t.same(validationProblems([error('required', '', { missingProperty: 'room' }, 'must have required property \'room\'')]), [{ path: 'room', message: 'is required' }])
  t.same(validationProblems([error('required', '/context/user', { missingProperty: 'id' })]), [{ path: 'context.user.id', message: 'is required' }])
})

t.test('additionalProperties: the unknown field; under features it is an unknown feature name', async t => {
  t.same(validationProblems([
    error('additionalProperties', '/context/user', { additionalProperty: 'nickname' }),
    error('additionalProperties', '/context/features', { additionalProperty: 'teleport' }),
    error('additionalProperties', '', { additionalProperty: 'extra' })
  ]), [
    { path: 'context.user.nickname', message: 'is not a known field' },
    { path: 'context.features.teleport', message: 'is not a known feature name: The feature names are listed in docs/claims.md#contextfeatures' },
    { path: 'extra', message: 'is not a known field' }
  ])
})

t.test('the fix, where there is an obvious one: exp → ttl, features → context.features, near-miss feature names, milliseconds', async t => {
  const problems = validationProblems([
    error('additionalProperties', '', { additionalProperty: 'exp' }),
    error('additionalProperties', '', { additionalProperty: 'features' }),
    error('additionalProperties', '', { additionalProperty: 'moderator' }),
    error('additionalProperties', '/context/features', { additionalProperty: 'screen-share' }),
    error('additionalProperties', '/context/features', { additionalProperty: 'recordin' }),
    error('maximum', '/ttl', { limit: 86400 })
  ], { ttl: 3_600_000 })
  t.match(problems, [
    { path: 'exp', message: /^is not a field: set the lifetime with ttl, in seconds/ },
    { path: 'features', message: /belong in context\.features/ },
    { path: 'moderator', message: /context\.user\.moderator/ },
    { path: 'context.features.screen-share', message: /did you mean "screen-sharing"\?.*docs\/claims\.md#contextfeatures/ },
    { path: 'context.features.recordin', message: /did you mean "recording"/ },
    { path: 'ttl', message: 'must be at most 86400; 3600000 looks like milliseconds: ttl is in seconds (3600 s)' }
  ])
  t.equal(validationProblems([error('maximum', '/ttl', { limit: 86400 })], { ttl: 86_401 })[0]!.message, 'must be at most 86400', 'too long, but not milliseconds')
  t.equal(validationProblems([error('additionalProperties', '/meeting', { additionalProperty: 'exp' })])[0]!.message, 'is not a known field', 'only at the top level')
  t.equal(validationProblems([error('maximum', '/meeting/size', { limit: 5 })], { meeting: { size: 60_000 } })[0]!.message, 'must be at most 5', 'milliseconds are a ttl matter only')
})

t.test('enum: the allowed values, as JSON', async t => {
  t.same(validationProblems([error('enum', '/context/features/recording', { allowedValues: [true, false, 'true', 'false'] }, 'must be equal to one of the allowed values')]),
    [{ path: 'context.features.recording', message: 'must be one of true, false, "true", "false"' }])
})

t.test('pattern, type and other keywords keep Ajv\'s message', async t => {
  t.same(validationProblems([
    error('pattern', '/tenant', { pattern: '^[A-Za-z0-9_-]{1,63}$' }, 'must match pattern "^[A-Za-z0-9_-]{1,63}$"'),
    error('type', '/ttl', { type: 'integer' }, 'must be integer'),
    error('maxLength', '/context/user/name', { limit: 256 }, 'must NOT have more than 256 characters'),
    error('minimum', '/ttl2', { limit: 1 })
  ]), [
    { path: 'tenant', message: 'must match pattern "^[A-Za-z0-9_-]{1,63}$"' },
    { path: 'ttl', message: 'must be integer' },
    { path: 'context.user.name', message: 'must NOT have more than 256 characters' },
    { path: 'ttl2', message: 'is invalid' }
  ])
})

t.test('maximum: the limit', async t => {
  t.same(validationProblems([error('maximum', '/ttl', { limit: 7200, comparison: '<=' }, 'must be <= 7200')]), [{ path: 'ttl', message: 'must be at most 7200' }])
})

t.test('format: our own formats explain the value; others keep Ajv\'s message', async t => {
  t.same(validationProblems([error('format', '/room', { format: 'jitsi-room' }, 'must match format "jitsi-room"')], { room: 'a/b' }),
    [{ path: 'room', message: 'must not contain "/": the Jitsi web client strips :?#[]@!$&\'()*+,;=></" from room URLs' }])
  t.same(validationProblems([error('format', '/room', { format: 'jitsi-room' }, 'must match format "jitsi-room"')]),
    [{ path: 'room', message: 'must match format "jitsi-room"' }], 'without the body')
  t.same(validationProblems([error('format', '/avatar', { format: 'uri' }, 'must match format "uri"')], { avatar: 'x' }),
    [{ path: 'avatar', message: 'must match format "uri"' }])
  t.same(validationProblems([error('format', '/when', { format: 'date-time' })], {}), [{ path: 'when', message: 'is invalid' }])
})

t.test('propertyNames: the offending key, once, though Ajv reports it twice', async t => {
  t.same(validationProblems([
    // The subschema's own error sits on the parent object and carries the key as `propertyName`.
    { ...error('pattern', '/meeting/config', { pattern: '^[A-Za-z]' }, 'must match pattern "^[A-Za-z]"'), propertyName: '1bad' },
    error('propertyNames', '/meeting/config', { propertyName: '1bad' }, 'property name must be valid')
  ]), [{ path: 'meeting.config.1bad', message: 'is not an allowed key' }])
})

t.test('one problem per field: the first message wins', async t => {
  t.same(validationProblems([
    error('type', '/ttl', {}, 'must be integer'),
    error('minimum', '/ttl', {}, 'must be >= 1'),
    error('type', '/room', {}, 'must be string')
  ]), [{ path: 'ttl', message: 'must be integer' }, { path: 'room', message: 'must be string' }])
})

t.test('JSON pointer escapes become plain characters; the root is "(body)"', async t => {
  t.same(validationProblems([error('type', '/meeting/config/a~1b~0c', {}, 'must be string')]), [{ path: 'meeting.config.a/b~c', message: 'must be string' }])
  t.same(validationProblems([error('type', '', { type: 'object' }, 'must be object')]), [{ path: '(body)', message: 'must be object' }])
  t.same(validationProblems([]), [])
})

t.test('through POST /tokens: real Ajv errors become one dotted path per bad field', async t => {
  const config = testConfig({ JWT_MAX_TTL: '7200' })
  const { app } = await build(t, config)
  const res = await app.inject({
    method: 'POST',
    url: '/tokens',
    headers: bearer(config.developmentApiKey),
    payload: {
      room: 'a/b',
      tenant: 'acme.org',
      ttl: 7201,
      context: {
        user: { moderator: 'yes', affiliation: 'boss', 'nick name': 'x' },
        features: { teleport: true, recording: 'on' }
      },
      meeting: { config: { '1bad': true }, colour: 'red' }
    }
  })
  t.equal(res.statusCode, 400)
  const byPath = Object.fromEntries(res.json().errors.map((problem: { path: string, message: string }) => [problem.path, problem.message]))
  t.same(byPath, {
    room: 'must not contain "/": the Jitsi web client strips :?#[]@!$&\'()*+,;=></" from room URLs',
    tenant: 'must match pattern "^[A-Za-z0-9_-]{1,63}$"',
    ttl: 'must be at most 7200',
    'context.user.moderator': 'must be boolean',
    'context.user.affiliation': 'must be one of "owner", "moderator", "teacher", "member"',
    'context.user.nick name': 'is not an allowed key',
    'context.features.teleport': 'is not a known feature name: The feature names are listed in docs/claims.md#contextfeatures',
    'context.features.recording': 'must be one of true, false, "true", "false"',
    'meeting.config.1bad': 'is not an allowed key',
    'meeting.colour': 'is not a known field'
  })
  // Keys go into the link's hash as they are, so one like "x&jwt" must never get through.
  const injected = await app.inject({
    method: 'POST',
    url: '/tokens',
    headers: bearer(config.developmentApiKey),
    payload: { room: 'r', meeting: { config: { 'subject&jwt': 'x', 'a=b': 1, 'ok.key': true } } }
  })
  t.equal(injected.statusCode, 400)
  t.same(injected.json().errors, [
    { path: 'meeting.config.subject&jwt', message: 'is not an allowed key' },
    { path: 'meeting.config.a=b', message: 'is not an allowed key' }
  ])
  const wildcard = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room: '*' } })
  t.equal(wildcard.statusCode, 201, 'the wildcard room is not a room-name error (the grant decides)')
  const missing = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { ttl: 'long' } })
  t.same(missing.json().errors, [{ path: 'room', message: 'is required' }, { path: 'ttl', message: 'must be integer' }])
})
