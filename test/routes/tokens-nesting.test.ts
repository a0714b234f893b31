/**
 * Issue 12 item 5: free-form values are bounded in the schema, so a deeply nested body is a 400
 * with the other bad fields, before anything is signed (it used to overflow the stack: 500).
 */
import t from 'tap'
import { MEETING_CONFIG_DEPTH } from '../../src/schemas/token-request.js'
import { bearer, build, testConfig, writeClientsFile } from '../helper.js'

const { file, keys } = writeClientsFile([{ id: 'root', grants: { rooms: ['*'] } }])
const config = testConfig({ CLIENTS_FILE: file, BODY_LIMIT: '1048576' })

const nested = (depth: number, leaf: string, open = '[', close = ']') => `${open.repeat(depth)}${leaf}${close.repeat(depth)}`
const post = (app: Awaited<ReturnType<typeof build>>['app'], payload: string) =>
  app.inject({ method: 'POST', url: '/tokens', headers: { ...bearer(keys.root), 'content-type': 'application/json' }, payload })

t.test('meeting.config values nest up to the documented depth', async t => {
  const { app } = await build(t, config)
  const res = await post(app, JSON.stringify({ room: 'x', meeting: { config: { buttons: [{ key: 'a', list: ['b'] }] } } }))
  t.equal(res.statusCode, 201, res.body)
  t.match(res.json().url, /#config\.buttons=/)
  t.equal((await post(app, `{"room":"x","meeting":{"config":{"a":${nested(MEETING_CONFIG_DEPTH, '1')}}}}`)).statusCode, 201, `${MEETING_CONFIG_DEPTH} levels`)
})

t.test('one level more is a 400 naming the field, with the other bad fields', async t => {
  const { app, logs } = await build(t, config)
  const res = await post(app, `{"room":"x/y","meeting":{"config":{"a":${nested(MEETING_CONFIG_DEPTH + 1, '1', '{"k":', '}')}}}}`)
  t.equal(res.statusCode, 400)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.json().errors, [{ path: 'room' }, { path: /^meeting\.config\.a(\.k)+$/, message: /nested too deeply/ }])
  t.notOk(logs.some(line => line.event === 'token.issued'))
})

t.test('thousands of levels, of arrays or objects, are a 400, never a 5xx', async t => {
  const { app } = await build(t, config)
  for (const depth of [100, 5000, 50_000]) {
    for (const [open, close] of [['[', ']'], ['{"k":', '}']]) {
      const res = await post(app, `{"room":"x","meeting":{"config":{"a":${nested(depth, '1', open, close)}}}}`)
      t.equal(res.statusCode, 400, `${depth} × ${open}`)
      t.match(res.json().errors, [{ message: /nested too deeply/ }])
    }
  }
})

t.test('meeting.config keys with a __proto__, constructor or prototype segment are 400s', async t => {
  const config = testConfig()
  const { app } = await build(t, config)
  const post = (meetingConfig: object) => app.inject({ method: 'POST', url: '/tokens', headers: bearer(config.developmentApiKey), payload: { room: 'r', meeting: { config: meetingConfig } } })
  for (const key of ['constructor.prototype.polluted', 'toolbar.__proto__.x', 'a.prototype', 'constructor']) {
    const res = await post({ [key]: true })
    t.equal(res.statusCode, 400, key)
    t.match(res.json().errors, [{ path: `meeting.config.${key}` }], key)
  }
  t.equal((await post(JSON.parse('{"__proto__": {"x": 1}}'))).statusCode, 400, 'a bare __proto__ key: refused by the JSON parser already')
  t.equal((await post({ 'toolbar.prototypes': 1, constructors: 2 })).statusCode, 201, 'only whole segments are refused')
})
