/**
 * `client add --file`: the entry lands in the clients file the service reads, next to the others,
 * written atomically; the file stays valid and ids stay unique.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { run } from '../../src/cli/main.js'
import { findByApiKey } from '../../src/clients/api-keys.js'
import { readClientsFile } from '../../src/clients/clients-file.js'
import { captureIO } from './cli-io.js'

async function add (...args: string[]) {
  const io = captureIO()
  const code = await run(['client', 'add', ...args], io)
  return { code, key: io.stdout().trim(), out: io.stdout(), err: io.stderr() }
}

const existing = { id: 'crm', apiKeySha256: 'a'.repeat(64), grants: { rooms: ['sales-*'], wildcardRoom: false, moderator: false, features: [] } }

t.test('the entry is added to a JSON clients file, keeping the others; only the key is printed', async t => {
  const dir = t.testdir({ 'clients.json': JSON.stringify({ clients: [existing] }) })
  const file = join(dir, 'clients.json')
  chmodSync(file, 0o640)
  const { code, key, out, err } = await add('--id', 'lms', '--rooms', 'course-*', '--file', file)
  t.equal(code, 0, err)
  t.match(out, /^jts_[\w-]+\n$/, 'stdout holds the key and nothing else')
  t.match(err, `Added client "lms" to ${file} (2 clients). Send SIGHUP`)
  const clients = readClientsFile(file)
  t.same(clients.map(client => client.id), ['crm', 'lms'])
  t.equal(findByApiKey(key, clients)?.id, 'lms', 'the printed key authenticates as the new client')
  t.same(clients[1]!.grants.rooms, ['course-*'])
  t.equal(statSync(file).mode & 0o777, 0o640, 'the file keeps its permissions')
  t.same(readdirSync(dir), ['clients.json'], 'no temporary file left behind')
  t.notMatch(readFileSync(file, 'utf8'), key, 'the file holds the hash, never the key')
})

t.test('a missing file is created; YAML keeps its comments', async t => {
  const dir = t.testdir({ 'clients.yaml': '# API clients of meet.example.org\nclients:\n  - id: crm # sales team\n    apiKeySha256: ' + 'b'.repeat(64) + '\n    grants: {rooms: ["sales-*"]}\n' })
  const created = join(dir, 'new', 'clients.json')
  mkdirSync(join(dir, 'new'))
  t.equal((await add('--id', 'first', '--file', created)).code, 0)
  t.same(readClientsFile(created).map(client => client.id), ['first'])
  t.equal(statSync(created).mode & 0o777, 0o644)
  const createdYaml = join(dir, 'new', 'clients.yml')
  t.equal((await add('--id', 'second', '--file', createdYaml)).code, 0)
  t.same(readClientsFile(createdYaml).map(client => client.id), ['second'])

  const yaml = join(dir, 'clients.yaml')
  const { code, err } = await add('--id', 'lms', '--file', yaml)
  t.equal(code, 0, err)
  const text = readFileSync(yaml, 'utf8')
  t.match(text, /^# API clients of meet.example.org\n/)
  t.match(text, 'id: crm # sales team')
  t.same(readClientsFile(yaml).map(client => client.id), ['crm', 'lms'])
})

t.test('refused, leaving the file as it was and printing no key: a duplicate id, an invalid or unreadable file', async t => {
  const dir = t.testdir({ 'clients.json': JSON.stringify({ clients: [existing] }), 'broken.json': '{"clients": [{"id": "x"}]}', 'a-directory': {} })
  const before = readFileSync(join(dir, 'clients.json'), 'utf8')
  const cases: Array<[string, RegExp]> = [
    ['clients.json', /already has a client "crm"; choose another --id/],
    ['broken.json', /client "x"/],
    ['a-directory', /cannot be read \(EISDIR\)/]
  ]
  for (const [name, message] of cases) {
    const { code, out, err } = await add('--id', 'crm', '--file', join(dir, name))
    t.equal(code, 2, name)
    t.match(err, message, name)
    t.equal(out, '', 'no key for a client that was not added')
  }
  t.equal(readFileSync(join(dir, 'clients.json'), 'utf8'), before)
  writeFileSync(join(dir, 'ok.json'), '{"clients": []}')
  t.equal((await add('--id', 'crm', '--file', join(dir, 'ok.json'))).code, 0, 'the same id in another file is fine')
  t.match((await add('--id', 'other', '--file', join(dir, 'ok.json'))).err, '(2 clients)')
  t.match((await add('--id', 'third', '--file', join(dir, 'new.json'))).err, '(1 client).')
})
