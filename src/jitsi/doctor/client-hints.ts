/**
 * What the web client's validateJwt reports after a failed connection (docs/jitsi.md §3.5) and
 * where the moderator flag must sit (§1.7, §6). Prosody accepts a token that fails these, so they
 * are hints: they never make a token invalid.
 */
import { defaultFeatures, OWNER_AFFILIATIONS } from '../feature-defaults.js'
import { MEET_FEATURES, PROSODY_ONLY_FEATURES } from '../features.js'
import { hint, pass, show, type CheckResult } from './check.js'

const JAAS_PREFIX = 'vpaas-magic-cookie'
const FEATURE_VALUES: unknown[] = [true, false, 'true', 'false']
/** Problems named one by one; the rest are counted, so many short keys cannot inflate the answer. */
const LISTED_PROBLEMS = 5

function objectAt (value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined
}

export function contextCheck (payload: Record<string, unknown>): CheckResult {
  if (objectAt(payload.context)) return pass('context', 'context is present.')
  return hint('context', 'There is no context object: Prosody accepts the token, but the web client reports "context not found" when a connection fails, nobody gets a name or avatar from it, and modules that require context reject it. Add context.user (id, name).')
}

/**
 * The usual mistake: features sent to add one (`{recording: true}`), which denies every default not listed.
 * A token that writes any denial shows its author knows the listing rule, so only all-allowed lists count.
 */
function implicitDenials (payload: Record<string, unknown>, features: Record<string, unknown>): string[] {
  if (Object.values(features).some(value => value === false || value === 'false')) return []
  const user = objectAt(objectAt(payload.context)?.user)
  const moderator = user?.moderator === true || user?.moderator === 'true' || (typeof user?.affiliation === 'string' && OWNER_AFFILIATIONS.includes(user.affiliation))
  return defaultFeatures(moderator ? 'moderator' : 'participant', 'jitsi').filter(name => !Object.hasOwn(features, name))
}

export function featuresCheck (payload: Record<string, unknown>): CheckResult {
  const features = objectAt(objectAt(payload.context)?.features)
  if (!features) return pass('features', `There is no context.features: moderators get Jitsi's default permissions (${defaultFeatures('moderator', 'jitsi').join(', ')}), participants ${defaultFeatures('participant', 'jitsi').join(', ')}.`)
  const jaas = typeof payload.sub === 'string' && payload.sub.startsWith(JAAS_PREFIX)
  const problems: string[] = []
  const prosodyOnly: string[] = []
  for (const [name, value] of Object.entries(features)) {
    if ((PROSODY_ONLY_FEATURES as readonly string[]).includes(name)) {
      // Self-hosted, Prosody reads them; the web client names them only among its hints after a failed connection.
      if (jaas) problems.push(`${show(name)} is read only by a self-hosted Prosody; JaaS's web client reports it as "Invalid feature"`)
      else prosodyOnly.push(name)
    } else if (!(MEET_FEATURES as readonly string[]).includes(name)) {
      problems.push(`${show(name)} is not a Jitsi feature (the web client shows "Invalid feature: ${name}"), so nothing reads it`)
    } else if (!FEATURE_VALUES.includes(value)) {
      problems.push(`${show(name)} is ${show(value)}, which the web client reports as an invalid value and Jitsi reads as "not allowed"`)
    }
  }
  const implicit = jaas ? [] : implicitDenials(payload, features)
  if (problems.length === 0 && implicit.length > 0) {
    return hint('features', `context.features lists ${Object.keys(features).length} feature(s), all allowed, and so turns off every feature it does not list, including ${implicit.join(', ')}, which Jitsi gives this user's role by default. List them as true to keep them, or leave context.features out for Jitsi's defaults.`)
  }
  const note = prosodyOnly.length > 0 ? ` ${prosodyOnly.join(', ')} ${prosodyOnly.length === 1 ? 'is' : 'are'} read by Prosody only; the web client lists such names among its hints after a failed connection, which is harmless.` : ''
  if (problems.length === 0) return pass('features', `context.features uses known names and true/false values; every feature not listed (${Object.keys(features).length} listed) is denied, even to moderators.${note}`)
  const more = problems.length > LISTED_PROBLEMS ? `; and ${problems.length - LISTED_PROBLEMS} more` : ''
  return hint('features', `In context.features, ${problems.slice(0, LISTED_PROBLEMS).join('; ')}${more}. Use the names Jitsi knows with true/false or "true"/"false".`)
}

/**
 * While a room's lobby is on, token_affiliation does not make a token moderator owner, so they knock like
 * everyone (jitsi-meet#7561, #15156); contrib's token_lobby_bypass lets lobby_bypass: true through (§12).
 */
function lobbyBypassHint (payload: Record<string, unknown>, user: Record<string, unknown> | undefined): CheckResult | undefined {
  const jaas = typeof payload.sub === 'string' && payload.sub.startsWith(JAAS_PREFIX)
  if (jaas || user?.lobby_bypass === true) return undefined
  return hint('moderator', 'This moderator token has no context.user.lobby_bypass: true. While the room\'s lobby is on, token_affiliation does not make a token moderator owner, so they knock like everyone (jitsi-meet#7561, #15156). Add lobby_bypass: true and load contrib\'s token_lobby_bypass.')
}

export function moderatorCheck (payload: Record<string, unknown>): CheckResult {
  const user = objectAt(objectAt(payload.context)?.user)
  const moderator = user?.moderator
  const topLevel = payload.moderator
  // token_affiliation makes these owners whatever context.user.moderator says (§1.5).
  const ownerAffiliation = typeof user?.affiliation === 'string' && OWNER_AFFILIATIONS.includes(user.affiliation)
  const owner = moderator === true || moderator === 'true' || ownerAffiliation
  // The community token_moderation plugin reads a top-level boolean; core reads context.user (§2).
  if (topLevel !== undefined && (moderator !== undefined || ownerAffiliation) && topLevel !== owner) {
    return hint('moderator', `The top-level moderator (${show(topLevel)}) and context.user (moderator ${show(moderator)}, affiliation ${show(user?.affiliation)}) disagree: token_moderation reads the first as a boolean, token_affiliation the second. Make them the same.`)
  }
  if (moderator === undefined) {
    if (ownerAffiliation) return lobbyBypassHint(payload, user) ?? pass('moderator', `context.user.affiliation ${show(user?.affiliation)} makes the user owner where token_affiliation is loaded.`)
    if (topLevel !== undefined && topLevel !== false) {
      return hint('moderator', `moderator is at the top level (${show(payload.moderator)}), where Jitsi's token_affiliation does not look; put it in context.user.moderator.`)
    }
    return pass('moderator', 'context.user.moderator is not set: the user joins as a member where token_affiliation is loaded.')
  }
  if (!FEATURE_VALUES.includes(moderator)) {
    return hint('moderator', `context.user.moderator is ${show(moderator)}; token_affiliation only understands true or "true", so this user will not be moderator. Send a boolean.`)
  }
  if (owner) return lobbyBypassHint(payload, user) ?? pass('moderator', `context.user.moderator is ${show(moderator)}; it takes effect only with token_affiliation loaded and jicofo's authentication and auto-owner off (otherwise every token user is moderator).`)
  return pass('moderator', `context.user.moderator is ${show(moderator)}: the user joins as a member where token_affiliation is loaded.`)
}

/** JaaS (8x8) rules the web client checks when sub starts with vpaas-magic-cookie (functions.ts L149–174). */
export function jaasCheck (header: Record<string, unknown>, payload: Record<string, unknown>): CheckResult {
  const { sub, aud, iss } = payload
  if (typeof sub !== 'string' || !sub.startsWith(JAAS_PREFIX)) {
    return pass('jaas', `Not a JaaS token (sub does not start with ${JAAS_PREFIX}-), so 8x8's rules do not apply.`)
  }
  const { kid } = header
  const problems: string[] = []
  if (typeof kid !== 'string' || kid === '') problems.push('the header has no kid (it must be "<AppID>/<key id>")')
  else if (kid.substring(0, kid.indexOf('/')) !== sub) problems.push(`kid ${show(kid)} does not start with sub ${show(sub)} followed by "/"`)
  if (aud !== 'jitsi') problems.push(`aud is ${show(aud)}, not "jitsi"`)
  if (iss !== 'chat') problems.push(`iss is ${show(iss)}, not "chat"`)
  if (!objectAt(payload.context)?.features) problems.push('context.features is missing')
  if (problems.length === 0) return pass('jaas', 'A JaaS token with kid "<AppID>/…", aud "jitsi", iss "chat" and context.features, as 8x8 requires.')
  return hint('jaas', `This is a JaaS token (sub ${show(sub)}), but ${problems.join(', ')}; 8x8 rejects it and the web client reports it. See the 8x8 JaaS JWT documentation.`)
}
