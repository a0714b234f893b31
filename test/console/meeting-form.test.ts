import t from 'tap'
import { readMeetingForm } from '../../src/console/meeting-form.js'
import { formPage, linksPage } from '../../src/console/meetings-page.js'

const NOW = Date.UTC(2026, 11, 5, 9, 0) / 1000
const read = (values: Record<string, string | string[]>) => readMeetingForm(values, NOW, 86_400)
const problems = (values: Record<string, string | string[]>) => { const r = read(values); return 'problems' in r ? r.problems.map(p => `${p.path} ${p.message}`) : [] }

t.test('a meeting as the form sends it: local times with the browser\'s offset', async t => {
  t.same(read({ room: 'Physics 101', tenant: 'acme', start: '2026-12-05T11:00', end: '2026-12-05T12:30', tz: '-60', lobby: 'on', features: ['recording', 'no-such-feature'], guestName: ' Visitor ' }), {
    form: { room: 'Physics 101', tenant: 'acme', start: NOW + 3600, end: NOW + 9000, lobby: true, features: { recording: true }, guestName: 'Visitor' }
  }, 'UTC+1: 11:00 there is 10:00 UTC')
  t.match(read({ room: ['A', 'B'], start: '2026-12-05T09:00', end: '2026-12-05T10:00', tz: 'not a number' }), { form: { room: 'A', start: NOW, lobby: false, guestName: 'Guest' } }, 'no usable offset: UTC')
  t.match(read({ room: 'A', start: '2026-12-05T09:00', end: '2026-12-05T10:00', tz: '100000' }), { form: { start: NOW } })
})

t.test('each problem names its field', async t => {
  t.same(problems({}), ['room is required', 'start is required, as a date and time', 'end is required, as a date and time'])
  t.same(problems({ room: '*', tenant: 'a.b', start: '2026-12-05T09:00', end: '2026-12-05T08:00' }), ['room must name one room', 'tenant must be letters, digits, _ or - (at most 63)', 'end is in the past'])
  t.match(problems({ room: 'a?b', start: '2026-12-05T10:00', end: '2026-12-05T09:30' }), [/^room must not contain "\?"/, 'end must be after the start'])
  t.same(problems({ room: 'a', start: 'tomorrow', end: '2026-12-07T10:00' }), ['start is required, as a date and time', 'end is too far ahead: your links can be valid for at most 1440 minutes from now'])
  t.same(problems({ room: 'a', start: '2026-12-05T09:00', end: '2026-12-05T10:00', guestName: 'x'.repeat(101) }), ['guestName must be at most 100 characters'])
})

t.test('the pages escape what people typed', async t => {
  const page = formPage({ csrf: 'c', person: '<Eve>', values: { room: '"><script>', lobby: 'on' }, problems: [{ path: 'room', message: 'is <bad>' }], features: [] })
  t.match(page, /Signed in as &lt;Eve&gt;/)
  t.match(page, /value="&quot;&gt;&lt;script&gt;"/)
  t.match(page, /id="room-problem">is &lt;bad&gt;/)
  t.match(page, /id="lobby" name="lobby" checked>/)
  t.match(linksPage({ room: '<r>', hostUrl: 'https://x/?a=1&b', guestUrl: 'g', start: 's', end: 'e' }), /Links for &lt;r&gt;[\s\S]*>https:\/\/x\/\?a=1&amp;b</)
})
