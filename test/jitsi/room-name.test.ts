import t from 'tap'
import fc from 'fast-check'
import { backendSafeRoomName, MAX_ROOM_NODE_LENGTH, roomClaim, roomNameProblem, WILDCARD_ROOM } from '../../src/jitsi/room-name.js'
import { meetingUrl } from '../../src/jitsi/meeting-url.js'
import { roomFromMeetingUrl } from '../support/web-client-room.js'

const PUBLIC_URL = 'https://meet.example.org'

/** The room node the Jitsi web client joins when it opens the meeting URL we hand out. */
const clientRoom = (room: string, tenant?: string) => roomFromMeetingUrl(meetingUrl(PUBLIC_URL, room, 'header.payload.signature', tenant)!)

// The web client's list, copied from uri.ts _ROOM_EXCLUDE_PATTERN (docs/jitsi.md §0 rule 12), not from src/.
const WEB_CLIENT_STRIPS = [':', '?', '#', '[', ']', '@', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=', '>', '<', '/', '"']

t.test('backendSafeRoomName: the room node the web client builds', async t => {
  const cases: Array<[string, string, string]> = [
    ['plain', 'standup', 'standup'],
    ['spaced', 'Daily Standup', 'daily%20standup'],
    ['upper-case', 'TEAM-Room_42', 'team-room_42'],
    ['Cyrillic, lower-case hex', 'Тест', '%d1%82%d0%b5%d1%81%d1%82'],
    ['upper-case Cyrillic is lower-cased before encoding', 'ТЕСТ', '%d1%82%d0%b5%d1%81%d1%82'],
    ['fullwidth letters fold to ASCII (NFKC)', 'ＴＥＳＴ', 'test'],
    ['ligature ﬁ becomes fi (NFKC)', 'ﬁle', 'file'],
    ['roman numeral Ⅻ becomes xii (NFKC)', 'Room Ⅻ', 'room%20xii'],
    ['superscript and circled digits (NFKC)', 'x²①', 'x21'],
    ['decomposed é composes (NFKC)', 'Cafe\u0301', 'caf%c3%a9'],
    ['composed é stays one character', 'Café', 'caf%c3%a9'],
    ['a literal percent sign is encoded, not decoded', '100%', '100%25'],
    ['something that looks encoded stays literal', 'a%20b', 'a%2520b'],
    ['emoji (astral plane)', 'Party 🎉', 'party%20%f0%9f%8e%89'],
    ['unreserved punctuation is kept', 'a-b_c.d~e', 'a-b_c.d~e']
  ]
  for (const [why, room, expected] of cases) {
    t.equal(backendSafeRoomName(room), expected, why)
    t.equal(clientRoom(room).roomNode, expected, `${why}: the web client derives the same from the URL`)
  }
})

t.test('roomClaim: the backend-safe name, or * for a wildcard; never the tenant', async t => {
  t.equal(roomClaim('Daily Standup'), 'daily%20standup')
  t.equal(roomClaim(WILDCARD_ROOM), '*')
  t.equal(clientRoom('Daily Standup', 'Acme').roomNode, roomClaim('Daily Standup'), 'a tenant does not change the room node')
  t.equal(clientRoom('Daily Standup', 'Acme').tenant, 'acme')
})

t.test('every room name we accept reaches the web client as the room the claim names', async t => {
  // Awkward pieces mixed into arbitrary Unicode: NFKC-sensitive, case-sensitive, percent signs, dots.
  const awkward = fc.constantFrom('ﬁ', 'Ａ', 'ｚ', '？', '／', '＃', '%', '%2', '%41', '%e2%82', '.', ' ', '\u00a0', '\u0301', 'Σ', 'ς', 'İ', 'ẞ', 'Ⅻ', '①', '⑴', '~', '-', '_')
  const room = fc.string({ unit: fc.oneof(awkward, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 24 })
  const tenant = fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,63}$/), { nil: undefined })
  let accepted = 0
  fc.assert(fc.property(room, tenant, (room, tenant) => {
    if (roomNameProblem(room) !== undefined) return
    accepted++
    const derived = clientRoom(room, tenant)
    if (derived.roomNode !== roomClaim(room)) throw new Error(`room ${JSON.stringify(room)}: client joins ${derived.roomNode}, token names ${roomClaim(room)}`)
    if (derived.tenant !== tenant?.toLowerCase()) throw new Error(`tenant ${tenant}: client uses ${derived.tenant}`)
  }), { numRuns: 2000 })
  t.ok(accepted > 500, `the property was checked on accepted names (${accepted} of 2000)`)
})

t.test('roomNameProblem refuses every character the web client strips', async t => {
  for (const char of WEB_CLIENT_STRIPS) {
    const problem = roomNameProblem(`team${char}room`)
    t.type(problem, 'string', `"${char}" is refused`)
    t.match(problem, `"${char}"`, `the message names "${char}"`)
  }
  // Why: encodeURIComponent leaves some of them in the URL, and the client then joins another room.
  for (const char of ['!', '\'', '(', ')', '*']) {
    t.not(clientRoom(`team${char}room`).roomNode, backendSafeRoomName(`team${char}room`), `with "${char}" the client would join another room`)
  }
})

t.test('roomNameProblem refuses control characters, lone surrogates, dot segments and padding', async t => {
  const refused: Array<[string, string, RegExp]> = [
    ['NUL', 'a\u0000b', /control/],
    ['tab', 'a\tb', /control/],
    ['newline', 'a\nb', /control/],
    ['unit separator', 'a\u001fb', /control/],
    ['DEL', 'a\u007fb', /control/],
    ['C1 control', 'a\u0085b', /control/],
    ['last C1 control', 'a\u009fb', /control/],
    ['lone high surrogate', 'a\ud800b', /well-formed/],
    ['lone low surrogate', '\udc00ab', /well-formed/],
    ['reversed surrogate pair', 'a\udc00\ud800', /well-formed/],
    ['"."', '.', /"\." or "\.\."/],
    ['".."', '..', /"\." or "\.\."/],
    ['leading space', ' room', /start or end with spaces/],
    ['trailing space', 'room ', /start or end with spaces/],
    ['leading no-break space', '\u00a0room', /start or end with spaces/],
    ['trailing ideographic space', 'room\u3000', /start or end with spaces/],
    ['empty', '', /empty/],
    ['only spaces', '   ', /empty/]
  ]
  for (const [why, room, message] of refused) t.match(roomNameProblem(room), message, why)
  // Why dot segments: the browser resolves them and the room (or the tenant) disappears from the URL.
  t.equal(roomFromMeetingUrl(`${PUBLIC_URL}/acme/..?jwt=x`).roomNode, '')
})

t.test('roomNameProblem refuses names that give no valid XMPP room address', async t => {
  // U+FF07 is the only character NFKC turns into ', which encodeURIComponent keeps and nodeprep forbids.
  t.match(roomNameProblem('it＇s'), /＇/)
  t.equal(backendSafeRoomName('it＇s'), 'it\'s', 'why: the apostrophe survives into the room node')
  // Prosody's nodeprep refuses a localpart of 1024 bytes or more; `[tenant]` takes up to 65 of them.
  const emoji = '🎉' // 12 characters once encoded
  t.equal(roomNameProblem(emoji.repeat(Math.floor(MAX_ROOM_NODE_LENGTH / 12))), undefined, `${MAX_ROOM_NODE_LENGTH - MAX_ROOM_NODE_LENGTH % 12} characters encoded`)
  t.match(roomNameProblem(emoji.repeat(Math.floor(MAX_ROOM_NODE_LENGTH / 12) + 1)), /too long once encoded.*960 characters.*958/)
  t.equal(MAX_ROOM_NODE_LENGTH + '[]'.length + 63, 1023)
})

t.test('roomNameProblem accepts what the web client keeps intact', async t => {
  for (const room of ['standup', 'Daily Standup', 'Тест', 'ＴＥＳＴ', 'ﬁle', 'a.b', '...', 'x%y', '~team', 'a  b', 'Café', '会议室', 'x'.repeat(200)]) {
    t.equal(roomNameProblem(room), undefined, JSON.stringify(room))
  }
  t.type(roomNameProblem(WILDCARD_ROOM), 'string', 'a bare * is not a room name; the wildcard is handled by the grant')
})
