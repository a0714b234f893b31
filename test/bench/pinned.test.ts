/** The pinned benchmark's pure parts (bench/parse.ts, bench/pinned-targets.ts) say what they should. */
import t from 'tap'
import { median, parseAutocannonJson, parseWrkOutput, wrkScript } from '../../bench/parse.js'
import { evaluatePinned, fixedLoadTable, percentile, PINNED_TARGETS, type PinnedRun } from '../../bench/pinned-targets.js'
import type { ServerResult } from '../../bench/targets.js'

t.test('the wrk script sends the exact body and headers, even ones that look like Lua brackets', async t => {
  const script = wrkScript({ url: 'http://127.0.0.1:1', body: '{"room":"a]=]b"}', headers: { authorization: 'Bearer jts_x' } })
  t.match(script, /^wrk\.method = "POST"$/m)
  t.match(script, 'wrk.body = [==[{"room":"a]=]b"}]==]', 'the bracket level is above any in the text')
  t.match(script, 'wrk.headers[ [=[authorization]=] ] = [=[Bearer jts_x]=]', 'a space keeps [[ from opening a Lua string')
  t.match(script, /function done\(summary, latency, requests\)/)
})

t.test('wrk results come from the script\'s JSON line; no line is an error', async t => {
  const run = parseWrkOutput('Running 6s test\n  10 requests in 1s\n\nWRK-JSON {"requests":10,"durationUs":1000000,"errors":1,"non2xx":2,"p50Us":900,"p99Us":4000}\nRequests/sec: 10\n')
  t.same(run, { requests: 10, durationUs: 1_000_000, errors: 1, non2xx: 2, p50Us: 900, p99Us: 4000 })
  t.throws(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused'), /wrk printed no result: unable to connect/)
})

t.test('autocannon\'s last JSON line gives the achieved rate and latency at the offered one', async t => {
  const line = JSON.stringify({ latency: { p50: 1.5, p99: 7 }, requests: { average: 6990 }, errors: 0, timeouts: 0, non2xx: 3 })
  t.same(parseAutocannonJson(`progress\n${line}\n`, 7000), { offered: 7000, achieved: 6990, p50: 1.5, p99: 7, errors: 0, non2xx: 3 })
})

t.test('median and percentile', async t => {
  t.equal(median([3, 1, 2]), 2)
  t.equal(median([4, 1, 3, 2]), 2.5)
  t.equal(percentile([5, 1, 4, 2, 3], 50), 3)
  t.equal(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 99), 99)
  t.equal(percentile([7], 99), 7)
  t.equal(percentile([], 99), undefined)
})

const server = (label: string, requestsPerSecond: number, cpuUsPerRequest: number, extra: Partial<ServerResult> = {}): ServerResult => ({
  label, requestsPerSecond, cpuUsPerRequest, p50: 2, p99: 8, requests: requestsPerSecond * 18, errors: 0, non2xx: 0, rssMb: 90, peakRssMb: 95, ...extra
})

const passing: PinnedRun = {
  servers: {
    baseline: server('floor', 20_000, 40),
    peer: server('peer', 700, 1000),
    hs256: server('service HS256', 9000, 95),
    rs256: server('service RS256', 2400, 600)
  },
  signing: { hs256: { oneThread: 400_000, allCores: 700_000, threads: 2 }, rs256: { oneThread: 1400, allCores: 2600, threads: 2 } },
  fixedLoad: { offered: 6300, achieved: 6290, p50: 1.2, p99: 6, errors: 0, non2xx: 0 },
  healthDuringRs256: { p50: 2, p99: 9, samples: 300 },
  coldStart: { readyMs: 380, cpuMs: 300, idleRssMb: 65, starts: [] }
}

const byName = (run: PinnedRun) => Object.fromEntries(evaluatePinned(run).map(c => [c.name, c]))

t.test('a run meeting issue 16\'s targets passes every one, each beside its number', async t => {
  const checks = evaluatePinned(passing)
  t.equal(checks.length, 14)
  t.ok(checks.every(c => c.ok === true), JSON.stringify(checks.filter(c => !c.ok)))
  const named = byName(passing)
  t.equal(named['HS256 CPU per token']!.measured, '95.0 µs')
  t.equal(named['HS256 req/s vs floor (each on one core)']!.measured, '0.45×')
  t.equal(named['HS256 CPU: floor µs / service µs']!.measured, '0.42×')
  t.equal(named['RS256 tokens/s vs 1-thread RSA-2048 signs/s']!.measured, '1.71×')
  t.equal(named['cold start to /health/ready']!.target, `≤ ${PINNED_TARGETS.coldStartMs} ms`)
})

t.test('each target fails on its own number, and what did not run is skipped', async t => {
  const failing = byName({
    ...passing,
    servers: { ...passing.servers, peer: server('peer', 1200, 1000), hs256: server('service HS256', 5000, 180, { non2xx: 1, rssMb: 130 }), rs256: server('service RS256', 1500, 700, { errors: 2 }) },
    fixedLoad: { ...passing.fixedLoad!, p99: 40, errors: 1 },
    healthDuringRs256: { p50: 20, p99: 250, samples: 30 },
    coldStart: { readyMs: 1000, cpuMs: 900, idleRssMb: 90, starts: [] }
  })
  for (const check of Object.values(failing)) t.equal(check.ok, false, check.name)
  const skipped = evaluatePinned({ servers: {}, signing: passing.signing })
  t.ok(skipped.every(c => c.ok === undefined && c.measured === 'not run'), JSON.stringify(skipped))
})

t.test('the fixed-load table shows offered and achieved rates and latency', async t => {
  t.match(fixedLoadTable(passing.fixedLoad!), /service HS256\s+6300\s+6290\s+1\.2\s+6\.0\s+0\s+0/)
  const withFloor = fixedLoadTable(passing.fixedLoad!, { offered: 6300, achieved: 6301, p50: 0.8, p99: 4, errors: 0, non2xx: 0 })
  t.match(withFloor, /floor \(bare Fastify\), same rate\s+6300\s+6301\s+0\.8\s+4\.0\s+0\s+0/, 'the floor at the same rate, for the machine\'s own tail')
})
