/**
 * `check` against a real Prosody (Debian's package) started on loopback for this file, with the test
 * stand-ins for Jitsi's token plugins and jicofo (test/support/prosody/plugins, each says what it stands
 * in for). One Prosody serves four deployments, one VirtualHost each: a correct one, one whose jicofo makes
 * every user owner, one that forgot token_affiliation, and one with the lobby on. Each site's config.js is
 * served as docker-jitsi-meet serves it: a script, not JSON.
 */
import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { createServer as createTcpServer, type Socket } from 'node:net'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { checkCommand } from '../../src/cli/commands/check.js'
import { captureIO, CLI_ENV, CLI_SECRET } from '../cli/cli-io.js'
import { startProsody, type TestProsody } from '../support/prosody/prosody-server.js'
import { freePort } from '../support/redis-server.js'
import { keyFile, rsaKey } from '../keys/fixtures.js'

const SITES = {
  good: { domain: 'good.test' },
  owners: { domain: 'owners.test', focusOwnsEveryUser: true },
  bare: { domain: 'bare.test', withoutTokenAffiliation: true },
  lobby: { domain: 'lobby.test', lobby: true },
  refusing: { domain: 'refusing.test', focusAnswer: 'not-authorized' as const },
  'jicofo-down': { domain: 'down.test', focusAnswer: 'none' as const }
}

let prosody: TestProsody
let web: Server
let webUrl: string
const sockets = new Set<Socket>()

/** docker-jitsi-meet's system-config.js shape, after nginx's SSI: a subdomain variable and concatenation. */
function configJs (domain: string, websocket: string): string {
  return `// Jitsi Meet configuration.
var config = {};
config.hosts = {};
config.hosts.domain = '${domain}';
var subdomain = '';
if (subdomain) { subdomain = subdomain.substring(0, subdomain.length - 1).split('.').join('_').toLowerCase() + '.'; }
config.hosts.muc = 'conference.' + subdomain + '${domain}';
config.websocket = '${websocket}';
config.bosh = '/http-bind';
`
}

// A WebSocket endpoint that accepts the TCP connection and closes it, and one that never answers.
const closing = createTcpServer(socket => { socket.destroy() })
const silent = createTcpServer(socket => { sockets.add(socket) })

t.before(async () => {
  prosody = await startProsody({ appId: CLI_ENV.JWT_APP_ID!, appSecret: CLI_SECRET, sites: Object.values(SITES) })
  closing.listen(0, '127.0.0.1')
  silent.listen(0, '127.0.0.1')
  await Promise.all([once(closing, 'listening'), once(silent, 'listening')])
  const port = (server: { address: () => unknown }) => (server.address() as { port: number }).port
  const pages: Record<string, string> = {
    '/no-websocket/config.js': 'var config = { hosts: { domain: "good.test", muc: "conference.good.test" } };',
    '/wrong-domain/config.js': configJs('nowhere.test', prosody.websocketUrl),
    '/broken/config.js': 'var config = { hosts: ',
    '/endless/config.js': 'var config = {}; while (true) {}',
    '/not-jitsi/config.js': 'var settings = { theme: "dark" };',
    '/closing/config.js': configJs('good.test', `ws://127.0.0.1:${port(closing)}/xmpp-websocket`),
    '/silent/config.js': configJs('good.test', `ws://127.0.0.1:${port(silent)}/xmpp-websocket`)
  }
  for (const [name, site] of Object.entries(SITES)) pages[`/${name}/config.js`] = configJs(site.domain, prosody.websocketUrl)
  web = createHttpServer((request, response) => {
    const page = pages[request.url ?? '']
    response.writeHead(page === undefined ? 404 : 200, { 'content-type': 'application/javascript' }).end(page ?? 'not found')
  }).listen(0, '127.0.0.1')
  await once(web, 'listening')
  webUrl = `http://127.0.0.1:${port(web)}`
})

t.teardown(async () => {
  for (const socket of sockets) socket.destroy()
  await Promise.all([prosody?.stop(), new Promise(resolve => web?.close(resolve)), new Promise(resolve => closing.close(resolve)), new Promise(resolve => silent.close(resolve))])
})

async function check (args: string[], env: Record<string, string> = CLI_ENV) {
  const io = captureIO()
  const status = await checkCommand(env).run(['--settle', '300', ...args], io)
  return { status, out: io.stdout(), err: io.stderr() }
}

const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/

t.test('a deployment that honours the tokens: moderator, participant, wrong room and expired refused', async t => {
  const { status, out } = await check(['--url', `${webUrl}/good`])
  t.equal(status, 0, out)
  t.match(out, /✓ moderator token → moderator: joined as moderator \(affiliation owner\)/)
  t.match(out, /✓ guest token → participant, not moderator: joined as participant \(affiliation member\)/)
  t.match(out, /✓ token for another room → refused: refused at join \(not-allowed: Room and token mismatched\)/)
  t.match(out, /✓ expired token → refused: refused at login \(not-allowed: Not acceptable by exp \(6\d sec since expired\)\)/)
  t.match(out, /XMPP\s+good\.test \(rooms on conference\.good\.test, jicofo focus\.good\.test\)/)
  t.notMatch(out, JWT, 'no token is printed unless asked')
})

t.test('a deployment whose jicofo makes every user owner fails, naming the setting', async t => {
  const { status, out } = await check(['--url', `${webUrl}/owners`])
  t.equal(status, 1)
  t.match(out, /✗ guest token → participant, not moderator: joined as moderator \(affiliation owner\)/)
  t.match(out, /why: the deployment made a guest moderator: jicofo authentication is on \(JICOFO_ENABLE_AUTH/)
  t.match(out, /The deployment does not honour the tokens/)
})

t.test('a deployment without token_affiliation leaves the moderator a participant', async t => {
  const { status, out } = await check(['--url', `${webUrl}/bare`])
  t.equal(status, 1)
  t.match(out, /✗ moderator token → moderator: joined as participant/)
  t.match(out, /why: nothing reads the moderator claim: add token_affiliation to XMPP_MUC_MODULES/)
})

t.test('with the lobby on, the moderator knocks too: the check says so and why', async t => {
  const { status, out } = await check(['--url', `${webUrl}/lobby`])
  t.equal(status, 1)
  t.match(out, /✗ moderator token → moderator: held in the lobby \(registration-required/)
  t.match(out, /why: the lobby held the moderator: .*token_lobby_bypass/)
  t.match(out, /✓ guest token → participant, not moderator: held in the lobby/)
})

t.test('a service whose secret Prosody does not share: every token refused with Prosody\'s reason', async t => {
  const { status, out } = await check(['--url', `${webUrl}/good`], { ...CLI_ENV, JWT_APP_SECRET: 'x'.repeat(64) })
  t.equal(status, 1)
  t.match(out, /✗ moderator token → moderator: refused at login \(not-allowed: Invalid signature\)/)
  t.match(out, /why: Prosody refused this service's token/)
  t.match(out, /✗ guest token → participant, not moderator: refused at login/)
})

t.test('a jicofo that refuses the conference request: every token refused, with its answer', async t => {
  const { status, out } = await check(['--url', `${webUrl}/refusing`])
  t.equal(status, 1)
  t.match(out, /✗ moderator token → moderator: refused at join \(jicofo \(focus\.refusing\.test\) refused the conference request: not-authorized: conference request refused\)/)
  t.match(out, /why: Prosody refused the join/)
})

t.test('--show-tokens prints the tokens; --json carries the outcomes and, unasked, no token', async t => {
  const shown = await check(['--url', `${webUrl}/good`, '--show-tokens'])
  t.match(shown.out, /Tokens used:\n {2}moderator {2}eyJ/)
  const json = await check(['--url', `${webUrl}/good`, '--json'])
  const report = JSON.parse(json.out)
  t.same(report.verdicts.map((verdict: { met: boolean }) => verdict.met), [true, true, true, true])
  t.equal(report.outcomes.guest.role, 'participant')
  t.notMatch(json.out, JWT)
  t.match(JSON.parse((await check(['--url', `${webUrl}/good`, '--json', '--show-tokens'])).out).tokens.guest, JWT)
})

t.test('--websocket replaces config.js\'s WebSocket, as inside docker-jitsi-meet\'s network', async t => {
  const { status, out } = await check(['--websocket', prosody.websocketUrl], { ...CLI_ENV, PUBLIC_URL: `${webUrl}/closing` })
  t.equal(status, 0, out)
  t.match(out, /Jitsi site {3}http:\/\/127\.0\.0\.1:\d+\n/, 'PUBLIC_URL is the default site')
})

t.test('sites that give no verdict: one line, a distinct exit status, no stack', async t => {
  const closedPort = await freePort()
  const cases: Array<[string[], number, RegExp]> = [
    [['--url', `http://127.0.0.1:${closedPort}`], 3, /config\.js: cannot connect \(ECONNREFUSED\)/],
    [['--url', `${webUrl}/missing`], 5, /answered 404: is http:\/\/127\.0\.0\.1:\d+ a Jitsi Meet site\?/],
    [['--url', `${webUrl}/broken`], 5, /config\.js is not a Jitsi configuration that can be read \(Unexpected token/],
    [['--url', `${webUrl}/endless`], 5, /not a Jitsi configuration that can be read \(Script execution timed out/],
    [['--url', `${webUrl}/not-jitsi`], 5, /sets no hosts\.domain and hosts\.muc/],
    [['--url', `${webUrl}/no-websocket`], 5, /offers no XMPP WebSocket .* pass --websocket URL/],
    [['--url', `${webUrl}/good`, '--websocket', `ws://127.0.0.1:${closedPort}/xmpp-websocket`], 3, /the XMPP WebSocket at ws:\/\/127\.0\.0\.1:\d+: cannot connect \(ECONNREFUSED\)/],
    [['--url', `${webUrl}/jicofo-down`, '--timeout', '500'], 7, /jicofo \(focus\.down\.test\) did not answer the conference request within 500 ms/],
    [['--url', `${webUrl}/wrong-domain`], 6, /the XMPP server at ws:\/\/127\.0\.0\.1:\d+ closed the stream \(host-unknown/],
    [['--url', `${webUrl}/closing`], 6, /the XMPP WebSocket at ws:\/\/127\.0\.0\.1:\d+ closed/],
    [['--url', `${webUrl}/silent`, '--timeout', '500'], 7, /the XMPP server at ws:\/\/127\.0\.0\.1:\d+ did not answer within 500 ms/]
  ]
  for (const [args, status, message] of cases) {
    const result = await check(args)
    t.equal(result.status, status, args.join(' '))
    t.match(result.err, message)
    t.equal(result.err.trim().split('\n').length, 1, 'one line')
    t.notMatch(result.err, /\n\s+at /)
  }
})

t.test('a certificate the machine does not trust is a TLS error (exit 4)', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'jts-tls-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' })
  const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_request, response) => response.end()).listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => new Promise(resolve => server.close(resolve)))
  const { status, err } = await check(['--url', `https://localhost:${(server.address() as { port: number }).port}`])
  t.equal(status, 4)
  t.match(err, /TLS failed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/)
})

t.test('usage errors: exit 2 with the usage', async t => {
  const cases: Array<[string[], Record<string, string>, RegExp]> = [
    [['--url', 'ftp://meet.example.org'], CLI_ENV, /--url must be a https or http URL/],
    [['--url', 'meet.example.org'], CLI_ENV, /--url is not a URL/],
    [['--url', webUrl, '--websocket', 'https://x.example'], CLI_ENV, /--websocket must be a wss or ws URL/],
    [['--url', webUrl, '--timeout', '5'], CLI_ENV, /--timeout must be a whole number of milliseconds/],
    [['--nope'], CLI_ENV, /Unknown option/],
    [[], { NODE_ENV: 'test', JWT_APP_ID: 'a', JWT_APP_SECRET: CLI_SECRET }, /give --url \(the Jitsi site\) or set PUBLIC_URL/],
    [['--url', webUrl], { NODE_ENV: 'test', PUBLIC_URL: 'https://meet.example.org' }, /JWT_APP_ID and JWT_APP_SECRET are not set/],
    [['--url', webUrl], { NODE_ENV: 'test', JWT_APP_ID: 'a' }, /JWT_APP_SECRET is not set: tokens from a random development value prove nothing/],
    [['--url', webUrl], { NODE_ENV: 'test', JWT_PROFILE: 'jaas', JAAS_APP_ID: 'vpaas-magic-cookie-0123abcd', JWT_PRIVATE_KEY_FILE: keyFile(rsaKey().pem), JWT_KID: 'key1' }, /check is for self-hosted deployments/]
  ]
  for (const [args, env, message] of cases) {
    const io = captureIO()
    t.equal(await checkCommand(env).run(args, io), 2, args.join(' '))
    t.match(io.stderr(), message)
  }
})

t.test('a configuration that does not load is the CLI\'s error, not a check verdict', async t => {
  await t.rejects(checkCommand({ NODE_ENV: 'test', JAAS_APP_ID: 'vpaas-magic-cookie-0123abcd' }).run(['--url', webUrl], captureIO()), /JWT_PROFILE/)
})
