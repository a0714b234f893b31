/** The soak's verdicts (bench/soak-checks.ts, bench/soak-mix.ts) fail when they should. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { auditProblem, counterTotal, memoryProblem, rssSummary } from '../../bench/soak-checks.js'
import { countStatus, mixProblems, runMix, serverErrors, type MixResult } from '../../bench/soak-mix.js'

const kind = (name: string, expected: number[], statuses: Record<string, number>, errors = 0) => ({ name, expected, statuses, errors })

t.test('mixProblems: names connection errors, unexpected statuses (5xx among them) and kinds never answered', async t => {
  const healthy: MixResult = { kinds: [kind('issue', [201], { 201: 10 }), kind('too large', [413], { 413: 3 })], total: 13 }
  t.same(mixProblems(healthy), [])
  t.equal(serverErrors(healthy), 0)
  t.equal(countStatus(healthy, 201), 10)

  const broken: MixResult = {
    kinds: [kind('issue', [201], { 201: 8, 500: 2 }), kind('not JSON', [415], { 415: 4 }, 3), kind('verify', [200], {})],
    total: 14
  }
  t.same(mixProblems(broken), [
    'issue: 2 × 500, expected only 201',
    'not JSON: 3 connection errors or timeouts',
    'verify: no answer at all'
  ])
  t.equal(serverErrors(broken), 2)
})

t.test('rssSummary: start, middle and end samples and the maximum', async t => {
  t.same(rssSummary([100, 120, 110, 115, 112]), { start: 100, middle: 110, end: 112, max: 120 })
  t.same(rssSummary([90]), { start: 90, middle: 90, end: 90, max: 90 })
  t.throws(() => rssSummary([]), /no RSS sample/)
})

t.test('memoryProblem: growth within 20% + 10 MB of the middle is flat; more is a leak', async t => {
  t.equal(memoryProblem({ start: 80, middle: 100, end: 130, max: 130 }), undefined)
  t.match(memoryProblem({ start: 80, middle: 100, end: 131, max: 131 }), /from 100\.0 MB \(middle\) to 131\.0 MB \(end\), above 130\.0 MB/)
  t.equal(memoryProblem({ start: 80, middle: 100, end: 105, max: 105 }, { factor: 1, slackMb: 5 }), undefined)
})

t.test('auditProblem: one line per token issued', async t => {
  t.equal(auditProblem(42, 42), undefined)
  t.equal(auditProblem(41, 42), '41 token.issued lines for 42 tokens issued')
})

t.test('counterTotal: sums a counter over its labels, ignoring other metrics and comments', async t => {
  const metrics = [
    '# HELP jitsi_tokens_issued_total Tokens issued',
    '# TYPE jitsi_tokens_issued_total counter',
    'jitsi_tokens_issued_total{client="full",alg="HS256"} 120',
    'jitsi_tokens_issued_total{client="narrow",alg="HS256"} 30',
    'jitsi_tokens_issued_total_other 99',
    'jitsi_token_refusals_total{reason="too_large",status="413"} 7'
  ].join('\n')
  t.equal(counterTotal(metrics, 'jitsi_tokens_issued_total'), 150)
  t.equal(counterTotal(metrics, 'jitsi_token_refusals_total'), 7)
  t.equal(counterTotal('up 1', 'jitsi_token_refusals_total'), 0)
})

t.test('runMix for a bounded time: each kind counted on its own, a 5xx or a wrong status reported', async t => {
  // A stand-in service: /tokens answers 201, /broken 500, anything else 400.
  const server = createServer((req, res) => {
    req.resume().on('end', () => {
      res.statusCode = req.url === '/tokens' ? 201 : req.url === '/broken' ? 500 : 400
      res.end('{}')
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.close() })
  const { port } = server.address() as AddressInfo
  const post = (path: string) => ({ method: 'POST' as const, path, body: '{}' })

  const mix = await runMix(`http://127.0.0.1:${port}`, [
    { name: 'issue', expected: [201], request: post('/tokens') },
    { name: 'broken', expected: [400], request: post('/broken') },
    { name: 'bad body', expected: [400], request: post('/other') }
  ], { connections: 1, seconds: 1 })
  t.same(mix.kinds.map(kind => Object.keys(kind.statuses)), [['201'], ['500'], ['400']])
  t.ok(mix.total > 3)
  t.equal(serverErrors(mix), mix.kinds[1]!.statuses[500])
  t.same(mixProblems(mix), [`broken: ${mix.kinds[1]!.statuses[500]} × 500, expected only 400`])
})
