/**
 * A meeting link read the way the Jitsi web client reads it (docs/jitsi.md §3.1, §3.4): the last
 * path segment is the room, the ones before it the tenant, the token comes from `#jwt="…"` (a JSON
 * string) or else `?jwt=…`. So the doctor can take the link a person was sent.
 */
import { STRIPPED_ROOM_CHARACTERS } from '../room-name.js'

export interface MeetingLink {
  token?: string
  /** Decoded, as people see it. */
  room?: string
  tenant?: string
  /** What the web client would do differently from what the link's author meant. */
  warnings: string[]
}

const STRIPPED = new RegExp(`[${STRIPPED_ROOM_CHARACTERS.replace(/[\\\]^-]/g, '\\$&')}]`, 'g')

function decoded (text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** `#jwt=` must hold a JSON string; anything else the client drops without a word (parseURLParams). */
function hashToken (hash: string, warnings: string[]): string | undefined {
  for (const part of hash.replace(/^#/, '').split('&')) {
    const [key, value = ''] = part.split('=')
    if (key !== 'jwt') continue
    try {
      const parsed: unknown = JSON.parse(decoded(value))
      if (typeof parsed === 'string') return parsed
    } catch {}
    warnings.push('The link\'s #jwt= value is not a JSON string, so the web client ignores it and connects without a token (Prosody: "token required"); write #jwt="<token>" with the quotes, or use ?jwt=<token>.')
  }
  return undefined
}

/** The link's parts, or undefined when `link` is not an http(s) URL. `publicUrl` may carry a base path. */
export function parseMeetingLink (link: string, publicUrl?: string): MeetingLink | undefined {
  let url: URL
  try {
    url = new URL(link)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  const warnings: string[] = []
  const base = publicUrl && link.startsWith(publicUrl) ? new URL(publicUrl).pathname.replace(/\/+$/, '') : ''
  const segments = url.pathname.slice(base.length).split('/').map(segment => segment.replace(STRIPPED, '')).filter(Boolean)
  const room = segments.pop()
  const result: MeetingLink = { warnings }
  const token = hashToken(url.hash, warnings) ?? url.searchParams.get('jwt') ?? undefined
  if (token !== undefined) result.token = token
  if (room !== undefined) result.room = decoded(room)
  if (segments.length > 0) result.tenant = decoded(segments.join('/'))
  return result
}
