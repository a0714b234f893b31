/**
 * Issue 12 item 1 end to end: no spelling of a room yields the claim "*", a character the web client
 * strips, or a room outside the grant. "plain" has the grant every OIDC user gets by default.
 */
import t from 'tap'
import { OIDC_DEFAULT_GRANTS } from '../../src/oidc/oidc-config.js'
import { bearer, build, decodeJwt, testConfig, writeClientsFile } from '../helper.js'
import { roomFromMeetingUrl } from '../support/web-client-room.js'

const { file, keys } = writeClientsFile([
  { id: 'plain', grants: { ...OIDC_DEFAULT_GRANTS, rooms: [...OIDC_DEFAULT_GRANTS.rooms], features: [] } },
  { id: 'root', grants: { rooms: ['*'], wildcardRoom: true, moderator: true, features: ['*'] } },
  { id: 'sigma', grants: { rooms: ['σ-*'] } }
])
const config = testConfig({ CLIENTS_FILE: file })
const post = (app: Awaited<ReturnType<typeof build>>['app'], client: string, room: string) =>
  app.inject({ method: 'POST', url: '/tokens', headers: bearer(keys[client]), payload: { room } })

t.test('a room that NFKC folds into "*" is refused for everyone, before anything is signed', async t => {
  const { app, logs } = await build(t, config)
  for (const client of ['plain', 'root']) {
    for (const star of ['\uff0a', '\ufe61']) {
      const res = await post(app, client, star)
      t.equal(res.statusCode, 400, `${client}: ${star}`)
      t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
      t.match(res.json().errors, [{ path: 'room', message: /normalises it \(NFKC\) to "\*"/ }])
    }
  }
  t.notOk(logs.some(line => line.event === 'token.issued'), 'no token was issued')
})

t.test('the literal wildcard still needs the grant and never gets a url', async t => {
  const { app } = await build(t, config)
  t.equal((await post(app, 'plain', '*')).statusCode, 403)
  const res = await post(app, 'root', '*')
  t.equal(res.statusCode, 201)
  t.equal(decodeJwt(res.json().token).payload.room, '*')
  t.equal(res.json().url, undefined)
})

t.test('characters folding into stripped ones are refused; the claim is what the client joins', async t => {
  const { app } = await build(t, config)
  for (const room of ['why\uff1f', 'a\uff0fb', 'x\ufe55y', '\uff0e']) t.equal((await post(app, 'plain', room)).statusCode, 400, room)
  const res = await post(app, 'plain', 'ＤＡＩＬＹ Ⅻ')
  t.equal(res.statusCode, 201)
  const claim = decodeJwt(res.json().token).payload.room
  t.equal(claim, 'daily%20xii')
  t.equal(roomFromMeetingUrl(res.json().url).roomNode, claim, 'the web client joins the room the claim names')
})

t.test('a grant pattern covers only rooms whose claim it names (final sigma)', async t => {
  const { app } = await build(t, config)
  t.equal((await post(app, 'sigma', 'Σ-1')).statusCode, 201, 'Σ before a dash lower-cases to σ')
  t.equal((await post(app, 'sigma', 'ς-1')).statusCode, 403, 'ς is another room, though /σ/iu matches it')
})
