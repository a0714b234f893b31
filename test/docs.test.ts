/**
 * The docs page in a real browser (Debian's chromium through playwright-core) against the app
 * listening on 127.0.0.1: it loads under its own content security policy without a violation, shows
 * POST /tokens, and "Try it out" with the development API key authorised gets a 201.
 */
import t from 'tap'
import { build, decodeJwt, testConfig } from './helper.js'
import { browser } from './support/browser.js'

t.test('/docs: Try it out on POST /tokens with the development key gets a 201', async t => {
  const config = testConfig()
  const { app, logs } = await build(t, config)
  const origin = await app.listen({ host: '127.0.0.1', port: 0 })
  const context = await browser(t)
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', message => {
    // The browser reports the deliberate 401 below as a failed resource; anything else is a problem.
    if (message.type() === 'error' && !/status of 401/.test(message.text())) problems.push(message.text())
  })
  page.on('pageerror', error => problems.push(error.message))
  const external: string[] = []
  page.on('request', request => { if (!request.url().startsWith(origin)) external.push(request.url()) })

  const docs = await page.goto(`${origin}/docs`)
  t.equal(docs?.status(), 200)
  t.match(docs?.headers()['content-security-policy'], /script-src 'self'/, 'the docs page has its own policy')

  const operation = page.locator('.opblock-post', { has: page.locator('.opblock-summary-path', { hasText: /^\/tokens$/ }) })
  await operation.locator('.opblock-summary').click()
  await operation.locator('button.try-out__btn').click()
  const body = JSON.parse(await operation.locator('textarea.body-param__text').inputValue())
  t.equal(body.room, 'Daily Standup', 'the body is prefilled with a realistic request')
  const execute = operation.locator('button.execute')
  const status = operation.locator('.live-responses-table tbody tr.response .response-col_status')

  await execute.click()
  t.equal(await status.innerText(), '401', 'without the key: 401')

  await page.click('.scheme-container button.authorize')
  const apiKeyForm = page.locator('.auth-container', { has: page.locator('h4', { hasText: 'apiKey' }) })
  await apiKeyForm.locator('input').fill(config.developmentApiKey!)
  await apiKeyForm.locator('button[type=submit]').click()
  await page.click('.modal-ux button.btn-done')

  await operation.locator('button.btn-clear').click()
  await execute.click()
  t.equal(await status.innerText(), '201', 'authorised: 201')
  const answer = JSON.parse(await operation.locator('.live-responses-table tbody tr.response .microlight').first().innerText())
  t.equal(answer.room, 'daily%20standup')
  t.equal(decodeJwt(answer.token).payload.context.user.name, 'Alice')

  t.same(problems, [], 'no console error, no content security policy violation')
  t.same(external, [], 'nothing is loaded from another origin')
  t.match(logs.filter(line => line.event === 'token.issued'), [{ client: 'development', room: 'daily%20standup' }])
  t.equal(logs.filter(line => line.event === 'token.refused').length, 1)
})

t.test('the API keeps its strict policy; only the docs routes relax it', async t => {
  const { app } = await build(t)
  const api = await app.inject('/health')
  t.equal(api.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'")
  for (const url of ['/docs', '/docs/static/swagger-ui-bundle.js', '/docs/json']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 200, url)
    t.match(res.headers['content-security-policy'], /^default-src 'none'; .*script-src 'self'; style-src 'self';$/, url)
    t.match(res.headers['content-security-policy'], /frame-ancestors 'none'/, url)
  }
})
