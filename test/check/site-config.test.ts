import t from 'tap'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { fetchSiteConfig, parseSiteConfig } from '../../src/check/site-config.js'
import { networkFailure } from '../../src/check/check-failure.js'

const site = new URL('https://meet.example.org/')

t.test('a Debian-install config.js: hosts, a focus of its own, relative WebSocket, tokenAuthUrl', async t => {
  const parsed = parseSiteConfig(`var config = {
    hosts: { domain: 'meet.example.org', muc: 'conference.meet.example.org', focus: 'focus.example.org' },
    websocket: '//meet.example.org/xmpp-websocket', tokenAuthUrl: 'https://meet.example.org/token-service/login?room={room}'
  };`, site)
  t.same(parsed, {
    xmppDomain: 'meet.example.org',
    muc: 'conference.meet.example.org',
    focus: 'focus.example.org',
    websocketUrl: 'wss://meet.example.org/xmpp-websocket',
    tokenAuthUrl: 'https://meet.example.org/token-service/login?room={room}'
  })
  t.equal(parseSiteConfig('var config = { hosts: { domain: "d", muc: "m" }, websocket: "http://x.test/ws" }', site).websocketUrl, 'ws://x.test/ws')
})

t.test('the script reaches nothing of Node, cannot compile strings, and a throw is a readable refusal', async t => {
  t.same(parseSiteConfig('var config = { hosts: { domain: typeof process, muc: typeof require + typeof globalThis.fetch } }', site),
    { xmppDomain: 'undefined', muc: 'undefinedundefined', focus: 'focus.undefined', websocketUrl: undefined, tokenAuthUrl: undefined })
  t.throws(() => parseSiteConfig('var config = { hosts: { domain: "d", muc: this.constructor.constructor("return 1")() } }', site),
    { kind: 'notJitsi', message: /that can be read \(/ })
  t.throws(() => parseSiteConfig('throw new Error("boom")', site), { kind: 'notJitsi', message: /that can be read \(boom\)/ })
  t.throws(() => parseSiteConfig('var config = { toJSON () { return undefined } }', site), { kind: 'notJitsi', message: /sets no hosts\.domain/ })
})

t.test('a site that never finishes its answer, or sends megabytes, is refused in time', async t => {
  const server = createServer((request, response) => {
    if (request.url === '/slow/config.js') return response.writeHead(200)
    response.end('/*' + 'x'.repeat(1024 * 1024 + 10) + '*/')
  }).listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => { server.closeAllConnections(); server.close() })
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  await t.rejects(fetchSiteConfig(new URL(`${base}/slow`), 300), { kind: 'timeout', message: /did not answer within 300 ms/ })
  await t.rejects(fetchSiteConfig(new URL(`${base}/big/`), 3000), { kind: 'notJitsi', message: /larger than 1 MiB/ })
})

t.test('network failures: TLS by code or by message, unreachable otherwise', async t => {
  t.equal(networkFailure({ cause: { code: 'CERT_HAS_EXPIRED' } }, 'x').kind, 'tls')
  t.equal(networkFailure({ message: 'SSL routines: wrong version number' }, 'x').kind, 'tls')
  t.match(networkFailure({}, 'x'), { kind: 'unreachable', message: 'x: cannot connect (no answer)' })
})
