/** How route schemas read in the OpenAPI document. */
import t from 'tap'
import { documentedRoute } from '../../src/openapi/route-docs.js'
import { ProblemSchema } from '../../src/schemas/problem.js'

t.test('responses get their status text; problems are application/problem+json', async t => {
  const ok = { type: 'object', properties: { status: { type: 'string' } } }
  const { schema, url } = documentedRoute({ url: '/x', schema: { response: { 200: ok, 404: ProblemSchema, '2xx': ok } } })
  t.equal(url, '/x')
  const response = schema.response as Record<string, Record<string, unknown>>
  t.same(response['200'], { description: 'OK', ...ok })
  t.same(response['404'], { description: 'Not Found', content: { 'application/problem+json': { schema: ProblemSchema } } })
  t.equal(response['2xx']!.description, '2xx', 'a status range keeps its own name')
})

t.test('a route without responses is left as it is', async t => {
  const schema = { hide: true }
  t.equal(documentedRoute({ url: '/y', schema }).schema, schema)
})
