/**
 * Feature flags under `context.features` (docs/jitsi.md §1.5, §3.3).
 * Sending `features` at all denies every feature that is not listed, even to moderators.
 */

/**
 * Names the web client knows (MEET_FEATURES in base/jwt/constants.ts) and validates, in its order.
 * `send-private-message` came with jitsi/jitsi-meet#17838; test/conformance checks this list against Jitsi's.
 */
export const MEET_FEATURES = [
  'branding', 'calendar', 'create-polls', 'file-upload', 'flip', 'inbound-call', 'livestreaming',
  'live-translation', 'lobby', 'moderation', 'outbound-call', 'recording', 'room', 'screen-sharing',
  'send-groupchat', 'send-private-message', 'list-visitors', 'sip-inbound-call', 'sip-outbound-call', 'transcription'
] as const

/** Names only Prosody reads; the web client does not know them. */
export const PROSODY_ONLY_FEATURES = ['name-readonly', 'live-translation-subscribe'] as const

export const KNOWN_FEATURES = [...MEET_FEATURES, ...PROSODY_ONLY_FEATURES] as const
export type FeatureName = typeof KNOWN_FEATURES[number]

/** What callers may send: a boolean, or the strings Jitsi itself uses. */
export type FeatureInput = boolean | 'true' | 'false'
export type FeatureFlags = Partial<Record<FeatureName, FeatureInput>>
export type FeatureClaims = Partial<Record<FeatureName, boolean | 'true' | 'false'>>

export function isEnabled (value: FeatureInput | undefined): boolean {
  return value === true || value === 'true'
}

/**
 * The `context.features` claim. Prosody accepts `true`/"true" and the web client compares
 * `String(value) === 'true'`; JaaS documents strings, so strings serve every reader.
 * `name-readonly` is the exception: mod_muc_displayname honours only the boolean `true`.
 */
export function featureClaims (features: FeatureFlags): FeatureClaims {
  const claims: FeatureClaims = {}
  for (const name of KNOWN_FEATURES) {
    const value = features[name]
    if (value === undefined) continue
    claims[name] = name === 'name-readonly' ? isEnabled(value) : String(isEnabled(value)) as 'true' | 'false'
  }
  return claims
}
