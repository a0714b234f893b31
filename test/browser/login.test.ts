/**
 * The whole login in Chromium against a real OpenID provider. A stand-in Jitsi origin serves a page
 * that builds tokenAuthUrl exactly as Jitsi's web client does (docs/jitsi.md §11.2, §11.3) and puts
 * this service under /token-service/ as nginx would, so the inline popup and logout iframe talk
 * same-origin as they must. One browser for the file.
 */
import t from 'tap'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { build, decodeJwt } from '../helper.js'
import { browser } from '../support/browser.js'
import { startTestIdp } from '../support/oidc-idp.js'
import { acceptsJoin } from '../support/prosody-verifier.js'
import { loginConfig, PROSODY } from '../login/support.js'

/** The parts of Jitsi's web client that build and use tokenAuthUrl (functions.web.ts, actions.web.ts, uri.ts). */
const CLIENT = String.raw`
const TEMPLATE = location.origin + '/token-service/login?state={state}&code_challenge={code_challenge}&code_challenge_method=S256'
const session = {}
function roomAndTenant () {
  const path = location.pathname.split('/').map(part => part.replace(/[:?#[\]@!$&'()*+,;=></"]/g, '')).join('/')
  const end = path.lastIndexOf('/')
  return { room: path.substring(end + 1), tenant: end > 1 ? path.substring(1, end) : undefined }
}
const backendSafe = room => encodeURIComponent(decodeURIComponent(room).normalize('NFKC').toLowerCase()).toLowerCase()
function hashSettings () {
  const settings = {}
  for (const part of location.hash.substring(1).split('&').filter(Boolean)) {
    const [key, value] = part.split('=')
    if (/^(config|interfaceConfig|iceServers)\./.test(key)) settings[key] = JSON.parse(decodeURIComponent(value))
  }
  return settings
}
async function tokenAuthUrl (inline) {
  const { room, tenant } = roomAndTenant()
  const state = { refreshToken: session.refreshToken, room, roomSafe: backendSafe(room), tenant, 'config.prejoinConfig.enabled': false, ...hashSettings() }
  let url = TEMPLATE.replace('{state}', encodeURIComponent(JSON.stringify(state))).replace('{room}', room)
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  const verifier = Array.from(crypto.getRandomValues(new Uint8Array(64)), byte => chars[byte % chars.length]).join('')
  sessionStorage.setItem('code_verifier', verifier)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)))
  url = url.replace('{code_challenge}', btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''))
  if (inline) url += '&nonce=' + Array.from(crypto.getRandomValues(new Uint8Array(32)), byte => byte.toString(16).padStart(2, '0')).join('')
  return url
}
window.loginRedirect = async () => { location.href = await tokenAuthUrl(false) }
window.loginInline = async () => {
  const popup = window.open(await tokenAuthUrl(true), 'jitsi-login', 'width=500,height=600')
  return new Promise(resolve => window.addEventListener('message', function listener (event) {
    if (event.origin !== location.origin) return
    if (event.data.type !== 'oauth-success' && event.data.type !== 'oauth-error') return
    window.removeEventListener('message', listener)
    popup.close()
    if (event.data.type === 'oauth-success') Object.assign(session, { refreshToken: event.data.refreshToken || session.refreshToken, idToken: event.data.idToken })
    resolve(event.data)
  }))
}
window.logoutInline = () => new Promise(resolve => {
  const iframe = document.createElement('iframe')
  iframe.style.display = 'none'
  iframe.src = location.origin + '/token-service/logout' + (session.idToken ? '?id_token_hint=' + session.idToken : '')
  window.addEventListener('message', function listener (event) {
    if (event.origin !== location.origin || event.data.type !== 'logout-success') return
    window.removeEventListener('message', listener)
    iframe.remove()
    Object.assign(session, { refreshToken: undefined, idToken: undefined })
    resolve(event.data)
  })
  document.body.append(iframe)
})
`

/** Jitsi's origin: the meeting page for any path, and this service under /token-service/ (the nginx location). */
async function jitsiOrigin (t: { teardown: (fn: () => unknown) => void }, service: () => string): Promise<string> {
  const server: Server = createServer((request, response) => {
    if (request.url!.startsWith('/token-service/')) {
      const upstream = httpRequest(`${service()}${request.url!.slice('/token-service'.length)}`, { method: request.method, headers: request.headers }, answer => {
        response.writeHead(answer.statusCode!, answer.headers)
        answer.pipe(response)
      })
      request.pipe(upstream)
      return
    }
    response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>meeting</title><script>${CLIENT}</script>`)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise(resolve => { server.closeAllConnections(); server.close(resolve) }))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function signIn (page: Page, account: string) {
  await page.waitForSelector('input[name=login]')
  await page.fill('input[name=login]', account)
  await page.fill('input[name=password]', 'any password')
  await page.click('button[type=submit]')
}

t.test('Jitsi\'s login in a real browser: redirect, app, inline popup with refresh, logout', async t => {
  let service = ''
  const jitsi = await jitsiOrigin(t, () => service)
  const base = `${jitsi}/token-service`
  const idp = await startTestIdp(t, base)
  const { app } = await build(t, loginConfig(idp, { PUBLIC_URL: jitsi, LOGIN_BASE_URL: base, OIDC_GRANTS: '{"tenants":["*"]}' }))
  service = await app.listen({ host: '127.0.0.1', port: 0 })
  const context = await browser(t)
  context.setDefaultTimeout(15_000)

  await t.test('redirect mode: from the meeting to the IdP and back into the meeting with a token', async t => {
    const page = await context.newPage()
    await page.goto(`${jitsi}/acme/Daily%20Standup#config.startWithAudioMuted=true`)
    await page.evaluate(() => (globalThis as any).loginRedirect())
    await signIn(page, 'alice')
    await page.waitForURL(url => url.pathname === '/acme/Daily%20Standup' && url.searchParams.has('jwt'))
    const verdict = acceptsJoin(undefined, page.url(), PROSODY)
    t.ok(verdict.ok, JSON.stringify(verdict))
    t.match(new URL(page.url()).hash, /config\.startWithAudioMuted=true/, 'the state\'s settings came back in the hash')
    await page.close()
  })

  await t.test('a mobile state ends on a page whose button opens the app with the token', async t => {
    const page = await context.newPage()
    // The apps fill only {state} and {room}, and open the URL in the system browser (§11.2, §11.4).
    const state = { room: 'Daily%20Standup', roomSafe: 'daily%20standup', tenant: 'acme', 'config.prejoinConfig.enabled': false, ios: true }
    await page.goto(`${base}/login?state=${encodeURIComponent(JSON.stringify(state))}&code_challenge={code_challenge}&code_challenge_method=S256`)
    const href = await page.getAttribute('a.button', 'href')
    t.match(href, /^org\.jitsi\.meet:\/\/127\.0\.0\.1:\d+\/acme\/Daily%20Standup\?jwt=/, 'already signed in at the IdP: straight back')
    t.ok(acceptsJoin(undefined, href!.replace('org.jitsi.meet://', 'http://'), PROSODY).ok)
    await page.close()
  })

  await t.test('inline: the popup logs in and posts the token to the meeting; a refresh shows no login page', async t => {
    await context.clearCookies()
    const page = await context.newPage()
    await page.goto(`${jitsi}/Daily%20Standup`)
    const popup = context.waitForEvent('page')
    const result = page.evaluate(() => (globalThis as any).loginInline())
    await signIn(await popup, 'bob')
    const first = await result
    t.equal(first.type, 'oauth-success')
    t.ok(acceptsJoin(first.accessToken, page.url(), PROSODY).ok, 'the posted token joins this room')

    const visited: string[] = []
    const refreshPopup = context.waitForEvent('page').then(popup => popup.on('request', request => visited.push(request.url())))
    const authorizations = idp.requests.get('/auth')
    const second = await page.evaluate(() => (globalThis as any).loginInline())
    await refreshPopup
    t.equal(second.type, 'oauth-success')
    t.equal(idp.requests.get('/auth'), authorizations, 'no authorization request at the IdP')
    t.notOk(visited.some(url => url.startsWith(idp.issuer)), 'the popup never showed the IdP')
    t.not(second.refreshToken, first.refreshToken, 'rotated')
    const [before, after] = [decodeJwt(first.accessToken).payload, decodeJwt(second.accessToken).payload]
    t.same([after.room, after.sub, after.context.user.id], [before.room, before.sub, before.context.user.id])
    t.ok(acceptsJoin(second.accessToken, page.url(), PROSODY).ok)

    // Logout in a hidden iframe: through the IdP's end-session endpoint and back to a page on the Jitsi origin.
    const endSessions = idp.requests.get('/session/end') ?? 0
    t.same(await page.evaluate(() => (globalThis as any).logoutInline()), { type: 'logout-success' })
    t.ok((idp.requests.get('/session/end') ?? 0) > endSessions, 'the IdP session was ended (RP-initiated logout)')
    const again = context.waitForEvent('page')
    const third = page.evaluate(() => (globalThis as any).loginInline())
    await signIn(await again, 'bob')
    t.equal((await third).type, 'oauth-success', 'after logout the IdP asks for the login again')
    await page.close()
  })
})
