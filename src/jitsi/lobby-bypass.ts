/**
 * Moderators who wait in the lobby (docs/jitsi.md §1.6, §12): while a room's lobby is on, Jitsi's own
 * token_affiliation does not make a token moderator owner (jitsi-meet#7561, #15156, #15346; PR #17689
 * was closed unmerged), so the moderator knocks like everyone. Contrib's token_lobby_bypass lets a user
 * with `context.user.lobby_bypass: true` through. A moderator token therefore carries it, unless the
 * request says otherwise.
 */
import { tokenRole } from './feature-defaults.js'

interface LobbyUser { moderator?: boolean, affiliation?: string, lobby_bypass?: boolean }

export function withModeratorLobbyBypass<U extends LobbyUser> (user: U | undefined): U | undefined {
  if (!user || user.lobby_bypass !== undefined || tokenRole(user) !== 'moderator') return user
  return { ...user, lobby_bypass: true }
}
