/**
 * The fix, where there is an obvious one, added to a validation problem: people write the claims they
 * have seen in other tokens (`exp`, top-level `features`), milliseconds, and near-miss feature names.
 */
import { KNOWN_FEATURES } from '../jitsi/features.js'
import { editDistance } from '../text/edit-distance.js'

const FEATURES_DOC = 'docs/claims.md#contextfeatures'

/** Top-level fields people send, and where the request takes what they mean. */
const MISPLACED: Record<string, string> = {
  exp: 'set the lifetime with ttl, in seconds; exp, nbf and iat are computed from it',
  nbf: 'nbf is computed (a few seconds in the past, for clock skew); set the lifetime with ttl, in seconds',
  iat: 'iat is computed; set the lifetime with ttl, in seconds',
  features: 'features belong in context.features',
  moderator: 'moderator belongs in context.user.moderator',
  user: 'the user belongs in context.user',
  sub: 'sub is computed from tenant (or the XMPP domain); send tenant instead',
  aud: 'aud comes from the configuration (JWT_AUDIENCE)',
  iss: 'iss comes from the configuration (JWT_APP_ID)'
}

/** Known feature names close to `name` (a typo, or a prefix such as "screen-share"), closest first. */
export function closeFeatures (name: string): string[] {
  const lower = name.toLowerCase()
  return KNOWN_FEATURES
    .map(known => ({ known, score: known.startsWith(lower) || lower.startsWith(known) ? 0 : editDistance(lower, known) }))
    .filter(candidate => candidate.score <= Math.max(2, Math.floor(name.length / 3)))
    .sort((a, b) => a.score - b.score)
    .slice(0, 3)
    .map(candidate => candidate.known)
}

export function unknownFieldHint (path: string): string | undefined {
  return MISPLACED[path]
}

export function unknownFeatureHint (name: string): string {
  const close = closeFeatures(name)
  const guess = close.length > 0 ? `did you mean ${close.map(known => `"${known}"`).join(' or ')}? ` : ''
  return `${guess}The feature names are listed in ${FEATURES_DOC}`
}

/** A ttl over the maximum in whole seconds of at least a minute, which would fit as seconds: milliseconds. */
export function ttlHint (instancePath: string, value: unknown, maximum: number): string | undefined {
  if (instancePath !== '/ttl' || typeof value !== 'number' || value < 60_000 || value % 1000 !== 0 || value / 1000 > maximum) return undefined
  return `${value} looks like milliseconds: ttl is in seconds (${value / 1000} s)`
}
