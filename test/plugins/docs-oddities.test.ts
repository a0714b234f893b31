/** The API docs' odd corners answer like the rest of the API, and an operator can turn the docs off. */
import t from 'tap'
import { build, testConfig } from '../helper.js'

t.test('swagger-ui\'s redirect loop and its static server\'s 403 become problem+json', async t => {
  const { app } = await build(t, testConfig())
  const loop = await app.inject({ method: 'GET', url: '/docs/static/index.html?x=1' })
  t.equal(loop.statusCode, 404, 'not a redirect to itself')
  t.match(loop.headers['content-type'], /^application\/problem\+json/)
  const forbidden = await app.inject({ method: 'GET', url: '/docs/static/%00' })
  t.equal(forbidden.statusCode, 403)
  t.match(forbidden.headers['content-type'], /^application\/problem\+json/)
  t.match(forbidden.json(), { status: 403, detail: 'This path is not served.', requestId: forbidden.headers['x-request-id'] })
  t.equal((await app.inject({ method: 'GET', url: '/docs/static/index.html' })).statusCode, 302, 'the page\'s own redirect still works')
  t.equal((await app.inject({ method: 'GET', url: '/docs' })).statusCode, 200)
})

t.test('API_DOCS=false: no /docs and no /openapi.json, the API unchanged', async t => {
  const config = testConfig({ API_DOCS: 'false' })
  const { app } = await build(t, config)
  for (const url of ['/docs', '/docs/static/index.html', '/openapi.json']) t.equal((await app.inject({ method: 'GET', url })).statusCode, 404, url)
  const res = await app.inject({ method: 'POST', url: '/tokens', headers: { authorization: `Bearer ${config.developmentApiKey}` }, payload: { room: 'r' } })
  t.equal(res.statusCode, 201)
})
