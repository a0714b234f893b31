/** The login's pages: text is escaped in HTML, and a posted message cannot break out of its script. */
import t from 'tap'
import { messagePage, postMessagePage } from '../../src/login/pages.js'
import { appLink } from '../../src/login/platform-return.js'
import { postedMessage } from './support.js'

const HOSTILE = '</script><script>alert(1)</script>\u2028"\'&'

t.test('text and links are escaped', async t => {
  const page = messagePage(400, { title: HOSTILE, text: HOSTILE, details: [HOSTILE], link: { href: 'https://x.example/?a=1&b="', label: HOSTILE } })
  t.notOk(page.html.includes('<script>alert'), 'no markup from the text')
  t.match(page.html, /href="https:\/\/x\.example\/\?a=1&amp;b=&quot;"/)
  t.equal(page.status, 400)
})

t.test('a posted message survives any text intact and cannot end its script early', async t => {
  const page = postMessagePage(403, { type: 'oauth-error', error: HOSTILE }, 'https://meet.example.org', { title: 'Login failed', text: 'x' })
  t.equal(page.html.split('</script>').length, 2, 'one script, closed once')
  t.same(postedMessage(page.html), { message: { type: 'oauth-error', error: HOSTILE }, targetOrigin: 'https://meet.example.org' })
  // A base64 nonce may hold + and /: compare text, not a pattern built from it.
  t.ok(page.html.includes(`<script nonce="${page.nonce}">`), 'the script carries the page\'s nonce')
  t.not(page.nonce, postMessagePage(200, {}, 'https://a', { title: 't', text: 't' }).nonce, 'a fresh nonce per page')
})

t.test('app links keep host, tenant, room, token and hash', async t => {
  const meeting = 'https://meet.example.org/acme/Daily%20Standup?jwt=a.b.c#config.x=1'
  t.equal(appLink(meeting, 'ios'), 'org.jitsi.meet://meet.example.org/acme/Daily%20Standup?jwt=a.b.c#config.x=1')
  t.equal(appLink(meeting, 'electron'), 'jitsi-meet://meet.example.org/acme/Daily%20Standup?jwt=a.b.c#config.x=1')
  t.equal(appLink(meeting, 'android'), 'intent://meet.example.org/acme/Daily%20Standup?jwt=a.b.c#config.x=1#Intent;scheme=org.jitsi.meet;package=org.jitsi.meet;end')
})
