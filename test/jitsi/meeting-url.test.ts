import t from 'tap'
import { hashOverrides, meetingUrl } from '../../src/jitsi/meeting-url.js'
import { roomFromMeetingUrl } from '../support/web-client-room.js'

const TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb29tIjoieCJ9.c2ln'

/**
 * The hash parameters as the web client reads them (parseURLParams.ts): split on & and =,
 * percent-decode, rewrite typographic quotes and the first `\&`, JSON-parse; a value that does
 * not parse is dropped. Written from Jitsi's source, independently of src/.
 */
function clientHashParams (url: string): Record<string, unknown> {
  const params: Record<string, unknown> = {}
  for (const part of new URL(url).hash.slice(1).split('&')) {
    const [key, raw] = part.split('=')
    if (!key) continue
    const decoded = decodeURIComponent(String(raw)).replace(/\\&/, '&').replace(/[\u2018\u2019]/g, '\'').replace(/[\u201C\u201D]/g, '"')
    try {
      params[key] = JSON.parse(decoded)
    } catch {
      // dropped, as the client does
    }
  }
  return params
}

t.test('without a tenant: PUBLIC_URL/<room>?jwt=<token>', async t => {
  const url = meetingUrl('https://meet.example.org', 'Daily Standup', TOKEN)
  t.equal(url, `https://meet.example.org/Daily%20Standup?jwt=${TOKEN}`)
  t.same(roomFromMeetingUrl(url!), { roomNode: 'daily%20standup', jwt: TOKEN }, 'the web client finds the room and the token, and no tenant')
})

t.test('with a tenant: PUBLIC_URL/<tenant, lower-cased>/<room>', async t => {
  const url = meetingUrl('https://meet.example.org', 'Тест', TOKEN, 'Acme')
  t.equal(url, `https://meet.example.org/acme/%D0%A2%D0%B5%D1%81%D1%82?jwt=${TOKEN}`)
  t.match(roomFromMeetingUrl(url!), { roomNode: '%d1%82%d0%b5%d1%81%d1%82', tenant: 'acme', prefix: 'acme', jwt: TOKEN })
})

t.test('the room keeps the caller\'s spelling in the URL', async t => {
  t.equal(meetingUrl('https://meet.example.org', 'ＴＥＳＴ Room', TOKEN), `https://meet.example.org/%EF%BC%B4%EF%BC%A5%EF%BC%B3%EF%BC%B4%20Room?jwt=${TOKEN}`)
  t.equal(meetingUrl('https://meet.example.org', '100%', TOKEN), `https://meet.example.org/100%25?jwt=${TOKEN}`)
})

t.test('trailing slashes in PUBLIC_URL do not double the separator; a path prefix is kept', async t => {
  t.equal(meetingUrl('https://meet.example.org/', 'r', TOKEN), `https://meet.example.org/r?jwt=${TOKEN}`)
  t.equal(meetingUrl('https://meet.example.org///', 'r', TOKEN, 'acme'), `https://meet.example.org/acme/r?jwt=${TOKEN}`)
  t.equal(meetingUrl('https://example.org/jitsi/', 'r', TOKEN), `https://example.org/jitsi/r?jwt=${TOKEN}`)
})

t.test('a wildcard room names no meeting, so there is no URL', async t => {
  t.equal(meetingUrl('https://meet.example.org', '*', TOKEN), undefined)
  t.equal(meetingUrl('https://meet.example.org', '*', TOKEN, 'acme', { config: { subject: 'x' } }), undefined)
})

t.test('overrides are JSON-encoded in the hash, config before userInfo', async t => {
  const url = meetingUrl('https://meet.example.org', 'r', TOKEN, undefined, {
    config: { 'prejoinConfig.enabled': false, subject: 'Weekly sync', toolbarButtons: ['microphone', 'camera'], startAudioMuted: 2 },
    userInfo: { displayName: 'Alice', email: 'alice@example.org' }
  })!
  t.equal(url, `https://meet.example.org/r?jwt=${TOKEN}` +
    '#config.prejoinConfig.enabled=false&config.subject=%22Weekly%20sync%22' +
    '&config.toolbarButtons=%5B%22microphone%22%2C%22camera%22%5D&config.startAudioMuted=2' +
    '&userInfo.displayName=%22Alice%22&userInfo.email=%22alice%40example.org%22')
  t.same(clientHashParams(url), {
    'config.prejoinConfig.enabled': false,
    'config.subject': 'Weekly sync',
    'config.toolbarButtons': ['microphone', 'camera'],
    'config.startAudioMuted': 2,
    'userInfo.displayName': 'Alice',
    'userInfo.email': 'alice@example.org'
  })
  t.equal(new URL(url).searchParams.get('jwt'), TOKEN, 'the hash does not disturb the token')
})

t.test('no overrides, or empty ones, add no hash', async t => {
  t.equal(hashOverrides(), '')
  t.equal(hashOverrides({}), '')
  t.equal(hashOverrides({ config: {}, userInfo: {} }), '')
  t.equal(meetingUrl('https://meet.example.org', 'r', TOKEN, undefined, { config: {} }), `https://meet.example.org/r?jwt=${TOKEN}`)
})

t.test('values with characters the client rewrites before JSON-parsing arrive unchanged', async t => {
  const names = [
    'Anna “Nan” Smith', // “ ” would become " and break the JSON: the name would be dropped
    'Seán O’Brien', // ’ would become '
    '‘quoted’',
    'Tom & Jerry',
    'back\\slash & ampersand', // \& would become & and break the JSON
    '%41 = 100% & a=b',
    'Łukasz 🎉 Ünal'
  ]
  for (const displayName of names) {
    const url = meetingUrl('https://meet.example.org', 'r', TOKEN, undefined, { userInfo: { displayName }, config: { subject: displayName } })!
    t.same(clientHashParams(url), { 'config.subject': displayName, 'userInfo.displayName': displayName }, displayName)
    t.notMatch(new URL(url).hash, /[\u2018\u2019\u201c\u201d]/, 'no raw typographic quotes reach the client')
  }
})
