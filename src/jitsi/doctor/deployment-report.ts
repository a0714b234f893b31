/**
 * `doctor --deployment`: what a docker-jitsi-meet `.env` makes Prosody and jicofo do with tokens, as lines
 * for a person: whether tokens are verified at all, how, and the role a moderator and a guest token get,
 * with the setting that decides each (jitsi/deployment-roles.ts).
 */
import { expectedRoles, roleSettingsFromDockerEnv } from '../deployment-roles.js'
import { dockerTokenSettings, type DockerEnv } from '../docker-env.js'

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
    'Prove it on the running deployment: jitsi-token-service check'
  )
  return `${lines.join('\n')}\n`
}
