/**
 * `room` as a Lua pattern (`context.room.regex: true`), bounded as Prosody bounds it since
 * jitsi/jitsi-meet#17803: token/util.lib.lua refuses, with `invalid-regex`, a pattern with more than
 * `token_regex_max_quantifiers` (3) quantifiers and a match against a ROOM NAME longer than
 * `token_regex_room_max_length` (128); the pattern itself has no length bound there (docs/jitsi.md §1.4,
 * §12.3). Ours is 128 too: a longer pattern could only match names Prosody refuses to match. Prosody
 * applies a pattern only with domain verification on; with it off the claim is compared literally.
 */

/** token_regex_room_max_length: the longest room name Prosody matches a pattern against. */
export const MAX_PATTERN_LENGTH = 128
export const MAX_PATTERN_QUANTIFIERS = 3

/** Prosody's count_pattern_quantifiers: `* + - ?` outside `[...]`; `%` escapes the next character, in a class too. */
export function countQuantifiers (pattern: string): number {
  return quantifiers(pattern).length
}

/** The quantifiers of a Lua pattern, as countQuantifiers counts them. */
function quantifiers (pattern: string): string[] {
  const found: string[] = []
  let inClass = false
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]
    if (char === '%') {
      index++
    } else if (inClass) {
      if (char === ']') inClass = false
    } else if (char === '[') {
      inClass = true
    } else if ('*+-?'.includes(char!)) {
      found.push(char!)
    }
  }
  return found
}

/**
 * In a Lua pattern `-` repeats the item before it (lazily): `course-%d+` means "cours", any number of "e",
 * then digits, and opens no room named `course-101` (seen on a real Prosody: test/check/room-patterns-prosody.test.ts).
 */
export function hyphenNote (pattern: string): string | undefined {
  if (!quantifiers(pattern).includes('-')) return undefined
  return 'room has an unescaped "-", which in a Lua pattern repeats the character before it (course-%d+ matches "cours" then digits, not "course-101"). Write %- for a hyphen.'
}

/** What makes Lua's string.match raise "malformed pattern" instead of matching. */
function malformed (pattern: string): string | undefined {
  let depth = 0
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]
    if (char === '%') {
      const next = pattern[index + 1]
      if (next === undefined) return 'ends with "%"'
      if (next === 'b' && pattern.length < index + 4) return '"%b" needs two characters after it'
      if (next === 'f' && pattern[index + 2] !== '[') return '"%f" must be followed by a [set]'
      index++
    } else if (char === '[') {
      // A class: "]" right after "[" or "[^" is a literal; "%" escapes inside.
      let end = index + 1
      if (pattern[end] === '^') end++
      if (pattern[end] === ']') end++
      while (end < pattern.length && pattern[end] !== ']') end += pattern[end] === '%' ? 2 : 1
      if (end >= pattern.length) return 'has a "[" without its "]"'
      index = end
    } else if (char === '(') {
      depth++
    } else if (char === ')') {
      if (--depth < 0) return 'has a ")" without its "("'
    }
  }
  return depth > 0 ? 'has a "(" without its ")"' : undefined
}

/** Why a room pattern would be refused or misread by Prosody, or undefined when it is usable. */
export function roomPatternProblem (pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters: Prosody matches patterns only against room names of at most ${MAX_PATTERN_LENGTH} (token_regex_room_max_length)`
  // The room node a pattern is matched against is percent-encoded ASCII (docs/jitsi.md §3.4).
  if (!/^[\x21-\x7e]+$/.test(pattern)) return 'must be printable ASCII without spaces: Prosody matches it against the percent-encoded room name (a space is %20)'
  const quantifiers = countQuantifiers(pattern)
  if (quantifiers > MAX_PATTERN_QUANTIFIERS) {
    return `has ${quantifiers} quantifiers (* + - ?); Prosody refuses patterns with more than ${MAX_PATTERN_QUANTIFIERS} (invalid-regex). Escape a literal "-" as "%-"`
  }
  const broken = malformed(pattern)
  return broken ? `is not a valid Lua pattern: it ${broken}` : undefined
}

export const PATTERN_NOTE = 'room is a Lua pattern: Prosody applies it only with domain verification on (enable_domain_verification, JWT_ENABLE_DOMAIN_VERIFICATION=true); with it off, as in docker-jitsi-meet by default, the claim is compared literally and opens no room.'

/** Lua's upper-case classes: each the complement of its lower-case twin (%D = not a digit). */
const UPPER_CASE_CLASS = /[ACDGLPSUWX]/

/** The upper-case classes a pattern uses (`%D`, also inside a set), in order of first use. */
export function upperCaseClasses (pattern: string): string[] {
  const found: string[] = []
  for (let index = 0; index < pattern.length; index++) {
    if (pattern[index] !== '%') continue
    const next = pattern[++index]
    if (next !== undefined && UPPER_CASE_CLASS.test(next) && !found.includes(`%${next}`)) found.push(`%${next}`)
  }
  return found
}

/**
 * Jitsi before jitsi-meet#17803 (every stable release until September 2026) lower-cases the claim before
 * matching it as a pattern, so `%D` becomes `%d` and the pattern opens the rooms it was meant to refuse.
 */
export function patternCaseNote (pattern: string): string | undefined {
  const classes = upperCaseClasses(pattern)
  if (classes.length === 0) return undefined
  const twins = classes.map(upper => `[^${upper.toLowerCase()}]`).join(', ')
  return `room uses ${classes.join(', ')}: Jitsi before jitsi-meet#17803 (every stable release until September 2026) lower-cases the pattern, which turns each into its opposite (${classes.map(upper => upper.toLowerCase()).join(', ')}). Write ${twins} instead, which reads the same on every version.`
}
