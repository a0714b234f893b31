/**
 * `client list / show / remove / rotate-key` on a real clients file: comments kept, no key or hash ever
 * printed but a new key once, and the service's own authentication agreeing with the result.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { run } from '../../src/cli/main.js'
import { hashApiKey } from '../../src/clients/api-keys.js'
import { clientCommands } from '../../src/cli/commands/client-manage.js'
import { bearer, build, testConfig } from '../helper.js'
import { captureIO } from './cli-io.js'

async function cli (...args: string[]) {
  const io = captureIO()
  const code = await run(args, io)
  return { code, out: io.stdout(), err: io.stderr() }
}

const KEYS = { lms: 'jts_lms-key-for-the-manage-tests', crm: 'jts_crm-key-for-the-manage-tests' }
const YAML = `# Clients of the school
clients:
  # the learning platform
  - id: lms
    apiKeySha256: ${hashApiKey(KEYS.lms).toString('hex')}
    grants:
      rooms: ["course-*"]
      moderator: true
      features: ["*"]
  - id: crm
    apiKeySha256: ${hashApiKey(KEYS.crm).toString('hex')}
    grants:
      rooms: ["sales-*"]
      maxTtl: 600
`

async function status (file: string, key: string) {
  const { app } = await build(t, testConfig({ CLIENTS_FILE: file }))
  const res = await app.inject({ method: 'POST', url: '/tokens', headers: bearer(key), payload: { room: 'course-1' } })
  await app.close()
  return res.statusCode
}

t.test('list and show: ids and grants, never a key or its hash', async t => {
  const file = join(t.testdir({ 'clients.yaml': YAML }), 'clients.yaml')
  const listed = await cli('client', 'list', '--file', file)
  t.equal(listed.code, 0)
  t.match(listed.out, /^lms\s+rooms course-\*; moderator; features all \(Jitsi's defaults\)\ncrm\s+rooms sales-\*; no moderator; features none; max ttl 600 s\n$/)
  const shown = await cli('client', 'show', 'crm', '--file', file)
  t.same(JSON.parse(shown.out), { id: 'crm', grants: { rooms: ['sales-*'], wildcardRoom: false, moderator: false, features: [], maxTtl: 600 } })
  for (const text of [listed.out, shown.out]) t.notMatch(text, /[0-9a-f]{64}|jts_/)
  t.match(await cli('client', 'show', 'nobody', '--file', file), { code: 2, err: /no client "nobody"/ })
  const [listFromEnv] = clientCommands({ CLIENTS_FILE: file })
  t.equal(await listFromEnv!.run([], captureIO()), 0, 'CLIENTS_FILE by default')
  await t.rejects(clientCommands({})[0]!.run([], captureIO()), /give --file or set CLIENTS_FILE/)
})

t.test('rotate-key: a new key printed once; the old one refused at once, or after --grace', async t => {
  const file = join(t.testdir({ 'clients.yaml': YAML }), 'clients.yaml')
  const now = await cli('client', 'rotate-key', 'crm', '--file', file)
  t.equal(now.code, 0, now.err)
  const fresh = now.out.trim()
  t.match(fresh, /^jts_/)
  t.match(now.err, /The old key is refused once the service has reloaded/)
  t.match(readFileSync(file, 'utf8'), /^# Clients of the school\nclients:\n {2}# the learning platform/, 'comments kept')
  t.equal(await status(file, KEYS.crm), 401, 'old key refused')
  t.equal(await status(file, fresh), 403, 'new key authenticates (and course-1 is outside crm\'s rooms)')

  const graceful = await cli('client', 'rotate-key', 'lms', '--grace', '2h', '--file', file)
  const next = graceful.out.trim()
  t.match(graceful.err, /The old key keeps working until \d{4}-\d{2}-\d{2}T/)
  t.equal(await status(file, KEYS.lms), 201, 'the old key works during the grace period')
  t.equal(await status(file, next), 201)
  t.match((await cli('client', 'show', 'lms', '--file', file)).out, /previous key accepted until/)
  t.equal((await cli('client', 'list', '--file', file)).out.split('\n').filter(line => line.startsWith('lms')).length, 1, 'one line per client')

  // The grace period is checked at each request, not only when the file is read.
  const { app } = await build(t, testConfig({ CLIENTS_FILE: file }))
  writeFileSync(file, readFileSync(file, 'utf8').replace(/previousKeyExpires: .*/, `previousKeyExpires: ${new Date(Date.now() + 300).toISOString()}`))
  app.clients.reload()
  await new Promise(resolve => setTimeout(resolve, 400))
  t.equal((await app.inject({ method: 'POST', url: '/tokens', headers: bearer(KEYS.lms), payload: { room: 'course-1' } })).statusCode, 401, 'refused once the grace period is over')
  t.match(await cli('client', 'rotate-key', 'lms', '--grace', 'soon', '--file', file), { code: 2, err: /--grace takes a duration/ })
})

t.test('JSON files, wildcard and tenant grants, and a missing id', async t => {
  const file = join(t.testdir({ 'clients.json': JSON.stringify({ clients: [{ id: 'ops', apiKeySha256: 'c'.repeat(64), grants: { rooms: [], wildcardRoom: true, tenants: ['acme'], features: ['recording'] } }] }) }), 'clients.json')
  t.match((await cli('client', 'list', '--file', file)).out, /^ops\s+rooms \(none\); wildcard room; tenants acme; no moderator; features recording\n$/)
  const rotated = await cli('client', 'rotate-key', 'ops', '--grace', '30m', '--file', file)
  t.equal(rotated.code, 0)
  t.match(JSON.parse(readFileSync(file, 'utf8')).clients[0], { apiKeySha256: hashApiKey(rotated.out.trim()).toString('hex'), previousApiKeySha256: 'c'.repeat(64), previousKeyExpires: /^\d{4}-/ })
  await cli('client', 'rotate-key', 'ops', '--file', file)
  t.notOk('previousApiKeySha256' in JSON.parse(readFileSync(file, 'utf8')).clients[0], 'a rotation without grace ends the previous one too')
  t.match(await cli('client', 'show', '--file', file), { code: 2, err: /no client ""/ })
  t.match(await cli('client', 'remove', '--file', file), { code: 2, err: /has no client ""/ })
  t.match(await cli('client', 'rotate-key', '--file', file), { code: 2, err: /has no client ""/ }, 'no key is printed for nobody')
})

t.test('remove: the entry goes, the rest of the file stays', async t => {
  const file = join(t.testdir({ 'clients.json': JSON.stringify({ clients: [{ id: 'a', apiKeySha256: 'a'.repeat(64), grants: { rooms: ['*'] } }, { id: 'b', apiKeySha256: 'b'.repeat(64), grants: { rooms: ['*'] } }] }) }), 'clients.json')
  const removed = await cli('client', 'remove', 'a', '--file', file)
  t.equal(removed.code, 0)
  t.match(removed.err, /Removed client "a" .*\(1 left\).*SIGHUP/s)
  t.same(JSON.parse(readFileSync(file, 'utf8')).clients.map((client: { id: string }) => client.id), ['b'])
  t.match(await cli('client', 'remove', 'zzz', '--file', file), { code: 2, err: /has no client "zzz" \(client list shows them\)/ })
  const yamlFile = join(t.testdir({ 'clients.yml': YAML }), 'clients.yml')
  t.equal((await cli('client', 'remove', 'crm', '--file', yamlFile)).code, 0)
  t.match(readFileSync(yamlFile, 'utf8'), /# the learning platform\n {2}- id: lms/)
  t.notMatch(readFileSync(yamlFile, 'utf8'), /crm/)
})
