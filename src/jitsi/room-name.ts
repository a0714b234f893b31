/**
 * Room names as the Jitsi web client turns them into the MUC room node that Prosody compares with
 * the `room` claim (jitsi-tokens.md §0 rule 12, §3.4).
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

/** Why a room name cannot be used in a meeting URL, or undefined when it can. */
export function roomNameProblem (room: string): string | undefined {
  if (room.trim() === '') return 'must not be empty or only spaces'
  if (room !== room.trim()) return 'must not start or end with spaces'
  // Browsers resolve these as relative path segments, so the room would vanish from the URL.
  if (room === '.' || room === '..') return 'must not be "." or ".."'
  const stripped = STRIPPED.exec(room)
  if (stripped) {
    return `must not contain "${stripped[0]}": the Jitsi web client strips ${STRIPPED_ROOM_CHARACTERS} from room URLs`
  }
  if (CONTROL.test(room)) return 'must not contain control characters'
  if (!room.isWellFormed()) return 'must be well-formed Unicode'
  const node = backendSafeRoomName(room)
  // Only U+FF07 turns into ' (by NFKC), which encodeURIComponent keeps and XMPP forbids in a localpart.
  if (node.includes("'")) return 'must not contain "＇": Jitsi normalises it to \', which XMPP does not allow in a room address'
  if (node.length > MAX_ROOM_NODE_LENGTH) {
    return `is too long once encoded: Jitsi's room address would be ${node.length} characters, XMPP allows ${MAX_ROOM_NODE_LENGTH}`
  }
  return undefined
}

/**
 * The web client's getBackendSafeRoomName applied to the name a person types: NFKC, lower-case,
 * encodeURIComponent, lower-case hex. `Daily Standup` → `daily%20standup`.
 * The client first decodes the URL segment; our input is the decoded name, so there is nothing to decode.
 */
export function backendSafeRoomName (room: string): string {
  return encodeURIComponent(room.normalize('NFKC').toLowerCase()).toLowerCase()
}

/** The `room` claim: `*` for a wildcard grant, otherwise the backend-safe name (never with the tenant). */
export function roomClaim (room: string): string {
  return room === WILDCARD_ROOM ? WILDCARD_ROOM : backendSafeRoomName(room)
}
