/**
 * Room names as the Jitsi web client turns them into the MUC room node that Prosody compares with
 * the `room` claim (docs/jitsi.md §0 rule 12, §3.4). Every check runs on what Jitsi ends up with,
 * not on the spelling we were sent: `＊` is `*` once normalised, and `*` names every room.
 */

/** Characters the web client strips from every URL path segment (uri.ts `_ROOM_EXCLUDE_PATTERN`). */
export const STRIPPED_ROOM_CHARACTERS = ':?#[]@!$&\'()*+,;=></"'

const STRIPPED = new RegExp(`[${STRIPPED_ROOM_CHARACTERS.replace(/[\\\]^-]/g, '\\$&')}]`, 'u')
// Control characters survive percent-encoding but are invisible or mangled wherever a room name is shown.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u

export const WILDCARD_ROOM = '*'

/**
 * Prosody's nodeprep refuses an XMPP localpart of 1024 bytes or more (util-src/encodings.c), and a
 * tenant room's node is `[tenant]room` with a tenant of up to 63 characters: 1023 - 65.
 */
export const MAX_ROOM_NODE_LENGTH = 958

/**
 * The room as Jitsi names it before encoding: NFKC, then lower-case, in the web client's order
 * (getBackendSafeRoomName, docs/jitsi.md §3.4). It is the `room` claim, percent-decoded; grants
 * are matched against it.
 */
export function jitsiRoomName (room: string): string {
  return room.normalize('NFKC').toLowerCase()
}

/**
 * The web client's getBackendSafeRoomName applied to the name a person types: NFKC, lower-case,
 * encodeURIComponent, lower-case hex. `Daily Standup` → `daily%20standup`.
 * The client first decodes the URL segment; our input is the decoded name, so there is nothing to decode.
 */
export function backendSafeRoomName (room: string): string {
  return encodeURIComponent(jitsiRoomName(room)).toLowerCase()
}

/**
 * The `room` claim as emitted: `*` only for the literal wildcard, otherwise the backend-safe name
 * (never with the tenant). A name that folds into `*` would give `*` too, so the wildcard decision is
 * taken on this value (grants, meeting URL), and roomNameProblem refuses such names.
 */
export function roomClaim (room: string): string {
  return room === WILDCARD_ROOM ? WILDCARD_ROOM : backendSafeRoomName(room)
}

/** A tenant as requests may name it: letters, digits, _ and - (no dots: the web client maps them to `_`). */
export const TENANT_PATTERN = '^[A-Za-z0-9_-]{1,63}$'

/** The tenant as emitted in `sub` and in the meeting URL: lower-cased, like the web client's MUC host. */
export function tenantClaim (tenant: string): string {
  return tenant.toLowerCase()
}

/** Why a room name cannot be used in a meeting URL, or undefined when it can. */
export function roomNameProblem (room: string): string | undefined {
  if (!room.isWellFormed()) return 'must be well-formed Unicode'
  const typed = STRIPPED.exec(room)
  if (typed) {
    return `must not contain "${typed[0]}": the Jitsi web client strips ${STRIPPED_ROOM_CHARACTERS} from room URLs`
  }
  // From here on, the name Jitsi joins: NFKC can turn a harmless-looking character into one of the above.
  const name = jitsiRoomName(room)
  if (name.trim() === '') return 'must not be empty or only spaces'
  if (name !== name.trim()) return 'must not start or end with spaces'
  // Browsers resolve these as relative path segments, so the room would vanish from the URL.
  if (name === '.' || name === '..') return 'must not be "." or ".." (also once Jitsi normalises it)'
  const folded = STRIPPED.exec(name)
  if (folded) {
    const source = [...room].find(char => jitsiRoomName(char).includes(folded[0]))
    return `must not contain "${source}": Jitsi normalises it (NFKC) to "${folded[0]}", which the web client strips from room URLs and which a room address cannot carry`
  }
  if (CONTROL.test(name)) return 'must not contain control characters'
  const node = encodeURIComponent(name).toLowerCase()
  if (node.length > MAX_ROOM_NODE_LENGTH) {
    return `is too long once encoded: Jitsi's room address would be ${node.length} characters, XMPP allows ${MAX_ROOM_NODE_LENGTH}`
  }
  return undefined
}
