import t from 'tap'
import { featureClaims, isEnabled, KNOWN_FEATURES, MEET_FEATURES, PROSODY_ONLY_FEATURES } from '../../src/jitsi/features.js'

// docs/jitsi.md §3.3 (MEET_FEATURES in base/jwt/constants.ts) and §1.5 (Prosody-only names).
const WEB_CLIENT_FEATURES = [
  'branding', 'calendar', 'create-polls', 'file-upload', 'flip', 'inbound-call', 'livestreaming', 'live-translation',
  'lobby', 'moderation', 'outbound-call', 'recording', 'room', 'screen-sharing', 'send-groupchat', 'send-private-message', 'list-visitors',
  'sip-inbound-call', 'sip-outbound-call', 'transcription'
]

t.test('the known names are the web client\'s plus the two only Prosody reads', async t => {
  t.same([...MEET_FEATURES].sort(), [...WEB_CLIENT_FEATURES].sort())
  t.same([...PROSODY_ONLY_FEATURES].sort(), ['live-translation-subscribe', 'name-readonly'])
  t.equal(new Set(KNOWN_FEATURES).size, KNOWN_FEATURES.length, 'no name twice')
})

t.test('isEnabled: true and "true" enable; everything else does not', async t => {
  t.equal(isEnabled(true), true)
  t.equal(isEnabled('true'), true)
  t.equal(isEnabled(false), false)
  t.equal(isEnabled('false'), false)
  t.equal(isEnabled(undefined), false)
})

t.test('featureClaims: "true"/"false" strings, which Prosody, the web client and JaaS all read', async t => {
  t.same(featureClaims({ recording: true, livestreaming: false, 'screen-sharing': 'true', transcription: 'false' }),
    { livestreaming: 'false', recording: 'true', 'screen-sharing': 'true', transcription: 'false' })
  // The web client enables a feature when String(value) === 'true' (§3.3).
  for (const [name, value] of Object.entries(featureClaims({ recording: true, flip: 'false' }))) {
    t.equal(String(value) === 'true', name === 'recording', name)
  }
})

t.test('name-readonly is the boolean true, because mod_muc_displayname compares with true', async t => {
  t.same(featureClaims({ 'name-readonly': true }), { 'name-readonly': true })
  t.same(featureClaims({ 'name-readonly': 'true' }), { 'name-readonly': true })
  t.same(featureClaims({ 'name-readonly': 'false' }), { 'name-readonly': false })
})

t.test('only the features asked for are emitted; unknown keys are not copied', async t => {
  t.same(featureClaims({}), {})
  t.same(featureClaims({ 'live-translation-subscribe': false }), { 'live-translation-subscribe': 'false' })
  const smuggled = { recording: true, teleport: true } as Parameters<typeof featureClaims>[0]
  t.same(featureClaims(smuggled), { recording: 'true' })
})
