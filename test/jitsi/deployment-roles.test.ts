import t from 'tap'
import { expectedRoles, roleSettingsFromDockerEnv } from '../../src/jitsi/deployment-roles.js'
import { dockerTokenSettings } from '../../src/jitsi/docker-env.js'

const roles = (env: Record<string, string>) => expectedRoles(roleSettingsFromDockerEnv(env, dockerTokenSettings(env).mucModules))
const JWT = { ENABLE_AUTH: '1', AUTH_TYPE: 'jwt', JWT_APP_ID: 'app', JWT_APP_SECRET: 's' }

t.test('docker\'s defaults with AUTH_TYPE=jwt: jicofo authentication makes everyone moderator', async t => {
  const expected = roles(JWT)
  t.equal(expected.moderatorToken.role, 'moderator')
  t.equal(expected.guestToken.role, 'moderator')
  t.match(expected.guestToken.decidedBy, /JICOFO_ENABLE_AUTH/)
  t.match(expected.moderatorWithLobby, /knocks like a guest/)
})

t.test('the settings docs/deployment.md gives: the token decides, the lobby needs token_lobby_bypass', async t => {
  const base = { ...JWT, JICOFO_ENABLE_AUTH: '0', ENABLE_AUTO_OWNER: 'false', XMPP_MUC_MODULES: 'token_affiliation' }
  const expected = roles(base)
  t.same([expected.moderatorToken.role, expected.guestToken.role], ['moderator', 'participant'])
  t.match(expected.moderatorWithLobby, /add token_lobby_bypass/)
  t.match(roles({ ...base, XMPP_MUC_MODULES: 'token_affiliation,token_lobby_bypass' }).moderatorWithLobby, /^enters/)
  t.equal(roles({ ...base, XMPP_MUC_MODULES: 'token_affiliation_legacy' }).moderatorToken.role, 'moderator', 'contrib\'s legacy module reads the claim too')
})

t.test('muc_wait_for_host makes owners unless WAIT_FOR_HOST_DISABLE_AUTO_OWNERS is set', async t => {
  const base = { ...JWT, JICOFO_ENABLE_AUTH: 'false', XMPP_MUC_MODULES: 'token_affiliation,muc_wait_for_host' }
  t.match(roles(base).guestToken, { role: 'moderator', decidedBy: /muc_wait_for_host/ })
  t.equal(roles({ ...base, WAIT_FOR_HOST_DISABLE_AUTO_OWNERS: 'TRUE' }).guestToken.role, 'participant')
})

t.test('without token_affiliation: the first participant, or nobody', async t => {
  const base = { ...JWT, JICOFO_ENABLE_AUTH: 'no' }
  t.match(roles(base).moderatorToken, { role: 'moderator when first in the room', decidedBy: /ENABLE_AUTO_OWNER/ })
  t.equal(roles(base).guestToken.role, 'moderator when first in the room')
  const noAutoOwner = roles({ ...base, ENABLE_AUTO_OWNER: '0' })
  t.match(noAutoOwner.moderatorToken, { role: 'participant', decidedBy: /nothing reads the moderator claim/ })
  t.match(noAutoOwner.guestToken, { role: 'participant' })
})
