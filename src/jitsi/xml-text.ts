/**
 * What can reach other participants must be XML text. mod_presence_identity writes every context.user
 * value and context.group as element text into the presence all occupants receive (docs/jitsi.md §12.5);
 * a character outside XML 1.0's `Char` production (C0 controls but tab, newline and return; lone
 * surrogates; U+FFFE, U+FFFF) makes that presence unparsable for browsers, expat and jicofo alike.
 */

// Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]; with `u`, a lone surrogate is one code point.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

function codePoint (char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
}

export function isXmlText (value: string): boolean {
  return !NOT_XML_CHAR.test(value)
}

/** Why a value cannot be carried in presence, naming the first bad character, or undefined. */
export function xmlTextProblem (value: string): string | undefined {
  const bad = NOT_XML_CHAR.exec(value)?.[0]
  return bad === undefined ? undefined : `contains ${codePoint(bad)}, which XML cannot carry: the presence every participant receives would break`
}
