/** The problem examples /docs shows are the bodies POST /tokens really sends (all but the request id). */
import t from 'tap'
import { PROBLEM_EXAMPLES } from '../../src/openapi/problem-examples.js'
import { bearer, build, testConfig, writeClientsFile } from '../helper.js'

t.test('400, 401, 403 and 429 as documented', async t => {
  const { file, keys } = writeClientsFile([{ id: 'lms', grants: { rooms: ['course-*'], features: ['*'] } }])
  const { app } = await build(t, testConfig({ CLIENTS_FILE: file, RATE_LIMIT_MAX: '3' }))
  const send = (key: string, payload: object) => app.inject({ method: 'POST', url: '/tokens', headers: bearer(key), payload })
  const answers = {
    400: await send(keys.lms!, { room: 'course-1', ttl: 3_600_000, context: { features: { 'screen-share': true } } }),
    401: await send('jts_not-a-key', { room: 'course-1' }),
    403: await send(keys.lms!, { room: 'staff', context: { user: { moderator: true } } }),
    429: (await send(keys.lms!, { room: 'course-1' }), await send(keys.lms!, { room: 'course-1' }))
  }
  for (const [status, res] of Object.entries(answers)) {
    const { requestId, ...body } = res.json()
    const { requestId: documented, ...example } = PROBLEM_EXAMPLES[status] as { requestId: string }
    t.equal(res.statusCode, Number(status))
    t.same(body, example, `${status}: the documented example is the real body`)
    t.match(requestId, /^[0-9a-f-]{36}$/)
    t.match(documented, /^[0-9a-f-]{36}$/)
  }
  const document = await (await app.openapiDocument())() as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { example?: unknown }> }> }>> }
  t.same(document.paths['/tokens']!.post!.responses['403']!.content['application/problem+json']!.example, PROBLEM_EXAMPLES[403], 'shown in /docs')
})
