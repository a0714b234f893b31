/**
 * Property-based tests of the token doctor (POST /tokens/verify): whatever token a client sends
 * (extreme NumericDates, deep nesting, odd headers, confusable rooms), the answer is a diagnosis or a
 * 400 for a bad room, never a 5xx, and it stays small.
 */
import { createHmac } from 'node:crypto'
import t from 'tap'
import fc from 'fast-check'
import { APP_ID, SECRET, bearer, build, testConfig, writeClientsFile } from '../helper.js'

const RUNS = Math.ceil(Number(process.env.FUZZ_RUNS ?? 3400) / 3)
const { file, keys } = writeClientsFile([{ id: 'backend', grants: { rooms: ['*'] } }])
const config = testConfig({ CLIENTS_FILE: file, RATE_LIMIT_MAX: '10000000', BODY_LIMIT: '1048576' })

const b64 = (json: string) => Buffer.from(json).toString('base64url')
function token (header: string, payload: string, signature: 'good' | 'bad' | 'none'): string {
  const input = `${b64(header)}.${b64(payload)}`
  const sig = signature === 'good' ? createHmac('sha256', SECRET).update(input).digest('base64url') : signature === 'bad' ? 'c2ln' : ''
  return `${input}.${sig}`
}

/** JSON number texts, including those JSON.stringify cannot write (1e400 parses as Infinity). */
const numberText = fc.oneof(
  fc.constantFrom('1e400', '-1e400', '1e308', '-1e308', '-1e20', '8640000000000', '-8640000000001', '100000000000', '99999999999', '9007199254740993', '-0', '5e-324', '0'),
  fc.double().filter(Number.isFinite).map(String),
  fc.integer({ min: -2e9, max: 4e9 }).map(String)
)
const nested = fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom('[', '{"x":')).map(([depth, open]) => `${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}`)
const jsonText = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(value => JSON.stringify(value)) },
  { weight: 2, arbitrary: numberText },
  { weight: 1, arbitrary: nested },
  { weight: 1, arbitrary: fc.constantFrom('"*"', '"daily%20standup"', `"${APP_ID}"`, '"jitsi"', '"meet.jitsi"', '"\\u0000"', '"\\ud800"', 'true', 'null') }
)
const claimsText = fc.dictionary(
  fc.constantFrom('iss', 'aud', 'sub', 'room', 'exp', 'nbf', 'iat', 'context', 'moderator', 'x'),
  jsonText,
  { maxKeys: 8 }
).map(entries => `{${Object.entries(entries).map(([key, value]) => `"${key}":${value}`).join(',')}}`)
const headerText = fc.oneof(
  fc.constant('{"alg":"HS256","typ":"JWT"}'),
  fc.dictionary(fc.constantFrom('alg', 'typ', 'kid'), jsonText, { maxKeys: 3 }).map(entries => `{${Object.entries(entries).map(([key, value]) => `"${key}":${value}`).join(',')}}`)
)
const room = fc.option(fc.oneof(fc.constantFrom('Daily Standup', '\uff0a', 'a\uff0fb', 'İ', '\u212a', '.'), fc.string({ maxLength: 8 })), { nil: undefined })

t.test('any token, room and Prosody: a diagnosis or a 400, never a 5xx, and a small answer', async t => {
  const { app } = await build(t, config, 'silent')
  let diagnosed = 0
  await fc.assert(fc.asyncProperty(headerText, claimsText, fc.constantFrom('good', 'bad', 'none') as fc.Arbitrary<'good' | 'bad' | 'none'>, room, fc.boolean(), async (header, payload, signature, room, rs) => {
    const body = JSON.stringify({ token: token(header, payload, signature), ...(room === undefined ? {} : { room }), ...(rs ? { prosody: { algorithm: 'RS256' } } : {}) })
    const res = await app.inject({ method: 'POST', url: '/tokens/verify', headers: { ...bearer(keys.backend), 'content-type': 'application/json' }, payload: body })
    if (res.statusCode !== 200 && res.statusCode !== 400) throw new Error(`${res.statusCode} for ${body.slice(0, 300)}: ${res.body.slice(0, 200)}`)
    if (res.statusCode === 400 && res.json().errors?.[0]?.path !== 'room') throw new Error(`400 not for the room: ${res.body}`)
    if (res.body.length > 16_384) throw new Error(`${res.body.length}-byte answer for a ${body.length}-byte request`)
    if (res.statusCode === 200) diagnosed++
  }), { numRuns: RUNS })
  t.ok(diagnosed > RUNS / 3, `${diagnosed} diagnoses`)
})
