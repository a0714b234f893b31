/**
 * Test-only emulation of how the Jitsi Meet web client turns the page URL into the MUC room it
 * joins and the token it sends. Independent of src/ on purpose.
 *
 * Sources (jitsi/jitsi-meet master, verbatim copy ericva01/jitsi-meeting @ aeac810):
 *   - react/features/base/util/uri.ts: _ROOM_EXCLUDE_PATTERN, _fixURIStringScheme,
 *     parseStandardURIString, parseURIString, getNormalizedRoomName, getBackendSafeRoomName
 *   - react/features/app/actions.web.ts appNavigate: the web app parses window.location.href
 *   - react/features/base/conference/actions.any.ts: initJitsiConference(getBackendSafeRoomName(room))
 *   - react/features/base/jwt/functions.ts parseJWTFromURLParams, util/parseURLParams.ts
 *   - jitsi/docker-jitsi-meet web/rootfs/defaults/system-config.js: the tenant in
 *     `config.hosts.muc` is lower-cased with '.' replaced by '_'.
 */

export interface MeetingRoom {
  /** The MUC room node: getBackendSafeRoomName(parseURIString(href).room); '' when there is none. */
  roomNode: string
  /** The tenant as it appears in the room JID `[tenant]room@muc.<xmppDomain>`. */
  tenant?: string
  /** The raw tenant path segment, which nginx passes to Prosody as `?prefix=`. */
  prefix?: string
  /** The token the web client sends to Prosody (from `#jwt="…"`, else `?jwt=…`). */
  jwt?: string
}

/** uri.ts _ROOM_EXCLUDE_PATTERN: removed from every path segment (room and tenant). */
const ROOM_EXCLUDE = /[:?#[\]@!$&'()*+,;=></"]/g

/** parseURLParams.ts: keys (or dotted key parts) that are ignored. */
const BLACKLIST = ['__proto__', 'constructor', 'prototype']

/** uri.ts _fixURIStringScheme: keep the last scheme, map unknown ones to https:. */
function fixURIStringScheme (uri: string): string {
  return uri.replace(/^([a-z][a-z0-9.+-]*:)+/i, (_all: string, last: string) => {
    const lower = last.toLowerCase()
    return lower === 'http:' || lower === 'https:' ? lower : 'https:'
  }).replace(/^(https?:)(?!\/\/)/, '')
}

/** uri.ts parseStandardURIString, only as far as the pathname. */
function pathnameOf (uri: string): string {
  const path = uri
    .replace(/\s/g, '')
    .replace(/^[a-z][a-z0-9.+-]*:/i, '')
    .replace(/^\/\/[^/?#]+/, '')
    .replace(/[?#][\s\S]*$/, '')
  return path.startsWith('/') ? path : `/${path}`
}

/** uri.ts getBackendSafeRoomName. */
export function getBackendSafeRoomName (room: string): string {
  if (!room) return room
  let decoded = room
  try {
    decoded = decodeURIComponent(room)
  } catch {
    // Not encoded after all: keep it as it is, like the web client.
  }
  return encodeURIComponent(decoded.normalize('NFKC').toLowerCase()).toLowerCase()
}

/** parseURLParams.ts parseURLParams(url, dontParse, source) on location.search or location.hash. */
function parseURLParams (paramStr: string, dontParse: boolean, source: 'hash' | 'search'): Record<string, unknown> {
  const params: Record<string, unknown> = {}
  const parts = paramStr.substring(1).split('&')
  // Hash routers (`#/route`) carry no parameters.
  if (source === 'hash' && parts.length === 1 && (parts[0] as string).startsWith('/')) return params
  for (const part of parts) {
    const [key, raw] = part.split('=')
    if (!key || key.split('.').some(k => BLACKLIST.includes(k))) continue
    let value: unknown = raw
    if (!dontParse) {
      try {
        const decoded = decodeURIComponent(String(raw))
          .replace(/\\&/, '&')
          .replace(/[\u2018\u2019]/g, '\'')
          .replace(/[\u201C\u201D]/g, '"')
        value = decoded === 'undefined' ? undefined : JSON.parse(decoded)
      } catch {
        continue // reportError(), and the parameter is dropped
      }
    }
    params[key] = value
  }
  return params
}

/**
 * The room node, tenant and token the web client derives when it opens `url`. The URL is first
 * normalised the way a browser's window.location.href is (percent-encoding spaces, quotes,
 * non-ASCII, resolving dot segments), because that is what the web app parses.
 */
export function roomFromMeetingUrl (url: string): MeetingRoom {
  const location = new URL(url)
  const pathname = pathnameOf(fixURIStringScheme(location.href))
    .split('/')
    .map(part => part.replace(ROOM_EXCLUDE, ''))
    .join('/')
  const contextRootEnd = pathname.lastIndexOf('/')
  const result: MeetingRoom = { roomNode: getBackendSafeRoomName(pathname.substring(contextRootEnd + 1)) }
  if (contextRootEnd > 1) {
    const rawTenant = pathname.substring(1, contextRootEnd)
    result.tenant = rawTenant.toLowerCase().replaceAll('.', '_')
    result.prefix = rawTenant
  }
  // functions.ts parseJWTFromURLParams: the hash (JSON-parsed) wins over the search (raw).
  const hashJwt = parseURLParams(location.hash, false, 'hash').jwt
  const jwt = hashJwt ? `${hashJwt}` : parseURLParams(location.search, true, 'search').jwt as string | undefined
  if (jwt) result.jwt = jwt
  return result
}
