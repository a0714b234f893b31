/**
 * Who becomes moderator in a Jitsi deployment, from the settings that decide it (docs/jitsi.md §1.7 and
 * §12.2). A token can only ask; these settings decide. Read like a checklist, first rule that applies wins.
 */
import { dockerBool, type DockerEnv } from './docker-env.js'

export interface RoleSettings {
  /** Jitsi's mod_token_affiliation (XMPP_MUC_MODULES=token_affiliation): reads context.user.moderator. */
  tokenAffiliation: boolean
  /** mod_muc_wait_for_host loaded. */
  waitForHost: boolean
  /** wait_for_host_disable_auto_owners (WAIT_FOR_HOST_DISABLE_AUTO_OWNERS) is NOT set. */
  waitForHostMakesOwners: boolean
  /** jicofo's own authentication (JICOFO_ENABLE_AUTH, default ENABLE_AUTH): its role manager makes owners. */
  jicofoAuthentication: boolean
  /** jicofo's enable-auto-owner (ENABLE_AUTO_OWNER, default true): the first participant is owner. */
  autoOwner: boolean
  /** contrib token_lobby_bypass loaded: a token with lobby_bypass skips the lobby. */
  lobbyBypass: boolean
}

export interface RoleVerdict {
  role: 'moderator' | 'participant' | 'moderator when first in the room'
  /** The setting that decides it, in the words of a docker-jitsi-meet .env. */
  decidedBy: string
}

export interface ExpectedRoles {
  moderatorToken: RoleVerdict
  guestToken: RoleVerdict
  /** What happens to a moderator token while the room's lobby is on. */
  moderatorWithLobby: string
}

export function roleSettingsFromDockerEnv (env: DockerEnv, mucModules: readonly string[]): RoleSettings {
  const jicofoAuthentication = dockerBool(env.JICOFO_ENABLE_AUTH, dockerBool(env.ENABLE_AUTH, false))
  return {
    tokenAffiliation: mucModules.includes('token_affiliation') || mucModules.includes('token_affiliation_legacy'),
    waitForHost: mucModules.includes('muc_wait_for_host'),
    waitForHostMakesOwners: !dockerBool(env.WAIT_FOR_HOST_DISABLE_AUTO_OWNERS, false),
    jicofoAuthentication,
    autoOwner: dockerBool(env.ENABLE_AUTO_OWNER, true),
    lobbyBypass: mucModules.includes('token_lobby_bypass')
  }
}

export const JICOFO_OWNS_ALL = 'jicofo authentication is on (JICOFO_ENABLE_AUTH, which defaults to ENABLE_AUTH): jicofo makes every token user owner. Set JICOFO_ENABLE_AUTH=0 and let token_affiliation decide'
export const WAIT_FOR_HOST_OWNS_ALL = 'muc_wait_for_host is loaded without WAIT_FOR_HOST_DISABLE_AUTO_OWNERS=1: it makes every token user owner'
const AFFILIATION = 'token_affiliation (XMPP_MUC_MODULES) reads context.user.moderator'
export const NOTHING_READS_CLAIM = 'nothing reads the moderator claim: add token_affiliation to XMPP_MUC_MODULES'
const FIRST_IS_OWNER = 'jicofo makes the first participant owner (ENABLE_AUTO_OWNER, on by default); add token_affiliation to XMPP_MUC_MODULES and set ENABLE_AUTO_OWNER=false'

function everyoneOwner (settings: RoleSettings): string | undefined {
  if (settings.jicofoAuthentication) return JICOFO_OWNS_ALL
  if (settings.waitForHost && settings.waitForHostMakesOwners) return WAIT_FOR_HOST_OWNS_ALL
  return undefined
}

export function expectedRoles (settings: RoleSettings): ExpectedRoles {
  const allOwners = everyoneOwner(settings)
  const moderatorToken: RoleVerdict = allOwners
    ? { role: 'moderator', decidedBy: allOwners }
    : settings.tokenAffiliation
      ? { role: 'moderator', decidedBy: AFFILIATION }
      : settings.autoOwner
        ? { role: 'moderator when first in the room', decidedBy: FIRST_IS_OWNER }
        : { role: 'participant', decidedBy: NOTHING_READS_CLAIM }
  const guestToken: RoleVerdict = allOwners
    ? { role: 'moderator', decidedBy: allOwners }
    : settings.tokenAffiliation
      ? { role: 'participant', decidedBy: 'token_affiliation makes a token without moderator a member' }
      : settings.autoOwner
        ? { role: 'moderator when first in the room', decidedBy: FIRST_IS_OWNER }
        : { role: 'participant', decidedBy: 'nothing makes token users owner' }
  const moderatorWithLobby = !settings.tokenAffiliation || allOwners
    ? 'knocks like a guest: the lobby holds anyone not yet affiliated, and roles are given after admission'
    : settings.lobbyBypass
      ? 'enters: token_lobby_bypass admits tokens with lobby_bypass (moderator tokens from this service carry it)'
      : 'knocks like a guest: token_affiliation does nothing while the lobby is on; add token_lobby_bypass (jitsi-contrib) to XMPP_MUC_MODULES'
  return { moderatorToken, guestToken, moderatorWithLobby }
}
