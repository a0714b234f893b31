/**
 * Who the person is, taken from their verified identity-provider token, never from the request body.
 * Pure: claims in, the context.user fields Jitsi reads and shows (docs/jitsi.md §1.5, §3.2) out.
 */
import { isXmlText } from '../jitsi/xml-text.js'
import type { ModeratorRule } from './oidc-config.js'

export interface IdpIdentity {
  /** The IdP's `sub`: stable, becomes context.user.id. */
  id: string
  name?: string
  email?: string
  /** From `picture`. */
  avatar?: string
  moderator: boolean
}

export type IdpClaims = Record<string, unknown>

// The token request's own limits (src/schemas/token-request.ts), so an identity always fits the token.
const MAX_LENGTH = { id: 256, name: 256, email: 320, avatar: 2048 }

/** A usable value, or undefined: presence carries it to every participant, so it must be XML text. */
function text (value: unknown, maxLength: number): string | undefined {
  return typeof value === 'string' && value.trim() !== '' && value.length <= maxLength && isXmlText(value) ? value : undefined
}

/** IdPs spell "not verified" as false or, in userinfo (AWS Cognito), as the string "false". */
function unverified (value: unknown): boolean {
  return value === false || (typeof value === 'string' && value.trim().toLowerCase() === 'false')
}

/** A claim by its exact name (Auth0-style "https://example.org/roles"), else by dotted path ("realm_access.roles"). */
export function claimValue (claims: IdpClaims, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name]
  let value: unknown = claims
  for (const key of name.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

export function isModerator (claims: IdpClaims, rule: ModeratorRule | undefined): boolean {
  if (!rule) return false
  const value = claimValue(claims, rule.claim)
  if (rule.values.length === 0) return value === true || value === 'true'
  const held = Array.isArray(value) ? value : [value]
  return held.some(item => typeof item === 'string' && rule.values.includes(item))
}

/** The identity in a verified token, or undefined when it names nobody (no usable `sub`). */
export function idpIdentity (claims: IdpClaims, rule: ModeratorRule | undefined): IdpIdentity | undefined {
  const id = text(claims.sub, MAX_LENGTH.id)
  if (id === undefined) return undefined
  const identity: IdpIdentity = { id, moderator: isModerator(claims, rule) }
  const name = text(claims.name, MAX_LENGTH.name) ?? text(claims.preferred_username, MAX_LENGTH.name)
  if (name !== undefined) identity.name = name
  // An address the IdP says it has not verified could be anyone's; leave it out.
  const email = unverified(claims.email_verified) ? undefined : text(claims.email, MAX_LENGTH.email)
  if (email !== undefined) identity.email = email
  const avatar = text(claims.picture, MAX_LENGTH.avatar)
  if (avatar !== undefined && /^https?:\/\//.test(avatar)) identity.avatar = avatar
  return identity
}
