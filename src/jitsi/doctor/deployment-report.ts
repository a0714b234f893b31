/**
 * `doctor --deployment`: what a docker-jitsi-meet `.env` makes Prosody and jicofo do with tokens, as lines
 * for a person: whether tokens are verified at all, how, and the role a moderator and a guest token get,
 * with the setting that decides each (jitsi/deployment-roles.ts).
 */
import { expectedRoles, roleSettingsFromDockerEnv } from '../deployment-roles.js'
import { dockerList, dockerTokenSettings, type DockerEnv } from '../docker-env.js'

/** Prosody's meeting modules (docs/jitsi.md §13) under this .env: loaded, and able to accept system tokens? */
function meetingControlLines (env: DockerEnv, algorithm: string | undefined): string[] {
  const modules = [...dockerList(env.GLOBAL_MODULES), ...dockerList(env.XMPP_MODULES)]
  const loaded = ['muc_end_meeting', 'muc_kick_participant', 'muc_size'].filter(name => modules.includes(name))
  if (loaded.length === 0) return ['Meeting control: off (GLOBAL_MODULES=muc_end_meeting, XMPP_MODULES=muc_kick_participant,muc_size turn it on)']
  const lines = [`Meeting control: ${loaded.join(', ')} loaded`]
  if (!/prosody_password_public_key_repo_url/.test(env.GLOBAL_CONFIG ?? '')) {
    lines.push('  ✗ GLOBAL_CONFIG sets no prosody_password_public_key_repo_url: the kick module turns itself off, and end-meeting takes login keys as system keys')
  }
  if (algorithm?.startsWith('HS')) {
    lines.push(`  ✗ tokens are ${algorithm}: Prosody checks system tokens with the same algorithm, so it refuses the service's RS256 system tokens ("Invalid or incorrect alg"); move to RS256`)
  }
  return lines
}

export function deploymentReport (env: DockerEnv): string {
  const settings = dockerTokenSettings(env)
  const { overrides } = settings
  const lines = ['Tokens:']
  for (const problem of settings.problems) lines.push(`  ✗ ${problem}`)
  if (settings.tokensEnabled) {
    lines.push(
      `  algorithm ${overrides.algorithm}${settings.keyServer ? `, public keys from ${settings.keyServer}` : ', the shared JWT_APP_SECRET'}`,
      `  accepted iss ${(overrides.acceptedIssuers ?? ['(none: JWT_APP_ID is empty)']).join(', ')}; accepted aud ${(overrides.acceptedAudiences ?? ['* (any)']).join(', ')}`,
      `  domain verification ${overrides.domainVerification === true ? 'on: sub must be the XMPP domain or the tenant' : 'off (docker\'s default): sub is not compared'}; XMPP domain ${overrides.xmppDomain}`,
      `  MUC modules: ${settings.mucModules.join(', ')}`
    )
  }
  const roles = expectedRoles(roleSettingsFromDockerEnv(env, settings.mucModules))
  lines.push(
    'Roles:',
    `  moderator token → ${roles.moderatorToken.role}: ${roles.moderatorToken.decidedBy}`,
    `  guest token → ${roles.guestToken.role}: ${roles.guestToken.decidedBy}`,
    `  moderator token while the lobby is on → ${roles.moderatorWithLobby}`,
    ...meetingControlLines(env, overrides.algorithm),
    'Prove it on the running deployment: jitsi-token-service check'
  )
  return `${lines.join('\n')}\n`
}
