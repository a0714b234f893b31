/**
 * The docs page is served by swagger-ui loaded on the first /docs request (src/plugins/external/
 * swagger-ui.ts): its answers pass through unchanged, unknown assets get the API's own 404, and
 * the app closes cleanly whether or not the page was ever asked for.
 */
import t from 'tap'
import { build } from '../helper.js'

t.test('the first /docs request loads the page; assets, HEAD and the document come through', async t => {
  const { app } = await build(t)
  const page = await app.inject('/docs')
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.match(page.body, /swagger-ui/)
  const redirect = await app.inject('/docs/static/index.html')
  t.equal(redirect.statusCode, 302, 'redirects pass through')
  t.equal(redirect.headers.location, '/docs/')
  const head = await app.inject({ method: 'HEAD', url: '/docs/static/swagger-ui-bundle.js' })
  t.equal(head.statusCode, 200)
  t.equal(head.body, '')
  const json = await app.inject('/docs/json')
  t.same(json.json().paths['/tokens'] !== undefined, true, 'the API\'s own OpenAPI document')
})

t.test('an unknown docs asset is the API\'s 404 problem', async t => {
  const { app } = await build(t)
  const res = await app.inject('/docs/static/no-such-file.js')
  t.equal(res.statusCode, 404)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(res.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'")
})

t.test('an app whose docs were never asked for closes without loading them', async t => {
  const { app } = await build(t)
  await app.close()
  t.pass('closed')
})
