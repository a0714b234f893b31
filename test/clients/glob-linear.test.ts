/**
 * Issue 12 item 3: room patterns match in linear time. A pattern with many `*` (CLIENTS_FILE,
 * OIDC_GRANTS) against a name that almost matches made a backtracking regex take polynomial time.
 * Growth ratios between doubling lengths are compared, never absolute times: each time is the minimum
 * of several runs, and a ratio that looks high is measured again, so a busy machine does not fail it.
 */
import t from 'tap'
import { globMatches, roomGrantProblem, type Grants } from '../../src/clients/grants.js'

const STARS = 4
/** `*a*a*a*a*b`: every prefix of a run of a's can be split among the stars in many ways. */
const PATTERN = `${'*a'.repeat(STARS)}*b`
const grants: Grants = { rooms: [PATTERN], wildcardRoom: false, moderator: false, features: [] }

function timeOnce (name: string, repeats: number): number {
  const start = process.hrtime.bigint()
  for (let i = 0; i < repeats; i++) {
    if (roomGrantProblem(name, grants) === undefined) throw new Error('the adversarial name must not match')
  }
  return Number(process.hrtime.bigint() - start)
}

const fastest = (length: number, repeats: number) => Math.min(...Array.from({ length: 5 }, () => timeOnce('a'.repeat(length), repeats)))

/** time(2·length) / time(length), measured side by side; the lowest of a few tries when it looks high. */
function doublingRatio (length: number, repeats: number): number {
  let best = Infinity
  for (let attempt = 0; attempt < 4 && best >= 3; attempt++) {
    best = Math.min(best, fastest(length * 2, repeats) / fastest(length, repeats))
  }
  return best
}

t.test('the glob: leftmost pieces, no overlap, anchored at both ends', async t => {
  t.ok(globMatches('a*b*c', 'a-b-c'))
  t.notOk(globMatches('a*b*c', 'a-x-c'), 'a missing middle piece')
  t.notOk(globMatches('ab*ba', 'aba'), 'first and last piece may not overlap')
  t.ok(globMatches('a*a', 'aa'))
  t.ok(globMatches('**', ''), 'stars may be empty')
  t.ok(globMatches('*x*x*', 'axbxc'))
})

t.test('a many-star pattern against adversarial names grows linearly with the name', async t => {
  const start = 64
  // Repeat enough for a measurable time at the shortest length; the same count is used for every length.
  let repeats = 1
  while (fastest(start, repeats) < 5_000_000 && repeats < 1 << 20) repeats *= 2
  const ratios: number[] = []
  for (let length = start; length < start * 32; length *= 2) {
    const ratio = doublingRatio(length, repeats)
    ratios.push(ratio)
    // Stop at once on superlinear growth: a backtracking matcher would take hours further on.
    if (ratio >= 3) break
  }
  t.ok(ratios.every(ratio => ratio < 3), `doubling the name at most ~doubles the time (ratios ${ratios.map(r => r.toFixed(2)).join(', ')}, from ${start} characters, ${repeats} repeats)`)
  t.equal(ratios.length, 5, 'every length was measured')
})
