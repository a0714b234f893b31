import t from 'tap'
import { evaluateTargets, meanSigningLimits, ratio, serverTable, signingTable, targetsReport, TARGETS, type ServerResult, type Servers, type SigningLimits } from '../../bench/targets.js'

const server = (label: string, requestsPerSecond: number, extra: Partial<ServerResult> = {}): ServerResult => ({
  label, requestsPerSecond, p50: 4, p99: 12, requests: requestsPerSecond * 21, errors: 0, non2xx: 0, rssMb: 80, peakRssMb: 85, cpuUsPerRequest: 150, ...extra
})

const signing: SigningLimits = {
  hs256: { oneThread: 400_000, allCores: 780_000, threads: 2 },
  rs256: { oneThread: 1300, allCores: 2500, threads: 2 }
}

const passing: Servers = {
  baseline: server('baseline', 9000),
  peer: server('peer', 1000),
  hs256: server('service HS256', 6500),
  rs256: server('service RS256', 2200, { p99: 90 })
}

const byName = (servers: Servers) => Object.fromEntries(evaluateTargets(servers, signing).map(c => [c.name, c]))

t.test('ratio is undefined when a side is missing or the divisor is not positive', async t => {
  t.equal(ratio(6, 3), 2)
  t.equal(ratio(undefined, 3), undefined)
  t.equal(ratio(6, undefined), undefined)
  t.equal(ratio(6, 0), undefined)
})

t.test('a run that meets every target of issue 7 passes all of them', async t => {
  const checks = evaluateTargets(passing, signing)
  t.equal(checks.length, 8)
  t.ok(checks.every(c => c.ok === true), JSON.stringify(checks))
  const checked = byName(passing)
  t.equal(checked['HS256 service req/s vs baseline']!.measured, '0.72×')
  t.equal(checked['HS256 service req/s vs peer']!.measured, '6.50×')
  t.equal(checked['RS256 service req/s vs 1-thread RSA-2048 signs/s']!.measured, '1.69×')
  t.equal(checked['HS256 service RSS after load']!.target, `≤ ${TARGETS.hs256RssMb} MB`)
})

t.test('each target fails on its own number', async t => {
  const checked = byName({
    ...passing,
    hs256: server('service HS256', 4000, { p99: 30, non2xx: 3, rssMb: 130 }),
    rs256: server('service RS256', 1500, { p99: 200, errors: 1 })
  })
  t.equal(checked['HS256 service req/s vs baseline']!.ok, false, '0.44× the baseline')
  t.equal(checked['HS256 service req/s vs peer']!.ok, false, '4× the peer')
  t.equal(checked['HS256 service p99']!.ok, false)
  t.equal(checked['HS256 service p99']!.measured, '30.0 ms')
  t.equal(checked['HS256 service errors / non-2xx']!.measured, '0 / 3')
  t.equal(checked['HS256 service errors / non-2xx']!.ok, false)
  t.equal(checked['RS256 service req/s vs 1-thread RSA-2048 signs/s']!.ok, false, '1.15× one thread')
  t.equal(checked['RS256 service p99']!.ok, false)
  t.equal(checked['RS256 service errors / non-2xx']!.ok, false)
  t.equal(checked['HS256 service RSS after load']!.ok, false)
})

t.test('a scenario that did not run is reported as skipped, not as passed or failed', async t => {
  const { rs256: _, ...withoutRs256 } = passing
  const checks = evaluateTargets(withoutRs256, signing)
  const rs = checks.filter(c => c.name.startsWith('RS256'))
  t.equal(rs.length, 3)
  t.ok(rs.every(c => c.ok === undefined && c.measured === 'not run'))
  t.ok(checks.filter(c => !c.name.startsWith('RS256')).every(c => c.ok === true))
  t.match(targetsReport(checks), /RS256 service p99\s+≤ 150 ms\s+not run\s+SKIP/)
})

t.test('the report names the verdict of every target', async t => {
  const report = targetsReport(evaluateTargets({ ...passing, hs256: server('service HS256', 6500, { p99: 40 }) }, signing))
  t.match(report, /HS256 service p99\s+≤ 25 ms\s+40\.0 ms\s+FAIL/)
  t.match(report, /HS256 service req\/s vs peer\s+≥ 5×\s+6\.50×\s+PASS/)
})

t.test('the server table lists the servers that ran, with – for what was not measured', async t => {
  const table = serverTable({ baseline: passing.baseline, hs256: server('service HS256', 6543.6, { rssMb: undefined, peakRssMb: undefined, cpuUsPerRequest: undefined }) })
  const lines = table.split('\n')
  t.equal(lines.length, 4, 'header, rule, two rows')
  t.match(lines[0], /^server\s+req\/s\s+p50 ms\s+p99 ms\s+errors\s+non-2xx\s+RSS MB\s+peak MB\s+CPU µs\/req$/)
  t.match(lines[3], /^service HS256\s+6544\s+4\.0\s+12\.0\s+0\s+0\s+–\s+–\s+–$/)
  t.notMatch(table, /peer|RS256/)
  t.equal(new Set(lines.map(l => l.length)).size, 1, 'columns are aligned')
})

t.test('the signing table shows one thread and all cores for both algorithms', async t => {
  const table = signingTable(signing)
  t.match(table, /HS256 \(HMAC-SHA256\)\s+400000\s+780000\s+2/)
  t.match(table, /RS256 \(RSA-2048\)\s+1300\s+2500\s+2/)
})

t.test('signing limits measured in several rounds are averaged', async t => {
  const slower: SigningLimits = {
    hs256: { oneThread: 200_000, allCores: 380_000, threads: 2 },
    rs256: { oneThread: 1100, allCores: 2100, threads: 2 }
  }
  t.same(meanSigningLimits([signing, slower]), {
    hs256: { oneThread: 300_000, allCores: 580_000, threads: 2 },
    rs256: { oneThread: 1200, allCores: 2300, threads: 2 }
  })
})
