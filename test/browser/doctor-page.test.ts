/**
 * The /doctor page in Debian's Chromium (playwright-core): the doctor runs in the page, so the token never
 * leaves it (every request the page makes is recorded), and the same tokens get the same verdicts in the
 * page, the CLI and POST /tokens/verify. An axe-core scan finds no serious problem; screenshots at phone
 * and desktop widths go to test-output/screenshots/ (not committed) for a person to look at.
 */
import { createHmac } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import t from 'tap'
import { doctorCommand } from '../../src/cli/commands/doctor.js'
import { CONSOLE_CSP } from '../../src/routes/doctor-page.js'
import { forgetConsoleBundle, consoleBundle } from '../../src/console/console-bundle.js'
import { captureIO } from '../cli/cli-io.js'
import { APP_ID, SECRET, bearer, build, tempDir, testConfig } from '../helper.js'
import { browser } from '../support/browser.js'

const config = testConfig()
const NOW = () => Math.floor(Date.now() / 1000)
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
function hs (payload: object, secret = SECRET, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}
const claims = (extra: object = {}) => ({ iss: APP_ID, aud: 'jitsi', sub: 'meet.jitsi', room: 'standup', nbf: NOW() - 30, exp: NOW() + 600, context: { user: { name: 'Ada' } }, ...extra })

const CORPUS: Record<string, string> = {
  good: hs(claims()),
  milliseconds: hs(claims({ exp: (NOW() + 600) * 1000 })),
  'empty alg': hs(claims(), SECRET, { alg: '', typ: 'JWT' }),
  'wrong sub': hs(claims({ sub: 'meet.example.org' })),
  expired: hs(claims({ exp: NOW() - 120 })),
  'wrong signature': hs(claims(), 'another-secret')
}

type Verdict = { valid: boolean, checks: Array<[string, string]> }
const outcomeOf = (check: { ok: boolean, blocking: boolean }) => check.ok ? 'pass' : check.blocking ? 'fail' : 'hint'
/** Times move between runs: the wording of time checks may differ by a second, the outcome may not. */
const verdictOf = (diagnosis: { valid: boolean, checks: Array<{ name: string, ok: boolean, blocking: boolean }> }): Verdict =>
  ({ valid: diagnosis.valid, checks: diagnosis.checks.map(check => [check.name, outcomeOf(check)]) })

t.test('the page checks tokens in the browser, as the CLI and the API do, and sends none of them', async t => {
  const { app } = await build(t, config)
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const context = await browser(t)
  const page = await context.newPage()
  const requests: string[] = []
  page.on('request', request => requests.push(`${request.method()} ${request.url()} ${request.postData() ?? ''}`))
  const answer = await page.goto(`${base}/doctor`)
  t.equal(answer?.headers()['content-security-policy'], CONSOLE_CSP)
  await page.waitForSelector('form[data-ready="true"]')
  t.equal(await page.inputValue('#issuers'), APP_ID, 'settings prefilled from the service')
  t.equal(await page.inputValue('#xmpp-domain'), 'meet.jitsi')
  const loaded = requests.length
  t.same(requests.map(line => new URL(line.split(' ')[1]!).pathname).sort(), ['/doctor', '/doctor/app.css', '/doctor/app.js', '/doctor/settings.json'], 'only its own files, once')
  t.notMatch(await (await fetch(`${base}/doctor/settings.json`)).text(), new RegExp(SECRET), 'the service\'s secret is not among the settings')

  await page.fill('#secret', SECRET)
  for (const [name, token] of Object.entries(CORPUS)) {
    await page.fill('#token', token)
    await page.click('button[type=submit]')
    await page.waitForFunction(() => document.querySelectorAll('[data-check]').length > 0)
    const inPage: Verdict = await page.evaluate(() => ({
      valid: document.getElementById('verdict')!.dataset.valid === 'true',
      checks: Array.from(document.querySelectorAll('li[data-check]')).map(item => [(item as HTMLElement).dataset.check!, (item as HTMLElement).dataset.outcome!] as [string, string])
    }))
    const api = await app.inject({ method: 'POST', url: '/tokens/verify', headers: bearer(config.developmentApiKey), payload: { token } })
    const io = captureIO()
    await doctorCommand({ NODE_ENV: 'test', JWT_APP_ID: APP_ID, JWT_APP_SECRET: SECRET, PUBLIC_URL: config.publicUrl }).run([token, '--json'], io)
    t.same(inPage, verdictOf(api.json()), `${name}: the page and the API agree`)
    t.same(inPage, verdictOf(JSON.parse(io.stdout())), `${name}: the page and the CLI agree`)
    await page.evaluate(() => document.getElementById('results')!.replaceChildren())
  }
  t.match(await page.textContent('#verdict'), /✗ Prosody refuses this token: "Invalid signature"/)
  t.equal(requests.length, loaded, 'checking six tokens sent nothing')
  t.notOk(requests.some(line => Object.values(CORPUS).some(token => line.includes(token.split('.')[1]!)) || line.includes(SECRET)), 'no token or secret in any request')

  // A meeting link: the room comes from the link; the table shows times in local time and seconds.
  await page.fill('#token', `${config.publicUrl}/standup?jwt=${CORPUS.good}`)
  await page.click('button[type=submit]')
  await page.waitForSelector('tr[data-claim="exp"]')
  t.match(await page.textContent('tr[data-claim="exp"] td'), /^\d+ \(.+, \d+ s from now\)$/)
  t.match(await page.textContent('tr[data-claim="room"] td:last-child'), /The room the token opens/)
  t.match(await page.textContent('#verdict'), /✓ Prosody accepts this token/)
  await page.fill('#token', '')
  await page.fill('#token', 'https://meet.example.org/standup')
  await page.click('button[type=submit]')
  t.match(await page.textContent('#verdict'), /carries no \?jwt= or #jwt= token/)

  // axe-core, evaluated through the DevTools protocol (the page's CSP forbids injected scripts, rightly).
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
  await page.fill('#token', CORPUS.expired!)
  await page.click('button[type=submit]')
  await page.waitForSelector('li[data-check]')
  const violations = await page.evaluate(`${axeSource}; axe.run().then(result => result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))`) as string[]
  t.same(violations, [], 'no serious accessibility problem')

  const shots = 'test-output/screenshots'
  mkdirSync(shots, { recursive: true })
  for (const [label, width] of [['phone', 390], ['desktop', 1280]] as const) {
    await page.setViewportSize({ width, height: 900 })
    await page.screenshot({ path: `${shots}/doctor-${label}.png`, fullPage: true })
    t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${label}: nothing wider than the screen`)
  }
})

t.test('off with CONSOLE_DOCTOR=false; the script is the built file when there is one', async t => {
  const { app } = await build(t, testConfig({ CONSOLE_DOCTOR: 'false' }))
  t.equal((await app.inject({ method: 'GET', url: '/doctor' })).statusCode, 404)
  const dir = tempDir()
  const { writeFileSync } = await import('node:fs')
  writeFileSync(`${dir}/bundle.js`, 'console.log("built")')
  forgetConsoleBundle()
  t.equal(await consoleBundle(`${dir}/bundle.js`), 'console.log("built")')
  forgetConsoleBundle()
  // What npm run build writes: the same bundle the service builds on demand.
  const { bundleConsole } = await import('../../scripts/console-bundle.mjs')
  await bundleConsole(`${dir}/written.js`)
  t.equal(readFileSync(`${dir}/written.js`, 'utf8'), await consoleBundle(`${dir}/missing.js`))
  forgetConsoleBundle()
})
