/**
 * The context.user and context.room claims read after acceptance (docs/jitsi.md §1.5, §2, §3.2), in the
 * types their readers need. Prosody accepts a token with any of these wrong, so every failure is a hint:
 * the claim is silently ignored, or presence carries something unreadable.
 */
import { USER_CLAIM_NAME } from '../user-claims.js'
import { isXmlText, xmlTextProblem } from '../xml-text.js'
import { hint, pass, show, type CheckResult } from './check.js'

const NAME = new RegExp(USER_CLAIM_NAME)

function objectAt (value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined
}

/** Claims a contrib plugin honours only as a boolean: the string "true" is ignored (§2). */
const BOOLEAN_ONLY: Array<[where: 'user' | 'room', name: string, reader: string]> = [
  ['user', 'lobby_bypass', 'token_lobby_bypass'],
  ['user', 'security_bypass', 'token_security_ondemand'],
  ['user', 'lobby', 'token_lobby_ondemand'],
  ['room', 'lobby', 'token_security_ondemand'],
  ['room', 'lobby_autostart', 'token_lobby_autostart']
]

/** Custom keys whose names say they hold what no other participant should read (§12.4). */
const SENSITIVE_NAME = /password|secret|token|phone|mobile|ssn|birth|address|salary|iban/i

function userProblems (user: Record<string, unknown>): string[] {
  const problems: string[] = []
  for (const [name, value] of Object.entries(user)) {
    if (!NAME.test(name)) problems.push(`context.user key ${show(name)} is not an XML name, so mod_presence_identity cannot put it into presence`)
    else if (typeof value === 'object' || value === undefined) problems.push(`context.user.${name} is ${show(value)}; presence carries every value as text, so send a string or boolean`)
    else if (typeof value === 'string' && !isXmlText(value)) problems.push(`context.user.${name} ${xmlTextProblem(value)}`)
    else if (SENSITIVE_NAME.test(name)) problems.push(`context.user.${name} looks private, and mod_presence_identity shows every context.user key to every participant`)
  }
  const role = user.role
  if (role !== undefined && role !== 'visitor') problems.push(`context.user.role is ${show(role)}; Jitsi reads only "visitor" (join as a viewer)`)
  for (const name of ['hidden-from-recorder', 'video-hidden-from-recorder']) {
    const hidden = user[name]
    if (hidden !== undefined && ![true, false, 'true', 'false'].includes(hidden as never)) {
      problems.push(`context.user.${name} is ${show(hidden)}; the web client and the recorder act only on true or "true"`)
    }
  }
  return problems
}

export function contextClaimsCheck (payload: Record<string, unknown>): CheckResult {
  const context = objectAt(payload.context)
  const sections = { user: objectAt(context?.user), room: objectAt(context?.room) }
  const problems = sections.user ? userProblems(sections.user) : []
  const group = context?.group
  if (typeof group === 'string' && !isXmlText(group)) problems.push(`context.group ${xmlTextProblem(group)}`)
  for (const [where, name, reader] of BOOLEAN_ONLY) {
    const value = sections[where]?.[name]
    if (value !== undefined && typeof value !== 'boolean') problems.push(`context.${where}.${name} is ${show(value)}, but ${reader} acts only on a boolean`)
  }
  const password = sections.room?.password
  if (password !== undefined && typeof password !== 'string') problems.push(`context.room.password is ${show(password)}; token_security_ondemand sets only a string`)
  if (problems.length > 0) return hint('claims', `Prosody accepts the token, but ${problems.join('; ')}. Send these claims in the types their readers take.`)
  const shown = sections.user?.email === undefined ? '' : ' Note that context.user.email, like every context.user key, is shown to every participant (mod_presence_identity).'
  return pass('claims', `The context.user and context.room claims have the types Jitsi and the contrib plugins read.${shown}`)
}
