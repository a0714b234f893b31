/**
 * Is it a JWT at all? Parsed the way luajwtjitsi parses it (parse_token, L59–92): split on "." (and
 * "\"), empty pieces dropped, exactly three segments, base64url JSON header and body.
 */
import { STEP, pass, reject, type CheckResult } from './check.js'

export interface DecodedJwt {
  header: Record<string, unknown>
  payload: Record<string, unknown>
  /** `header.payload` as signed. */
  signingInput: string
  signature: Uint8Array
}

export type Parsed =
  | { ok: true, jwt: DecodedJwt, check: CheckResult }
  | { ok: false, check: CheckResult }

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/**
 * basexx.from_url64: "=" is ignored, anything else outside the base64url alphabet fails. Leftover
 * bits of a last incomplete character are dropped, as Node's Buffer does; written out so it runs
 * in browsers too.
 */
export function fromBase64Url (text: string): Uint8Array | undefined {
  const stripped = text.replaceAll('=', '')
  if (!/^[A-Za-z0-9_-]*$/.test(stripped)) return undefined
  const bytes = new Uint8Array(Math.floor(stripped.length * 3 / 4))
  let bits = 0
  let count = 0
  let length = 0
  for (const character of stripped) {
    bits = (bits << 6 | ALPHABET.indexOf(character)) & 0xfff
    count += 6
    if (count >= 8) {
      count -= 8
      bytes[length++] = bits >> count & 0xff
    }
  }
  return bytes
}

/** Buffer#toString('utf8'): bad sequences become U+FFFD and a byte-order mark is kept, not dropped. */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })

/**
 * lua-cjson refuses JSON nested deeper than this (decode_max_depth, default 1000), so Prosody cannot
 * read such a segment; refusing it here also keeps every later check (JSON.stringify) off deep recursion.
 */
export const CJSON_MAX_DEPTH = 1000

/**
 * What lua-cjson refuses although JSON.parse reads it: nesting beyond its depth limit, and a `\u`
 * escape of a lone surrogate ("invalid unicode escape code"), which no later check could encode either.
 * Iterative, so any depth is safe to ask about.
 */
export function cjsonRefuses (value: unknown, maxDepth = CJSON_MAX_DEPTH): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]]
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!
    if (typeof item === 'string' && !item.isWellFormed()) return true
    if (typeof item !== 'object' || item === null) continue
    if (depth === maxDepth) return true
    for (const [key, child] of Object.entries(item)) pending.push([key, depth + 1], [child, depth + 1])
  }
  return false
}

/** JSON in a base64url segment; undefined when either step fails, or when Prosody's decoder would. */
export function decodeJsonSegment (segment: string): { value: unknown } | undefined {
  const bytes = fromBase64Url(segment)
  if (bytes === undefined) return undefined
  let value: unknown
  try {
    value = JSON.parse(utf8.decode(bytes))
  } catch {
    return undefined
  }
  return cjsonRefuses(value) ? undefined : { value }
}

/** Lua indexes arrays and strings without error (every key is nil); other non-objects are not a JWT. */
function asClaims (value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return {}
  if (typeof value === 'object' && value !== null) return value as Record<string, unknown>
  return undefined
}

/** What the person most likely pasted instead of a token. */
function pastingHint (token: string): string {
  if (/^bearer\s/i.test(token)) return ' Remove the "Bearer " prefix: send the token alone.'
  if (/[?&#]jwt=/.test(token)) return ' This looks like a meeting URL: pass the token after jwt= instead (the CLI accepts the URL itself).'
  if (/\s/.test(token)) return ' It contains spaces or line breaks: copy the token again as one line.'
  if (/^["'].*["']$/s.test(token)) return ' Remove the quotes around it.'
  return ' Copy the whole token again; a link that was cut off at an & or # loses part of it (docs/jitsi.md §6 "token required").'
}

export function parseToken (token: string): Parsed {
  const fail = (message: string, detail: string): Parsed =>
    ({ ok: false, check: reject('token', STEP.parse, message, detail + pastingHint(token)) })
  const segments = token.split(/[.\\]/).filter(segment => segment.length > 0)
  if (segments.length !== 3) {
    return fail('Invalid token', `This is not a JWT: it has ${segments.length} part${segments.length === 1 ? '' : 's'} separated by dots where a JWT has three (header.payload.signature), so Prosody answers "Invalid token".`)
  }
  const [headerPart, payloadPart, signaturePart] = segments as [string, string, string]
  const header = decodeJsonSegment(headerPart)
  const headerClaims = header && asClaims(header.value)
  if (!headerClaims) {
    return fail('Invalid header', 'The first part is not a base64url-encoded JSON object, so it is not a JWT header and Prosody answers "Invalid header".')
  }
  const payload = decodeJsonSegment(payloadPart)
  const payloadClaims = payload && asClaims(payload.value)
  if (!payloadClaims) {
    return fail('Invalid body', 'The second part is not a base64url-encoded JSON object, so it is not a JWT payload and Prosody answers "Invalid body".')
  }
  const signature = fromBase64Url(signaturePart)
  if (signature === undefined) {
    return fail('Invalid signature', 'The third part is not base64url, so it cannot be a signature and Prosody answers "Invalid signature".')
  }
  return {
    ok: true,
    jwt: { header: headerClaims, payload: payloadClaims, signingInput: `${headerPart}.${payloadPart}`, signature },
    check: pass('token', 'The token is a JWT: a JSON header, a JSON payload and a signature, separated by dots.')
  }
}
