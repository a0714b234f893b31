import t from 'tap'
import { run } from '../../src/cli/main.js'
import { clientAddCommand } from '../../src/cli/commands/client-add.js'
import { captureIO } from './cli-io.js'
import { findByApiKey, hashApiKey } from '../../src/clients/api-keys.js'
import { parseClients } from '../../src/clients/clients-file.js'

/** Runs the CLI with captured stdout/stderr. */
async function cli (...argv: string[]) {
  let out = ''
  let err = ''
  const code = await run(argv, { out: { write: (text: string) => { out += text } }, err: { write: (text: string) => { err += text } } })
  return { code, out, err }
}

/** stdout of `client add`: the key on the first line, then the JSON entry. */
function parseOutput (out: string) {
  const newline = out.indexOf('\n')
  return { key: out.slice(0, newline), entry: JSON.parse(out.slice(newline + 1)) }
}

t.test('client add prints a new key once, and an entry that holds only its hash', async t => {
  const { code, out, err } = await cli('client', 'add', '--id', 'lms', '--rooms', 'course-*', '--rooms', 'lobby,staff-*',
    '--tenants', 'acme, globex', '--features', 'recording,screen-sharing', '--moderator', '--wildcard-room', '--max-ttl', '7200')
  t.equal(code, 0, err)
  const { key, entry } = parseOutput(out)
  t.match(key, /^jts_[A-Za-z0-9_-]{43}$/)
  t.equal(out.split(key).length - 1, 1, 'the key is printed exactly once, to stdout')
  t.notMatch(err, key, 'never to stderr')
  t.notMatch(JSON.stringify(entry), key, 'the entry does not contain the key')
  t.equal(entry.apiKeySha256, hashApiKey(key).toString('hex'), 'the entry holds the SHA-256 of the key')
  t.same(entry, {
    id: 'lms',
    apiKeySha256: entry.apiKeySha256,
    grants: {
      rooms: ['course-*', 'lobby', 'staff-*'],
      wildcardRoom: true,
      tenants: ['acme', 'globex'],
      moderator: true,
      features: ['recording', 'screen-sharing'],
      maxTtl: 7200
    }
  })
  t.match(err, /shown only now/, 'stderr explains that the key is not shown again')
})

t.test('the printed entry works as a CLIENTS_FILE entry: the key authenticates as that client', async t => {
  const { out } = await cli('client', 'add', '--id', 'crm', '--rooms', 'sales-*')
  const { key, entry } = parseOutput(out)
  const clients = parseClients(JSON.stringify({ clients: [entry] }), 'clients.json')
  t.equal(findByApiKey(key, clients)?.id, 'crm')
  t.same(clients[0]!.grants, { rooms: ['sales-*'], wildcardRoom: false, moderator: false, features: ['*'] })
})

t.test('without options: no rooms, no moderator, and Jitsi\'s own feature defaults', async t => {
  const { code, out, err } = await cli('client', 'add', '--id', 'bare')
  t.equal(code, 0)
  t.same(parseOutput(out).entry.grants, { rooms: [], wildcardRoom: false, moderator: false, features: ['*'] })
  t.match(err, /Guest \(participant\) tokens keep Jitsi's defaults: screen-sharing/)
})

t.test('--features restricts, and says what each role\'s tokens turn on and off', async t => {
  const { err } = await cli('client', 'add', '--id', 'rec', '--moderator', '--features', 'recording')
  t.match(err, /Moderator tokens turn on recording; off: .*screen-sharing.*\(restricted by --features\)/)
  t.match(err, /Guest \(participant\) tokens turn on nothing; off: screen-sharing/)
  const { err: guests } = await cli('client', 'add', '--id', 'guests', '--features', 'screen-sharing,live-translation-subscribe')
  t.match(guests, /Guest \(participant\) tokens turn on screen-sharing, live-translation-subscribe; off: nothing/)
  const { err: all } = await cli('client', 'add', '--id', 'mod', '--moderator')
  t.match(all, /Moderator tokens keep Jitsi's defaults: .*recording/)
})

t.test('CLIENTS_FILE is where the entry goes when --file is not given', async t => {
  const file = `${t.testdir({})}/clients.json`
  const io = captureIO()
  t.equal(await clientAddCommand({ CLIENTS_FILE: file }).run(['--id', 'env'], io), 0)
  t.match(io.stderr(), /Added client "env" to .*clients\.json \(1 client\)/)
})

t.test('each run creates a different key', async t => {
  const first = parseOutput((await cli('client', 'add', '--id', 'a')).out).key
  const second = parseOutput((await cli('client', 'add', '--id', 'a')).out).key
  t.not(first, second)
})

t.test('invalid options exit 2, name the field, and print no key', async t => {
  const cases: Array<[string[], RegExp]> = [
    [['--id', 'has space'], /^Invalid client: id /],
    [['--id', 'lms', '--features', 'recording,teleport'], /^Invalid client: grants\.features\.1 "teleport" is not a known feature/],
    [['--id', 'lms', '--tenants', 'acme.org'], /^Invalid client: grants\.tenants\.0 /],
    [['--id', 'lms', '--max-ttl', 'two hours'], /^Invalid client: grants\.maxTtl /],
    [['--id', 'lms', '--max-ttl', '0'], /^Invalid client: grants\.maxTtl /],
    [['--id', 'lms', '--max-ttl', '1.5'], /^Invalid client: grants\.maxTtl /]
  ]
  for (const [args, message] of cases) {
    const { code, out, err } = await cli('client', 'add', ...args)
    t.equal(code, 2, args.join(' '))
    t.match(err, message)
    t.equal(out, '', 'nothing on stdout, so no key is created')
  }
})

t.test('--id is required', async t => {
  const { code, out, err } = await cli('client', 'add', '--rooms', 'x')
  t.equal(code, 2)
  t.match(err, /^--id is required\nUsage: jitsi-token-service client add --id ID/)
  t.equal(out, '')
})

t.test('an unknown option exits 2 with the parser\'s message', async t => {
  const { code, out, err } = await cli('client', 'add', '--id', 'x', '--room', 'typo')
  t.equal(code, 2)
  t.match(err, /^jitsi-token-service client add: .*'--room'/)
  t.equal(out, '')
})

t.test('an unknown command says so, prints the usage and exits 2; no command or --help exits 0', async t => {
  const cases: Array<[string[], string]> = [[['client', 'frob'], 'client frob'], [['client'], 'client'], [['frobnicate', '--now'], 'frobnicate']]
  for (const [argv, named] of cases) {
    const { code, out, err } = await cli(...argv)
    t.equal(code, 2, argv.join(' '))
    t.match(err, new RegExp(`^jitsi-token-service: unknown command "${named}"\n\nUsage: jitsi-token-service <command> \\[options\\]\n\nCommands:\n {2}client add {7}create an API key`))
    t.equal(out, '')
  }
  for (const argv of [[], ['--help'], ['-h']]) {
    const { code, out, err } = await cli(...argv)
    t.equal(code, 0)
    t.match(out, /client add .*\n(.*\n)*.*keys generate .*\n(.*\n)*.*init .*\n.*doctor .*\n.*issue .*\n.*check .*\n\n.*--help shows its options.*run --rm token-service-cli/)
    t.equal(err, '')
  }
})

t.test('--help on every command prints its options and runs nothing', async t => {
  for (const [argv, usage] of [
    [['client', 'add', '--help'], /^Usage: jitsi-token-service client add --id ID \[--file CLIENTS_FILE\]/],
    [['keys', 'generate', '-h'], /^Usage: jitsi-token-service keys generate \(--dir DIR/],
    [['doctor', '--help'], /^Usage: jitsi-token-service doctor <token \| meeting link>/],
    [['issue', '--room', 'x', '--help'], /^Usage: jitsi-token-service issue --room ROOM --name NAME/]
  ] as Array<[string[], RegExp]>) {
    const { code, out, err } = await cli(...argv)
    t.equal(code, 0, argv.join(' '))
    t.match(out, usage)
    t.equal(err, '')
  }
})
