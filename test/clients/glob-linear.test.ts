/**
 * Issue 12 item 3: room patterns match in linear time. A pattern with many `*` (CLIENTS_FILE,
 * OIDC_GRANTS) against a name that almost matches made a backtracking regex take polynomial time.
 * Growth ratios between doubling lengths are compared, never absolute times; each time is the
 * minimum of several runs so a busy machine does not fail the test.
 */
import t from 'tap'
import { roomGrantProblem, type Grants } from '../../src/clients/grants.js'

const STARS = 4
/** `*a*a*…*a*b`: every prefix of a run of a's can be split among the stars in many ways. */
const PATTERN = `${'*a'.repeat(STARS)}*b`
const grants: Grants = { rooms: [PATTERN], wildcardRoom: false, moderator: false, features: [] }

function timeOnce (name: string, repeats: number): number {
  const start = process.hrtime.bigint()
  for (let i = 0; i < repeats; i++) {
    if (roomGrantProblem(name, grants) === undefined) throw new Error('the adversarial name must not match')
  }
  return Number(process.hrtime.bigint() - start)
}

const fastest = (name: string, repeats: number) => Math.min(...Array.from({ length: 7 }, () => timeOnce(name, repeats)))

t.test('a many-star pattern against adversarial names grows linearly with the name', async t => {
  let length = 64
  // Repeat enough for a measurable time at the shortest length; the same count is used for every length.
  let repeats = 1
  while (fastest('a'.repeat(length), repeats) < 2_000_000 && repeats < 1 << 20) repeats *= 2
  let previous = fastest('a'.repeat(length), repeats)
  const ratios: number[] = []
  for (let step = 0; step < 5; step++) {
    length *= 2
    const time = fastest('a'.repeat(length), repeats)
    const ratio = time / previous
    ratios.push(ratio)
    // Stop at once on superlinear growth: a backtracking matcher would take hours further on.
    if (ratio > 3.5) break
    previous = time
  }
  t.ok(ratios.every(ratio => ratio < 3.5), `doubling the name at most ~doubles the time (ratios ${ratios.map(r => r.toFixed(2)).join(', ')}, up to ${length} characters, ${repeats} repeats)`)
  t.equal(ratios.length, 5, 'every length was measured')
})
