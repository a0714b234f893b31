/** Meeting links read as the web client reads them: room, tenant and the token it would send. */
import t from 'tap'
import { parseMeetingLink } from '../../../src/jitsi/doctor/meeting-link.js'
import { formatDiagnosis } from '../../../src/jitsi/doctor/report-text.js'

t.test('room, tenant and token from a link', async t => {
  t.same(parseMeetingLink('https://meet.example.org/acme/Daily%20Standup?jwt=abc'), { token: 'abc', room: 'Daily Standup', tenant: 'acme', warnings: [] })
  t.same(parseMeetingLink('https://meet.example.org/jitsi/Room?x=1', 'https://meet.example.org/jitsi'), { room: 'Room', warnings: [] }, 'PUBLIC_URL\'s base path is not a tenant')
  t.same(parseMeetingLink('https://meet.example.org/What!%E0%A4%A'), { room: 'What%E0%A4%A', warnings: [] }, 'stripped characters go, an undecodable name stays as it is')
  t.same(parseMeetingLink('https://meet.example.org/'), { warnings: [] })
  t.equal(parseMeetingLink('eyJhbGciOi.x.y'), undefined, 'a token is not a link')
  t.equal(parseMeetingLink('ftp://meet.example.org/room'), undefined)
})

t.test('#jwt= must be a JSON string; the web client drops anything else', async t => {
  t.equal(parseMeetingLink('https://m.example/r#jwt=%22abc%22&config.x=1')?.token, 'abc')
  const unquoted = parseMeetingLink('https://m.example/r?jwt=query#jwt=abc')!
  t.equal(unquoted.token, 'query', 'the query token is used instead')
  t.match(unquoted.warnings, [/not a JSON string, so the web client ignores it.*"token required"/])
  t.match(parseMeetingLink('https://m.example/r#jwt=42')!.warnings, [/not a JSON string/])
})

t.test('the verdict counts the hints', async t => {
  const check = (ok: boolean, blocking: boolean) => ({ name: 'x', ok, blocking, detail: 'd' })
  t.match(formatDiagnosis({ valid: true, checks: [check(false, false), check(false, false)] }), /✓ Prosody accepts this token; the 2 ⚠ lines are worth fixing too\.\n$/)
  t.match(formatDiagnosis({ valid: false, reason: 'Invalid typ', checks: [check(false, true)] }), /✗ x {10}d\n\n✗ Prosody rejects this token: "Invalid typ"\. Fix the ✗ lines\.\n$/)
})
