/**
 * `jitsi-token-service issue`: a token and meeting link from the local configuration, without HTTP.
 * The token is verified by another library (jose), by the doctor and by the Prosody referee.
 */
import t from 'tap'
import { importSPKI, jwtVerify } from 'jose'
import { issueCommand } from '../../src/cli/commands/issue.js'
import { run } from '../../src/cli/main.js'
import { decodeJwt, tempDir } from '../helper.js'
import { keyFile, rsaKey } from '../keys/fixtures.js'
import { acceptsJoin } from '../support/prosody-verifier.js'
import { CLI_ENV, CLI_SECRET, captureIO } from './cli-io.js'

async function issue (args: string[], env: Record<string, string> = CLI_ENV) {
  const io = captureIO()
  const code = await issueCommand(env).run(args, io)
  return { code, stdout: io.stdout(), stderr: io.stderr() }
}

const referee = (url: string, settings = {}) =>
  acceptsJoin(undefined, url, { appId: 'my_app', appSecret: CLI_SECRET, enableDomainVerification: true, xmppDomain: 'meet.jitsi', ...settings })

t.test('prints a token and link Prosody accepts, signed with JWT_APP_SECRET', async t => {
  const { code, stdout, stderr } = await issue(['--room', 'Daily Standup', '--name', 'Alice', '--moderator', '--tenant', 'acme', '--ttl', '600', '--feature', 'recording,screen-sharing', '--id', 'u-1', '--email', 'a@example.org'])
  t.equal(code, 0, stderr)
  const fields = Object.fromEntries(stdout.trim().split('\n').map(line => line.split(/ +/, 2) as [string, string]))
  t.same(Object.keys(fields), ['token', 'url', 'room', 'expiresAt'])
  t.equal(fields.url, `https://meet.example.org/acme/Daily%20Standup?jwt=${fields.token}`)
  t.equal(fields.room, 'daily%20standup')

  const { payload, protectedHeader } = await jwtVerify(fields.token!, new TextEncoder().encode(CLI_SECRET), { algorithms: ['HS256'], issuer: 'my_app', audience: 'jitsi' })
  t.same(protectedHeader, { alg: 'HS256', typ: 'JWT' })
  t.equal(payload.exp! - payload.iat!, 600)
  t.equal(payload.sub, 'acme')
  t.same(payload.context, { user: { id: 'u-1', name: 'Alice', email: 'a@example.org', moderator: true }, features: { recording: 'true', 'screen-sharing': 'true' } })
  t.equal(fields.expiresAt, new Date(payload.exp! * 1000).toISOString())
  t.ok(referee(fields.url!).ok, 'the Prosody referee lets the link join')
})

t.test('--json prints what POST /tokens answers; "*" has no link', async t => {
  const { code, stdout } = await issue(['--room', 'Тест', '--name', 'Bob', '--json'])
  t.equal(code, 0)
  const issued = JSON.parse(stdout)
  t.equal(issued.room, '%d1%82%d0%b5%d1%81%d1%82')
  t.equal(decodeJwt(issued.token).payload.sub, 'meet.jitsi')
  t.equal(decodeJwt(issued.token).payload.exp - decodeJwt(issued.token).payload.iat, 3600, 'JWT_TTL by default')
  t.ok(referee(issued.url).ok)

  const wildcard = await issue(['--room', '*', '--name', 'Ops', '--json'])
  t.equal(wildcard.code, 0)
  t.equal(JSON.parse(wildcard.stdout).url, undefined)
  t.equal(decodeJwt(JSON.parse(wildcard.stdout).token).payload.room, '*')
})

t.test('RS256: signed with the active key, its kid in the header', async t => {
  const key = rsaKey()
  const env = { ...CLI_ENV, JWT_APP_SECRET: '', JWT_SIGN_TYPE: 'RS256', JWT_PRIVATE_KEY_FILE: keyFile(key.pem), JWT_KID: 'my_app/1' }
  const { code, stdout, stderr } = await issue(['--room', 'r', '--name', 'Alice', '--json'], env)
  t.equal(code, 0, stderr)
  const { token, url } = JSON.parse(stdout)
  const { protectedHeader } = await jwtVerify(token, await importSPKI(key.publicPem, 'RS256'), { issuer: 'my_app' })
  t.same(protectedHeader, { alg: 'RS256', typ: 'JWT', kid: 'my_app/1' })
  t.ok(acceptsJoin(undefined, url, { appId: 'my_app', publicKeyPem: key.publicPem, enableDomainVerification: true, xmppDomain: 'meet.jitsi' }).ok)

  const empty = await issue(['--room', 'r', '--name', 'Alice'], { ...CLI_ENV, JWT_APP_SECRET: '', JWT_SIGN_TYPE: 'RS256', JWT_KEYS_DIR: tempDir() })
  t.equal(empty.code, 2)
  t.match(empty.stderr, /no key can sign RS256 tokens: JWT_KEYS_DIR/)
})

t.test('JaaS profile: the AppID is the tenant and the link goes to 8x8.vc', async t => {
  const appId = 'vpaas-magic-cookie-0123abcd'
  const env = { NODE_ENV: 'test', JWT_PROFILE: 'jaas', JAAS_APP_ID: appId, JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().pem), JWT_KID: 'key1' }
  const { code, stdout, stderr } = await issue(['--room', 'Daily Standup', '--name', 'Alice', '--json'], env)
  t.equal(code, 0, stderr)
  const { token, url } = JSON.parse(stdout)
  t.equal(url, `https://8x8.vc/${appId}/Daily%20Standup?jwt=${token}`)
  t.match(decodeJwt(token), { header: { kid: `${appId}/key1` }, payload: { iss: 'chat', sub: appId, context: { features: {} } } })

  const otherTenant = await issue(['--room', 'r', '--name', 'Alice', '--tenant', 'acme'], env)
  t.equal(otherTenant.code, 2)
  t.match(otherTenant.stderr, /tenant JaaS meetings live under the AppID/)
})

t.test('refuses to sign with development defaults, which no Prosody knows', async t => {
  const { code, stderr } = await issue(['--room', 'r', '--name', 'Alice'], { NODE_ENV: 'test' })
  t.equal(code, 2)
  t.match(stderr, /JWT_APP_ID and JWT_APP_SECRET are not set; .* accepted by no Prosody/)
  const one = await issue(['--room', 'r', '--name', 'Alice'], { NODE_ENV: 'test', JWT_APP_ID: 'my_app' })
  t.match(one.stderr, /JWT_APP_SECRET is not set; .*Set it as for Prosody/)
})

t.test('bad options exit 2 with the reason and the usage', async t => {
  const cases: Array<[string[], RegExp]> = [
    [['--name', 'Alice'], /--room and --name are required/],
    [['--room', 'what?', '--name', 'A'], /--room must not contain "\?"/],
    [['--room', 'r', '--name', 'A', '--tenant', 'acme.org'], /--tenant must be/],
    [['--room', 'r', '--name', 'A', '--ttl', '999999'], /--ttl must be a whole number of seconds from 1 to 86400/],
    [['--room', 'r', '--name', 'A', '--ttl', '1.5'], /--ttl must be/],
    [['--room', 'r', '--name', 'A', '--feature', 'teleport'], /--feature teleport is not a Jitsi feature/],
    [['--room', 'r', '--name', 'A', '--colour', 'red'], /Unknown option '--colour'/]
  ]
  for (const [args, message] of cases) {
    const { code, stderr } = await issue(args)
    t.equal(code, 2, args.join(' '))
    t.match(stderr, message, args.join(' '))
    t.match(stderr, /Usage: jitsi-token-service issue/)
  }
})

t.test('a broken environment is not a usage error: it reaches main, which names the variable', async t => {
  const error = await issueCommand({ NODE_ENV: 'test', JWT_SIGN_TYPE: 'ES256' }).run(['--room', 'r', '--name', 'A'], captureIO()).catch((error: unknown) => error)
  t.match(error, { name: 'ConfigError', variable: 'JWT_SIGN_TYPE' })
})

t.test('listed in the CLI', async t => {
  const io = captureIO()
  t.equal(await run(['--help'], io), 0)
  t.match(io.stdout(), /issue +mint a token and meeting link/)
  t.match(io.stdout(), /doctor +explain whether Jitsi accepts a token/)
})
