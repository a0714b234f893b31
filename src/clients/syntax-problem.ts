/**
 * Where and why a JSON or YAML text does not parse, without quoting it: the parsers' own messages
 * carry a snippet of the text (V8: `Unexpected token 'x', "…" is not valid JSON`; yaml: the offending
 * lines), and a key pasted into the wrong place would reach stderr and the logs.
 */
import type { YAMLError } from 'yaml'

/** `line L, column C` (1-based) of a character offset. */
function lineColumn (text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n')
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`
}

/** The offset V8 names in its message, when it names one. */
function namedPosition (message: string): number | undefined {
  const match = / at position (\d+)/.exec(message)
  return match ? Number(match[1]) : undefined
}

/** Does the prefix `text.slice(0, length)` already contain the error (rather than just end early)? */
function errorWithin (text: string, length: number): boolean {
  try {
    JSON.parse(text.slice(0, length))
    return false
  } catch (error) {
    const message = (error as Error).message
    if (message.startsWith('Unexpected end')) return false
    const position = namedPosition(message)
    return position === undefined || position < length
  }
}

/** The first offset at which the JSON is wrong: the shortest prefix that contains the error, by bisection. */
function jsonErrorOffset (text: string): number {
  let low = 0
  let high = text.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (errorWithin(text, middle + 1)) high = middle
    else low = middle + 1
  }
  return low
}

export function jsonSyntaxProblem (text: string, error: Error): string {
  const { message } = error
  const position = namedPosition(message)
  if (message.startsWith('Unexpected end') || position === text.length) return 'it ends early (a closing bracket, brace or quote is missing)'
  // V8's wording is kept only where it is its own constant text; anything with a quote or a token carries the input.
  const reason = message.startsWith('Unexpected token') || message.includes('"')
    ? 'unexpected character'
    : message.replace(/ (in JSON )?at position \d+[\s\S]*$/, '')
  return `${lineColumn(text, position ?? jsonErrorOffset(text))}: ${reason}`
}

/** yaml's error code (BAD_INDENT → "bad indent") and position; never its message. */
export function yamlSyntaxProblem (error: Error): string {
  // By name, not instanceof: yaml is loaded only when a YAML file is read.
  if (error.name !== 'YAMLParseError') return 'an alias refers to an anchor that is not defined before it'
  // parse() always locates its errors in the text it was given.
  const { code, linePos } = error as YAMLError
  const [{ line, col }] = linePos!
  return `line ${line}, column ${col}: ${code.toLowerCase().replaceAll('_', ' ')}`
}
