/**
 * /meetings in Debian's Chromium against the real oidc-provider IdP: sign in, make a meeting, open both
 * links' tokens and check them with the project's Prosody emulation (test/support/prosody-verifier.ts):
 * the host is moderator as the IdP says, the guest joins only this room, only from the start. A form
 * posted from another origin is refused (CSRF); problems appear beside their fields; axe-core finds no
 * serious problem. Screenshots go to test-output/screenshots/.
 */
import { once } from 'node:events'
import { mkdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import t from 'tap'
import { build, decodeJwt } from '../helper.js'
import { loginConfig, PROSODY } from '../login/support.js'
import { browser } from '../support/browser.js'
import { startTestIdp } from '../support/oidc-idp.js'
import { acceptsJoin } from '../support/prosody-verifier.js'
import { freePort } from '../support/redis-server.js'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const shots = 'test-output/screenshots'

async function serious (page: Page): Promise<string[]> {
  return await page.evaluate(`${axeSource}; axe.run().then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))`) as string[]
}

/** datetime-local values in the browser's zone, `minutes` from now. */
const localTime = (page: Page, minutes: number) => page.evaluate((offset) => {
  const at = new Date(Date.now() + offset * 60_000)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`
}, minutes)

async function makeMeeting (page: Page, room: string, startIn: number, endIn: number) {
  await page.fill('#room', room)
  await page.fill('#start', await localTime(page, startIn))
  await page.fill('#end', await localTime(page, endIn))
  await page.fill('#guestName', 'Visitor')
  await page.click('button[type=submit]')
}

t.test('a signed-in person makes a meeting link and a guest invitation that is only good for that meeting', async t => {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const idp = await startTestIdp(t, base)
  const { app, logs } = await build(t, loginConfig(idp, { PUBLIC_URL: 'https://meet.example.org', LOGIN_BASE_URL: base, JWT_MAX_TTL: '90000', OIDC_GRANTS: '{"rooms":["*"],"features":["*"],"maxTtl":90000}' }))
  await app.listen({ host: '127.0.0.1', port })
  const context = await browser(t)
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()

  await page.goto(`${base}/meetings`)
  await page.waitForSelector('input[name=login]')
  t.ok(page.url().startsWith(idp.issuer), 'no session: sent to sign in')
  await page.fill('input[name=login]', 'alice')
  await page.fill('input[name=password]', 'any password')
  await page.click('button[type=submit]')
  await page.waitForSelector('#room')
  t.equal(new URL(page.url()).pathname, '/meetings', 'and back')
  t.match(await page.textContent('main p'), /Signed in as Alice Example/)
  t.same(await serious(page), [], 'the form passes the accessibility scan')

  // Problems beside their fields.
  await makeMeeting(page, 'Physics 101', 60, 30)
  await page.waitForSelector('#end-problem')
  t.equal(await page.getAttribute('#end', 'aria-invalid'), 'true')
  t.match(await page.textContent('#end-problem'), /must be after the start/)
  t.equal(await page.inputValue('#room'), 'Physics 101', 'what was typed is kept')

  // A meeting that starts now.
  await makeMeeting(page, 'Physics 101', 0, 60)
  await page.waitForSelector('#guest-link')
  const hostUrl = await page.inputValue('#host-link')
  const guestUrl = await page.inputValue('#guest-link')
  t.match(hostUrl, /^https:\/\/meet\.example\.org\/Physics%20101\?jwt=/)
  const host = decodeJwt(new URL(hostUrl).searchParams.get('jwt')!).payload
  const guest = decodeJwt(new URL(guestUrl).searchParams.get('jwt')!).payload
  t.equal(host.context.user.moderator, true, 'Alice is a moderator at the IdP, so her link is a moderator\'s')
  t.equal(host.context.user.email, 'alice@example.org')
  t.notOk(guest.context.user.moderator, 'the guest is never moderator')
  t.equal(guest.context.user.name, 'Visitor')
  t.notOk(guest.context.user.email, 'nothing of Alice in the guest token')
  t.equal(guest.room, 'physics%20101')
  t.ok(Math.abs(guest.exp - host.exp) <= 1 && guest.exp - Math.floor(Date.now() / 1000) <= 3600, 'valid until the end')
  t.ok(acceptsJoin(undefined, guestUrl, PROSODY).ok, 'the guest joins this meeting')
  t.ok(acceptsJoin(undefined, hostUrl, PROSODY).ok)
  const elsewhere = acceptsJoin(new URL(guestUrl).searchParams.get('jwt')!, 'https://meet.example.org/Staff', PROSODY)
  t.notOk(elsewhere.ok, 'and no other room')
  t.same(await serious(page), [], 'the links page passes the accessibility scan')
  mkdirSync(shots, { recursive: true })
  for (const [label, width] of [['phone', 390], ['desktop', 1280]] as const) {
    await page.setViewportSize({ width, height: 900 })
    await page.screenshot({ path: `${shots}/meetings-links-${label}.png`, fullPage: true })
  }

  // A meeting tomorrow: the invitation does not open it before then.
  await page.goto(`${base}/meetings`)
  await makeMeeting(page, 'Physics 102', 24 * 60 - 90, 24 * 60 - 30)
  await page.waitForSelector('#guest-link')
  const early = acceptsJoin(undefined, await page.inputValue('#guest-link'), PROSODY)
  t.match(early, { ok: false, reason: /nbf/ }, 'refused before the start')
  t.equal(decodeJwt(new URL(await page.inputValue('#guest-link')).searchParams.get('jwt')!).payload.nbf > Math.floor(Date.now() / 1000) + 22 * 3600, true)

  const issued = logs.filter(line => line.event === 'token.issued')
  t.equal(issued.length, 4, 'two links per meeting, each audited')
  t.ok(issued.every(line => line.via === 'console' && line.client === 'oidc:alice'))
  t.notMatch(JSON.stringify(logs), /eyJ[\w-]+\.eyJ/, 'no token in the logs')

  // A form posted from another origin, with the person's session in the browser: refused, nothing minted.
  const other = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' })
    .end(`<form id="f" method="post" action="${base}/meetings"><input name="room" value="Hijack"><input name="start" value="2026-12-05T10:00"><input name="end" value="2026-12-05T11:00"></form><script>document.getElementById('f').submit()</script>`))
    .listen(0, '127.0.0.1')
  await once(other, 'listening')
  t.teardown(() => new Promise(resolve => { other.closeAllConnections(); other.close(resolve) }))
  const attack = await context.newPage()
  const answered = attack.waitForResponse(response => response.url() === `${base}/meetings` && response.request().method() === 'POST')
  await attack.goto(`http://localhost:${(other.address() as { port: number }).port}/`)
  t.equal((await answered).status(), 403, 'cross-site POST refused')
  t.equal(logs.filter(line => line.event === 'token.issued').length, 4, 'nothing minted')

  // The session gone (expired, or cookies cleared): sign in again, and back to the form.
  await context.clearCookies()
  await page.goto(`${base}/meetings`)
  await page.waitForSelector('input[name=login]')
  await page.fill('input[name=login]', 'bob')
  await page.fill('input[name=password]', 'any password')
  await page.click('button[type=submit]')
  await page.waitForSelector('#room')
  t.match(await page.textContent('main p'), /Signed in as Bob Example/)
  await makeMeeting(page, 'Physics 103', 0, 30)
  await page.waitForSelector('#guest-link')
  t.notOk(decodeJwt(new URL(await page.inputValue('#host-link')).searchParams.get('jwt')!).payload.context.user.moderator, 'Bob is no moderator at the IdP')
})
