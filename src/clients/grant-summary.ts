/**
 * What a client's tokens turn on and off, in plain words, per role it may mint: printed by `client add`
 * so an operator sees the effect of `--features` before handing the key over.
 */
import { defaultFeatures, featuresWithin, type Profile, type Role } from '../jitsi/feature-defaults.js'
import { isEnabled } from '../jitsi/features.js'
import type { Grants } from './grants.js'

const ROLE_NAMES: Record<Role, string> = { moderator: 'Moderator tokens', participant: 'Guest (participant) tokens' }

function sentence (role: Role, grants: Grants, profile: Profile): string {
  if (grants.features.includes('*')) {
    return `${ROLE_NAMES[role]} keep Jitsi's defaults: ${defaultFeatures(role, profile).join(', ')}.`
  }
  const flags = featuresWithin(undefined, name => grants.features.includes(name), role, profile)
  const on = Object.entries(flags).filter(([, value]) => isEnabled(value)).map(([name]) => name)
  const off = Object.entries(flags).filter(([, value]) => !isEnabled(value)).map(([name]) => name)
  return `${ROLE_NAMES[role]} turn on ${on.join(', ') || 'nothing'}; off: ${off.join(', ') || 'nothing'} (restricted by --features).`
}

export function grantSummary (grants: Grants, profile: Profile = 'jitsi'): string[] {
  const roles: Role[] = grants.moderator ? ['moderator', 'participant'] : ['participant']
  return roles.map(role => sentence(role, grants, profile))
}
