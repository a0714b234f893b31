/**
 * A real browser: a page from an allowed origin gets a token from the service on another port with
 * the user's IdP token and opens the meeting; a page from any other origin is stopped by the browser.
 */
import t from 'tap'
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { build, decodeJwt, testConfig } from '../helper.js'
import { AUDIENCE, startLocalIdp } from '../support/local-idp.js'
import { browser } from '../support/browser.js'

const EXAMPLE = join(import.meta.dirname, '../../examples/frontend')
const FILES: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html'],
  '/jitsi-token.js': ['jitsi-token.js', 'text/javascript']
}

/** Serves examples/frontend (or, as the Jitsi server, a stand-in meeting page) on its own 127.0.0.1 port: one origin. */
async function servePage (t: { teardown: (fn: () => unknown) => void }, meeting = false): Promise<string> {
  const server = createServer((request, response) => {
    if (meeting) return response.writeHead(200, { 'content-type': 'text/html' }).end('<title>meeting</title>')
    const file = FILES[request.url ?? '']
    if (!file) return response.writeHead(404).end()
    response.writeHead(200, { 'content-type': file[1] }).end(readFileSync(join(EXAMPLE, file[0])))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise(resolve => server.close(resolve)))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

t.test('a page from an allowed origin gets a token; another origin is blocked by the browser', async t => {
  const idp = await startLocalIdp(t)
  const allowed = await servePage(t)
  const other = await servePage(t)
  // A stand-in for Jitsi. Not page.route(): with interception on, Playwright answers CORS preflights itself, allowing any origin.
  const jitsi = await servePage(t, true)
  const { app, logs } = await build(t, testConfig({ OIDC_ISSUER: idp.issuer, OIDC_AUDIENCE: AUDIENCE, CORS_ORIGINS: allowed, PUBLIC_URL: jitsi }))
  const service = await app.listen({ host: '127.0.0.1', port: 0 })
  const context = await browser(t)
  const idpToken = await idp.token()

  await t.test('the example page fetches a token and opens the meeting', async t => {
    const page = await context.newPage()
    await page.goto(allowed)
    await page.fill('input[name=service]', service)
    await page.fill('textarea[name=idpToken]', idpToken)
    await page.fill('input[name=room]', 'Daily Standup')
    await page.click('button[type=submit]')
    await page.waitForURL(`${jitsi}/**`)
    const meeting = new URL(page.url())
    t.equal(meeting.pathname, '/Daily%20Standup')
    const { payload } = decodeJwt(meeting.searchParams.get('jwt')!)
    t.same(payload.context.user, { id: 'user-1', name: 'Alice Example', email: 'alice@example.org', avatar: 'https://example.org/alice.png' })
    await page.close()
  })

  await t.test('the allowed page can read why it was refused', async t => {
    const page = await context.newPage()
    await page.goto(allowed)
    const expired = await idp.token({ iat: 1, exp: 2 })
    const refusal = await page.evaluate(async ([service, token]) => {
      // @ts-expect-error: the example's module, loaded by the page from its own origin
      const { fetchJitsiToken } = await import('./jitsi-token.js')
      return fetchJitsiToken(service, token, { room: 'r' }).then(() => 'accepted', (error: { status: number, message: string }) => `${error.status} ${error.message}`)
    }, [service, expired])
    t.equal(refusal, '401 The identity-provider token has expired.')
    await page.close()
  })

  await t.test('a page from another origin cannot call the service', async t => {
    const page = await context.newPage()
    await page.goto(other)
    await page.fill('input[name=service]', service)
    await page.fill('textarea[name=idpToken]', idpToken)
    const issuedBefore = logs.filter(line => line.event === 'token.issued').length
    const linesBefore = logs.length
    await page.click('button[type=submit]')
    await page.waitForSelector('#output:has-text("Could not reach")')
    t.match(await page.textContent('#output'), /Could not reach the token service: Failed to fetch/)
    t.equal(page.url(), `${other}/`, 'no meeting was opened')
    t.equal(logs.filter(line => line.event === 'token.issued').length, issuedBefore, 'no token was issued')
    t.same(logs.slice(linesBefore).map(line => `${line.method} ${line.path}`), ['OPTIONS /tokens'],
      'the browser asked (preflight), got no Access-Control-Allow-Origin and never sent the POST')
    await page.close()
  })
})

t.test('preflight for POST /tokens with Authorization and Content-Type', async t => {
  const origin = 'https://app.example.org'
  const { app } = await build(t, testConfig({ CORS_ORIGINS: `${origin},https://admin.example.org` }))
  const preflight = (from: string) => app.inject({
    method: 'OPTIONS',
    url: '/tokens',
    headers: { origin: from, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' }
  })
  const ok = await preflight(origin)
  t.equal(ok.statusCode, 204)
  t.equal(ok.headers['access-control-allow-origin'], origin)
  t.match(String(ok.headers['access-control-allow-methods']), /POST/)
  t.match(String(ok.headers['access-control-allow-headers']).toLowerCase(), /authorization.*content-type/)
  t.equal(ok.headers['access-control-allow-credentials'], undefined, 'no cookies: the bearer is the credential')
  const refused = await preflight('https://evil.example.org')
  t.equal(refused.headers['access-control-allow-origin'], undefined)
})
