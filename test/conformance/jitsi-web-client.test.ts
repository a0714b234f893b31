/**
 * Agreement with Jitsi's own web-client code (@jitsi/react-native-sdk from the npm registry, see
 * test/support/jitsi-sdk.ts): the room claim we mint is the MUC room the web client joins for our
 * meeting link (parseURIString, then getBackendSafeRoomName), over a large corpus and a property test,
 * and our feature names are its MEET_FEATURES. Without the package the test fails, saying why.
 */
import fc from 'fast-check'
import t from 'tap'
import { webClientDefault } from '../../src/jitsi/feature-defaults.js'
import { KNOWN_FEATURES, MEET_FEATURES } from '../../src/jitsi/features.js'
import { meetingUrl } from '../../src/jitsi/meeting-url.js'
import { backendSafeRoomName, roomClaim, roomNameProblem } from '../../src/jitsi/room-name.js'
import { jitsiWebClient, SDK, SDK_VERSION, type JitsiWebClient } from '../support/jitsi-sdk.js'

const PUBLIC_URL = 'https://meet.example.org'
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000)

const WORDS = [
  'Daily Standup', 'daily standup', 'DAILY', 'a', 'Room-1_x.y~z', '100%', '50%off', 'a%41b', '%zz', 'x%2Fy', 'tab\tno', 'end.',
  'ＦＵＬＬ', 'ﬁle', 'ﬀ', 'Ⅻ', '²³', '①②', 'ｶﾀｶﾅ', 'Å', 'Å', 'ŉ', 'ǅ', '㍻', '℡', '™',
  'ℌilbert', 'ℍ', '𝜜0', '𝔄𝔅', 'Тест', 'ПРИВЕТ мир', 'ΣΊΣΥΦΟΣ', 'İstanbul', 'STRASSE', 'Straße', 'ǈubljana', 'Ωmega',
  '会议室', '会議室', '회의실', '가', 'ㄱ', '東京 2026',
  '🎉 party', '👨‍👩‍👧', '🇩🇪', '👍🏽', '❤️', '\u{1F600}x',
  'e\u0301', 'a\u0308o', 'abc\u0327', 'A\u030a', 'q\u0323\u0307', 'ﷺ', '\u00a0nbsp\u00a0inside', 'zero\u200bwidth'
]

/** Every word, each in a few spellings and joined with another: a few thousand names. */
function corpus (): string[] {
  const spellings = WORDS.flatMap(word => [word, word.toUpperCase(), word.toLowerCase(), word.normalize('NFD'), word.normalize('NFKD')])
  const names = new Set(spellings)
  for (const a of spellings) for (const b of WORDS) names.add(`${a} ${b}`)
  for (let code = 0x20; code < 0x7f; code++) names.add(`x${String.fromCharCode(code)}Y`)
  return [...names]
}

let jitsi: JitsiWebClient | undefined
let unavailable: Error | undefined
try {
  jitsi = await jitsiWebClient()
} catch (error) {
  unavailable = error as Error
}

/** The room Jitsi's web client joins when it opens our meeting link, or when given the name itself. */
function disagreement (web: JitsiWebClient, room: string, tenant?: string): string | undefined {
  const url = meetingUrl(PUBLIC_URL, room, 'e30.e30.sig', tenant)!
  const parsed = web.parseURIString(url)!
  const claim = roomClaim(room)
  const joined = web.getBackendSafeRoomName(parsed.room)
  if (joined !== claim) return `${JSON.stringify(room)}: we mint ${claim}, the web client joins ${joined} from ${url}`
  if (tenant !== undefined && parsed.tenant !== tenant.toLowerCase()) return `${JSON.stringify(room)}: tenant ${parsed.tenant}`
  // The iframe API and mobile SDK pass the name itself; without "%" there is nothing to decode.
  if (!room.includes('%') && web.getBackendSafeRoomName(room) !== backendSafeRoomName(room)) {
    return `${JSON.stringify(room)}: getBackendSafeRoomName gives ${web.getBackendSafeRoomName(room)}, we ${backendSafeRoomName(room)}`
  }
  return undefined
}

t.test(`Jitsi's web client code is available (${SDK}@${SDK_VERSION} from the npm registry)`, async t => {
  if (unavailable) t.fail(unavailable.message)
  else t.pass('bundled from the cached tarball')
})

t.test('our room claim is the room the web client joins, over a corpus of names', { skip: unavailable ? 'the package is unavailable (failed above)' : false }, async t => {
  const names = corpus().filter(room => roomNameProblem(room) === undefined)
  t.ok(names.length > 3000, `${names.length} accepted names, from ASCII to emoji and combining marks`)
  const problems = names.flatMap(room => [disagreement(jitsi!, room), disagreement(jitsi!, room, 'Acme')]).filter(Boolean)
  t.same(problems.slice(0, 5), [], `${problems.length} disagreements`)
})

t.test('property: any name we accept is the room the web client joins', { skip: unavailable ? 'the package is unavailable (failed above)' : false }, async t => {
  const script = (from: number, to: number) => fc.string({ unit: fc.integer({ min: from, max: to }).map(code => String.fromCodePoint(code)), minLength: 1, maxLength: 12 })
  const piece = fc.oneof(
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
    fc.string({ unit: 'grapheme-composite', minLength: 1, maxLength: 6 }),
    script(0x0400, 0x04ff), // Cyrillic
    script(0x4e00, 0x9fff), // CJK
    script(0x1f300, 0x1faff), // emoji
    script(0x0300, 0x036f), // combining marks
    script(0xff01, 0xff5e), // full-width forms (NFKC)
    fc.constantFrom(' ', '%', '%20', 'ﬁ', 'İ', 'ß', 'Σ')
  )
  const name = fc.array(piece, { minLength: 1, maxLength: 4 }).map(parts => parts.join(''))
    .filter(room => room.length <= 200 && roomNameProblem(room) === undefined)
  fc.assert(fc.property(name, fc.option(fc.constantFrom('acme', 'Team_1')), (room, tenant) => {
    const problem = disagreement(jitsi!, room, tenant ?? undefined)
    if (problem) throw new Error(problem)
  }), { numRuns: RUNS })
  t.pass(`${RUNS} generated names`)
})

t.test('our web-client feature names are Jitsi\'s MEET_FEATURES', { skip: unavailable ? 'the package is unavailable (failed above)' : false }, async t => {
  t.same([...MEET_FEATURES].sort(), Object.values(jitsi!.MEET_FEATURES).sort())
})

t.test('our feature-default table has the web client\'s defaults for a feature it leaves out', { skip: unavailable ? 'the package is unavailable (failed above)' : false }, async t => {
  const written: Record<string, string> = { true: 'true', false: 'false', moderator: 'isLocalParticipantModerator(state)' }
  const ours = Object.fromEntries(KNOWN_FEATURES.flatMap(name => {
    const value = webClientDefault(name)
    return value === undefined ? [] : [[name, [written[String(value)]]]]
  }))
  t.same(jitsi!.featureDefaults, ours, 'every isJwtFeatureEnabled call in react/features, by feature')
})
