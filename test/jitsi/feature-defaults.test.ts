/**
 * The feature-default table, written out here from Jitsi's code (mod_jitsi_permissions'
 * jitsi_default_permissions, util.lib.lua is_feature_allowed, the web client's isJwtFeatureEnabled
 * defaults), not from src/: a token without context.features gives moderators the pushed defaults
 * plus screen sharing, participants only what needs no permission.
 */
import { readFileSync } from 'node:fs'
import t from 'tap'
import { grantedFeatures, FULL_GRANTS, type Grants } from '../../src/clients/grants.js'
import { allowedWhenUnlisted, defaultFeature, defaultFeatures, featureReaders, tokenRole } from '../../src/jitsi/feature-defaults.js'
import { KNOWN_FEATURES } from '../../src/jitsi/features.js'

const PUSHED = ['livestreaming', 'recording', 'transcription', 'outbound-call', 'create-polls', 'send-groupchat', 'send-private-message', 'flip', 'live-translation', 'live-translation-subscribe']

const TABLE = {
  jitsi: {
    moderator: [...PUSHED, 'screen-sharing'],
    participant: ['screen-sharing', 'live-translation-subscribe']
  },
  // JaaS's backend starts a token without features with {}: only what a missing key allows.
  jaas: { moderator: ['screen-sharing'], participant: ['screen-sharing'] }
} as const

const grants = (features: string[]): Grants => ({ rooms: ['*'], wildcardRoom: false, moderator: true, features })

t.test('the defaults per role and profile are Jitsi\'s', async t => {
  for (const profile of ['jitsi', 'jaas'] as const) {
    for (const role of ['moderator', 'participant'] as const) {
      t.same(defaultFeatures(role, profile).sort(), [...TABLE[profile][role]].sort(), `${profile} ${role}`)
    }
  }
  t.equal(defaultFeature('file-upload', 'moderator', 'jitsi'), false, 'file upload is not among the pushed defaults, so the web client hides it')
  t.equal(defaultFeature('branding', 'moderator', 'jitsi'), false, 'nothing in open Jitsi reads branding')
  t.equal(defaultFeature('live-translation-subscribe', 'moderator', 'jaas'), false, 'JaaS does not know Prosody-only names')
  for (const name of KNOWN_FEATURES) t.type(featureReaders(name), 'string')
})

t.test('a feature some reader allows when unlisted must be denied in writing', async t => {
  t.ok(allowedWhenUnlisted('screen-sharing', 'participant', 'jitsi'), 'the web client allows screen sharing when the key is missing')
  t.ok(allowedWhenUnlisted('live-translation', 'moderator', 'jaas'), 'the web client lets moderators manage translation when the key is missing')
  t.notOk(allowedWhenUnlisted('live-translation', 'participant', 'jitsi'))
  t.notOk(allowedWhenUnlisted('recording', 'moderator', 'jitsi'), 'Prosody denies an unlisted recording')
  t.notOk(allowedWhenUnlisted('live-translation-subscribe', 'participant', 'jaas'))
})

t.test('the token role: moderator: true or an owner affiliation', async t => {
  t.equal(tokenRole(undefined), 'participant')
  t.equal(tokenRole({ moderator: false, affiliation: 'member' }), 'participant')
  t.equal(tokenRole({ moderator: true }), 'moderator')
  t.equal(tokenRole({ affiliation: 'teacher' }), 'moderator')
})

const off = (names: readonly string[]) => Object.fromEntries(names.map(name => [name, false]))

t.test('without features: the role\'s defaults, each as granted; full grants leave the choice to Jitsi', async t => {
  t.equal(grantedFeatures(undefined, FULL_GRANTS, 'jitsi', 'moderator'), undefined)
  t.equal(grantedFeatures(undefined, FULL_GRANTS, 'jaas', 'participant'), undefined)
  const partial = grants(['recording', 'screen-sharing', 'create-polls'])
  t.same(grantedFeatures(undefined, partial, 'jitsi', 'moderator'), {
    ...off(TABLE.jitsi.moderator), recording: true, 'screen-sharing': true, 'create-polls': true
  }, 'a restricted moderator keeps recording and polls, loses what is not granted')
  t.same(grantedFeatures(undefined, partial, 'jitsi', 'participant'), { 'screen-sharing': true, 'live-translation-subscribe': false })
  t.same(grantedFeatures(undefined, partial, 'jaas', 'moderator'), { 'screen-sharing': true, 'live-translation': false })
  t.same(grantedFeatures(undefined, partial, 'jaas', 'participant'), { 'screen-sharing': true })
  t.same(grantedFeatures(undefined, grants([]), 'jitsi', 'participant'), { 'screen-sharing': false, 'live-translation-subscribe': false })
  t.same(grantedFeatures(undefined, grants(PUSHED), 'jitsi', 'moderator'), { ...Object.fromEntries(PUSHED.map(name => [name, true])), 'screen-sharing': false })
})

t.test('with features: as asked, plus a written denial where a missing key would still allow', async t => {
  const partial = grants(['recording'])
  t.same(grantedFeatures({ recording: true }, partial, 'jitsi', 'moderator'),
    { recording: true, 'screen-sharing': false, 'live-translation': false, 'live-translation-subscribe': false })
  t.same(grantedFeatures({ recording: 'true', 'screen-sharing': false }, partial, 'jaas', 'participant'), { recording: 'true', 'screen-sharing': false })
  t.same(grantedFeatures({ flip: false }, FULL_GRANTS, 'jitsi', 'moderator'), { flip: false }, 'full grants: exactly as asked')
})

t.test('the table in docs/claims.md is the code\'s table', async t => {
  const doc = readFileSync(new URL('../../docs/claims.md', import.meta.url), 'utf8')
  const section = doc.slice(doc.indexOf('## Feature defaults'), doc.indexOf('## What users trip over'))
  const rows = section.split('\n').filter(line => line.startsWith('| `'))
  const documented = new Set<string>()
  for (const row of rows) {
    const [names, ...cells] = row.split('|').slice(1, -1).map(cell => cell.trim())
    for (const name of names!.split(', ').map(cell => cell.replaceAll('`', ''))) {
      documented.add(name)
      const expected = [defaultFeature(name as never, 'moderator', 'jitsi'), defaultFeature(name as never, 'participant', 'jitsi'), defaultFeature(name as never, 'moderator', 'jaas'), defaultFeature(name as never, 'participant', 'jaas')]
      t.same(cells.slice(0, 4), expected.map(value => value ? 'yes' : 'no'), name)
    }
  }
  t.same([...documented].sort(), [...KNOWN_FEATURES].sort(), 'every known feature has a row')
})
