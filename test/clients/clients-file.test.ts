import t, { type Test } from 'tap'
import { join } from 'node:path'
import { ClientsFileError, parseClients, readClientsFile } from '../../src/clients/clients-file.js'
import { generateApiKey, hashApiKey } from '../../src/clients/api-keys.js'

const key = generateApiKey()
const hash = hashApiKey(key).toString('hex')
const other = hashApiKey(generateApiKey()).toString('hex')

const entry = (id: unknown, grants: unknown = {}, apiKeySha256: unknown = hash) => ({ id, apiKeySha256, grants })
const json = (clients: unknown[]) => JSON.stringify({ clients })

/** The message parseClients throws for `text`, asserting it is a ClientsFileError. */
function refusal (t: Test, text: string, file = 'clients.json'): string {
  try {
    parseClients(text, file)
  } catch (error) {
    t.type(error, ClientsFileError)
    return (error as Error).message
  }
  t.fail('the file was accepted')
  return ''
}

t.test('a JSON file: every client with its key hash as bytes and its grants, defaults applied', async t => {
  const clients = parseClients(json([
    entry('lms', { rooms: ['course-*'], tenants: ['acme'], moderator: true, features: ['recording'], maxTtl: 7200, wildcardRoom: true }),
    entry('crm', {}, other)
  ]), 'clients.json')
  t.equal(clients.length, 2)
  t.same(clients[0], {
    id: 'lms',
    apiKeySha256: hashApiKey(key),
    grants: { rooms: ['course-*'], tenants: ['acme'], moderator: true, features: ['recording'], maxTtl: 7200, wildcardRoom: true }
  })
  t.same(clients[1]!.grants, { rooms: [], wildcardRoom: false, moderator: false, features: [] }, 'an empty grant allows nothing')
  t.notOk('tenants' in clients[1]!.grants, 'no tenants: only tokens without a tenant')
  t.notOk('maxTtl' in clients[1]!.grants)
  t.ok(Buffer.isBuffer(clients[0]!.apiKeySha256) && clients[0]!.apiKeySha256.length === 32)
  t.same(parseClients(json([]), 'clients.json'), [], 'no clients is a valid (if useless) file')
})

t.test('upper-case hex is the same hash', async t => {
  t.same(parseClients(json([entry('lms', {}, hash.toUpperCase())]), 'c.json')[0]!.apiKeySha256, hashApiKey(key))
})

t.test('YAML when the name ends in .yaml or .yml (any case)', async t => {
  const yaml = `# API clients
clients:
  - id: lms
    apiKeySha256: ${hash}
    grants:
      rooms: ["course-*"]
      tenants: [acme]
      features: [recording, screen-sharing]
`
  for (const file of ['clients.yaml', 'clients.yml', 'CLIENTS.YML']) {
    const [client] = parseClients(yaml, file)
    t.same(client, { id: 'lms', apiKeySha256: hashApiKey(key), grants: { rooms: ['course-*'], tenants: ['acme'], features: ['recording', 'screen-sharing'], wildcardRoom: false, moderator: false } }, file)
  }
  t.match(refusal(t, yaml, 'clients.json'), /^CLIENTS_FILE clients.json: cannot be parsed as JSON: /, 'other names are JSON')
})

t.test('malformed content names the file, the client and the field', async t => {
  const cases: Array<[string, string, string | RegExp]> = [
    ['bad hex', json([entry('lms', {}, 'not-hex')]), 'CLIENTS_FILE clients.json: line 1, column 40: client "lms", field apiKeySha256: must be the SHA-256 of the API key as 64 hex digits'],
    ['short hex', json([entry('lms', {}, hash.slice(2))]), /client "lms", field apiKeySha256: must be the SHA-256/],
    ['missing hash', json([{ id: 'lms', grants: {} }]), /client "lms", field apiKeySha256: must be the SHA-256/],
    ['unknown feature', json([entry('lms', { features: ['recording', 'teleport'] })]), /client "lms", field grants\.features\.1: "teleport" is not a known feature \(use "\*" or one of branding, .*screen-sharing/],
    ['unknown grant field', json([entry('lms', { colour: 'red' })]), 'CLIENTS_FILE clients.json: line 1, column 126: client "lms", field grants.colour: Unexpected property'],
    ['unknown client field', json([{ ...entry('lms'), apiKey: 'jts_oops' }]), /client "lms", field apiKey: Unexpected property/],
    ['bad tenant', json([entry('lms', { tenants: ['acme.org'] })]), /client "lms", field grants\.tenants\.0: /],
    ['bad maxTtl', json([entry('lms', { maxTtl: 0 })]), /client "lms", field grants\.maxTtl: /],
    ['rooms not a list', json([entry('lms', { rooms: 'course-*' })]), /client "lms", field grants\.rooms: Expected array/],
    ['missing grants', json([{ id: 'lms', apiKeySha256: hash }]), /client "lms", field grants: /],
    ['missing id: numbered from 1', json([entry('a'), entry(undefined, {}, other)]), /client #2, field id: /],
    ['id not a string', json([entry(7)]), /client #1, field id: Expected string/],
    ['bad id', json([entry('has space')]), /client "has space", field id: /],
    ['client not an object', json(['lms']), /client #1: Expected object/],
    ['no clients list', '{}', /CLIENTS_FILE clients.json: line 1, column 1: field clients: /],
    ['clients not a list', '{"clients": {}}', /field clients: Expected array/],
    ['unknown top-level field', '{"clients": [], "version": 2}', /field version: Unexpected property/],
    ['not an object', '[]', 'CLIENTS_FILE clients.json: line 1, column 1: the file: Expected object'],
    ['null', 'null', /the file: Expected object/],
    ['bad JSON', '{"clients": [', /^CLIENTS_FILE clients.json: cannot be parsed as JSON: it ends early/],
    ['empty', '', /cannot be parsed/]
  ]
  for (const [why, text, message] of cases) t.match(refusal(t, text), message, why)
  t.match(refusal(t, 'clients: [', 'clients.yaml'), /^CLIENTS_FILE clients.yaml: cannot be parsed as YAML: /, 'bad YAML')
})

t.test('a client id may appear only once', async t => {
  t.equal(refusal(t, json([entry('lms'), entry('lms', {}, other)])), 'CLIENTS_FILE clients.json: client "lms" appears twice')
})

t.test('two clients may not share a key: the first would silently act for both', async t => {
  t.equal(refusal(t, json([entry('lms'), entry('crm', {}, hash.toUpperCase())])),
    'CLIENTS_FILE clients.json: client "crm" has the same apiKeySha256 as client "lms"; give each client its own key')
})

t.test('a malformed file never echoes more than the hashes it holds', async t => {
  const message = refusal(t, json([{ ...entry('lms'), apiKey: key }]))
  t.notMatch(message, key, 'a key pasted by mistake is not repeated in the error')
})

t.test('readClientsFile reads the file from disk', async t => {
  const dir = t.testdir({
    'clients.json': json([entry('lms', { rooms: ['*'] })]),
    'clients.yml': `clients:\n  - id: crm\n    apiKeySha256: ${other}\n    grants: {}\n`
  })
  t.same(readClientsFile(join(dir, 'clients.json')).map(client => client.id), ['lms'])
  t.same(readClientsFile(join(dir, 'clients.yml')).map(client => client.id), ['crm'])
})

t.test('an unreadable file is refused with the file name and the reason', async t => {
  const dir = t.testdir({})
  const missing = join(dir, 'missing.json')
  t.throws(() => readClientsFile(missing), { name: 'ClientsFileError', message: `CLIENTS_FILE ${missing}: cannot be read (ENOENT)` })
  t.throws(() => readClientsFile(dir), { message: `CLIENTS_FILE ${dir}: cannot be read (EISDIR)` }, 'a directory')
})

t.test('a read error without an errno code still gives a message', async t => {
  const { readClientsFile: readWithBrokenFs } = await t.mockImport<typeof import('../../src/clients/clients-file.js')>('../../src/clients/clients-file.js', {
    'node:fs': { readFileSync: () => { throw new Error('device fell off') } }
  })
  t.throws(() => readWithBrokenFs('/etc/clients.json'), { message: 'CLIENTS_FILE /etc/clients.json: cannot be read (error)' })
})

t.test('grants.userClaims: valid custom names load; a bad or known name stops start-up naming it', async t => {
  const [client] = parseClients(json([entry('lms', { userClaims: ['department', 'lms.course', '_x.y-z'] })]), 'clients.json')
  t.same(client!.grants.userClaims, ['department', 'lms.course', '_x.y-z'])
  t.match(refusal(t, json([entry('lms', { userClaims: ['lms:course'] })])), /client "lms", field grants\.userClaims: "lms:course" is not a valid claim name.*no ":", which would be an unbound XML namespace prefix/)
  t.match(refusal(t, json([entry('lms', { userClaims: ['department', '1st'] })])), /client "lms", field grants\.userClaims: "1st" is not a valid claim name/)
  t.match(refusal(t, json([entry('lms', { userClaims: ['has space'] })])), /"has space" is not a valid claim name/)
  t.match(refusal(t, json([entry('lms', { userClaims: ['Moderator'] })])), /"Moderator" is a claim Jitsi reads/)
  t.match(refusal(t, json([entry('lms', { userClaims: ['avatarUrl'] })])), /"avatarUrl" is a claim Jitsi reads/)
  t.match(refusal(t, json([entry('lms', { userClaims: ['x'.repeat(65)] })])), /at most 64/)
})

t.test('every problem at once, each with its line and column, never the text there', async t => {
  const yaml = `clients:
  - id: lms
    apiKeySha256: jts_pasted_the_key_by_mistake
    grants:
      rooms: "course-*"
      features: [recordng]
  - id: crm
    apiKeySha256: ${'a'.repeat(64)}
    grants: { colour: red }
`
  const message = refusal(t, yaml, 'clients.yaml')
  t.match(message, /^CLIENTS_FILE clients.yaml: 4 problems:\n/)
  t.match(message, /line 3, column 19: client "lms", field apiKeySha256: must be the SHA-256/)
  t.match(message, /line 5, column 14: client "lms", field grants\.rooms: Expected array/)
  t.match(message, /line 6, column 18: client "lms", field grants\.features\.0: "recordng" is not a known feature/)
  t.match(message, /line 9, column \d+: client "crm", field grants\.colour: Unexpected property/)
  t.notMatch(message, /jts_pasted/, 'the pasted key is never quoted')
  const wide = json(Array.from({ length: 30 }, (_, index) => entry(`c${index}`, { rooms: 5 })))
  t.match(refusal(t, wide), /^CLIENTS_FILE clients.json: 20 problems:/, 'at most 20 listed')
  t.match(refusal(t, json([entry('lms', { userClaims: ['a:b'] })])), /^CLIENTS_FILE clients.json: line 1, column \d+: client "lms", field grants\.userClaims/)
})

t.test('a rotated-out key is a second entry for its grace period only', async t => {
  const rotated = (expires: string) => json([{ ...entry('lms'), previousApiKeySha256: 'b'.repeat(64), previousKeyExpires: expires }])
  const during = parseClients(rotated(new Date(Date.now() + 60_000).toISOString()), 'clients.json')
  t.same(during.map(client => client.apiKeySha256.toString('hex').slice(0, 4)), [hash.slice(0, 4).toLowerCase(), 'bbbb'])
  t.ok(during[1]!.expiresAt! > Date.now())
  t.equal(parseClients(rotated(new Date(Date.now() - 1000).toISOString()), 'clients.json').length, 1, 'over: the old key is gone')
  t.match(refusal(t, rotated('tomorrow')), /field previousKeyExpires: /)
})
