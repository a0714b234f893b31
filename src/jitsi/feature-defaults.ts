/**
 * What Jitsi gives a user when the token has no `context.features`, and what it does with a feature a
 * token's `context.features` leaves out (docs/jitsi.md §1.5, §3.3, §4). The one table of it: the
 * grant logic, the doctor and docs/claims.md all read it from here.
 *
 * Two readers decide a feature:
 * - Prosody's `is_feature_allowed(ft, features, granted, is_moderator)` (util.lib.lua): with features,
 *   only "true"/true allows; without, the moderator role does. `live-translation-subscribe` is denied
 *   only by an explicit false, `name-readonly` acts only on the boolean true.
 * - the web client's `isJwtFeatureEnabled(state, feature, ifNotInFeatures)`: a missing key gives the
 *   caller's default. Without token features, Prosody's mod_jitsi_permissions pushes
 *   `jitsi_default_permissions` to moderators (and only to them) as their features.
 * A user gets a feature when every reader that checks it allows it. JaaS's backend starts a token
 * without features with `{}` (base/jwt/functions.ts), so there "no features" means "nothing listed".
 */
import { KNOWN_FEATURES, MEET_FEATURES, type FeatureName } from './features.js'

export type Role = 'moderator' | 'participant'
export type Profile = 'jitsi' | 'jaas'

/** A reader's answer for each role: when the token has no features, and when features leave the name out. */
interface Answer { withoutFeatures: Record<Role, boolean>, unlisted: Record<Role, boolean> }

const both = (value: boolean) => ({ moderator: value, participant: value })
const moderatorOnly = { moderator: true, participant: false }

/** is_feature_allowed: without features, moderators; with features, only a listed true. */
const PROSODY_MODERATOR_FALLBACK: Answer = { withoutFeatures: moderatorOnly, unlisted: both(false) }

/** mod_jitsi_permissions `jitsi_default_permissions` (PR #17838 added send-private-message). */
export const JITSI_DEFAULT_PERMISSIONS: readonly FeatureName[] = [
  'livestreaming', 'recording', 'transcription', 'outbound-call', 'create-polls', 'send-groupchat',
  'send-private-message', 'flip', 'live-translation', 'live-translation-subscribe'
]

/** isJwtFeatureEnabled(state, name, ifNotInFeatures); moderators without token features hold the pushed defaults. */
function webClient (name: FeatureName, ifNotInFeatures: boolean | 'moderator'): Answer {
  const unlisted = ifNotInFeatures === 'moderator' ? moderatorOnly : both(ifNotInFeatures)
  const pushed = JITSI_DEFAULT_PERMISSIONS.includes(name)
  return { withoutFeatures: { moderator: pushed || unlisted.moderator, participant: unlisted.participant }, unlisted }
}

interface Readers { prosody?: Answer, web?: Answer, where: string }

/** Every known feature and who reads it, from jitsi/jitsi-meet at 10f7c81e and @jitsi/react-native-sdk 13.2.0. */
const READERS: Record<FeatureName, Readers> = {
  recording: { prosody: PROSODY_MODERATOR_FALLBACK, web: webClient('recording', false), where: 'mod_filter_iq_jibri; recording/functions.ts' },
  livestreaming: { prosody: PROSODY_MODERATOR_FALLBACK, web: webClient('livestreaming', false), where: 'mod_filter_iq_jibri; AbstractLiveStreamButton.ts' },
  transcription: { prosody: PROSODY_MODERATOR_FALLBACK, web: webClient('transcription', false), where: 'mod_filter_iq_rayo; transcribing/functions.ts' },
  'outbound-call': { prosody: PROSODY_MODERATOR_FALLBACK, web: webClient('outbound-call', false), where: 'mod_filter_iq_rayo; invite/functions.ts' },
  'create-polls': { prosody: PROSODY_MODERATOR_FALLBACK, web: webClient('create-polls', false), where: 'mod_polls_component; polls/functions.ts' },
  'send-groupchat': { prosody: PROSODY_MODERATOR_FALLBACK, web: webClient('send-groupchat', false), where: 'mod_filter_messages (restricted rooms); chat/functions.ts' },
  'send-private-message': { prosody: PROSODY_MODERATOR_FALLBACK, web: webClient('send-private-message', false), where: 'mod_filter_messages (restricted rooms, PR #17838); chat/functions.ts' },
  flip: { prosody: PROSODY_MODERATOR_FALLBACK, where: 'mod_muc_flip' },
  'file-upload': { prosody: PROSODY_MODERATOR_FALLBACK, web: webClient('file-upload', false), where: 'mod_filesharing_component; file-sharing/functions.any.ts (not among the pushed defaults)' },
  'live-translation': { prosody: PROSODY_MODERATOR_FALLBACK, web: webClient('live-translation', 'moderator'), where: 'mod_audio_translation_component; audio-translation/functions.ts' },
  'live-translation-subscribe': { prosody: { withoutFeatures: both(true), unlisted: both(true) }, where: 'mod_audio_translation_component: denied only by an explicit false' },
  'screen-sharing': { web: webClient('screen-sharing', true), where: 'toolbox/functions.web.ts: a missing key allows' },
  'list-visitors': { web: webClient('list-visitors', false), where: 'visitors/functions.ts' },
  'sip-outbound-call': { web: webClient('sip-outbound-call', false), where: 'invite/functions.ts' },
  // A restriction, not a power: mod_muc_displayname forces the token's name only on the boolean true.
  'name-readonly': { prosody: { withoutFeatures: both(false), unlisted: both(false) }, where: 'mod_muc_displayname' },
  // Nothing in Jitsi's open code reads these; only JaaS's backend may.
  branding: { where: 'JaaS only' },
  calendar: { where: 'JaaS only' },
  'inbound-call': { where: 'JaaS only' },
  lobby: { where: 'JaaS only' },
  moderation: { where: 'JaaS only' },
  room: { where: 'JaaS only' },
  'sip-inbound-call': { where: 'JaaS only' }
}

/** The names a profile may emit: JaaS's web client flags Prosody-only names as invalid (§3.5). */
export function profileFeatures (profile: Profile): readonly FeatureName[] {
  return profile === 'jaas' ? MEET_FEATURES : KNOWN_FEATURES
}

function readersOf (name: FeatureName): Answer[] {
  const { prosody, web } = READERS[name]
  return [prosody, web].filter((answer): answer is Answer => answer !== undefined)
}

/** Does a user of this role get the feature from a token without `context.features`? */
export function defaultFeature (name: FeatureName, role: Role, profile: Profile): boolean {
  const readers = readersOf(name)
  if (readers.length === 0 || !profileFeatures(profile).includes(name)) return false
  // JaaS starts such a token with features {}: every name is then unlisted.
  return readers.every(answer => (profile === 'jaas' ? answer.unlisted : answer.withoutFeatures)[role])
}

/** Does some reader still allow the feature when the token's features leave it out? Then a denial must be written. */
export function allowedWhenUnlisted (name: FeatureName, role: Role, profile: Profile): boolean {
  return profileFeatures(profile).includes(name) && readersOf(name).some(answer => answer.unlisted[role])
}

/** The features a user of this role gets from a token without `context.features`, for the table in docs/claims.md. */
export function defaultFeatures (role: Role, profile: Profile): FeatureName[] {
  return profileFeatures(profile).filter(name => defaultFeature(name, role, profile))
}

/** The web client's `ifNotInFeatures` for a feature, or undefined when it does not read it. */
export function webClientDefault (name: FeatureName): boolean | 'moderator' | undefined {
  const unlisted = READERS[name].web?.unlisted
  if (!unlisted) return undefined
  return unlisted.moderator === unlisted.participant ? unlisted.moderator : 'moderator'
}

/** Where Jitsi decides a feature, for the docs table. */
export function featureReaders (name: FeatureName): string {
  return READERS[name].where
}

/** Affiliations token_affiliation turns into owner (docs/jitsi.md §1.5); with moderator: true, what makes a moderator. */
export const OWNER_AFFILIATIONS = ['owner', 'moderator', 'teacher']

export function tokenRole (user: { moderator?: boolean, affiliation?: string } | undefined): Role {
  return user?.moderator === true || OWNER_AFFILIATIONS.includes(user?.affiliation ?? '') ? 'moderator' : 'participant'
}

export type FeatureFlagsInput = Partial<Record<FeatureName, boolean | 'true' | 'false'>>

/**
 * The features a token carries when its issuer may enable only some (`isGranted`). Sending features
 * switches every reader to "listed or denied", so without a request the token lists what Jitsi would
 * give this role anyway, each as granted or not; either way every feature a reader still allows when
 * unlisted, and that is not granted, is written out as false. Nothing more, nothing less than Jitsi's defaults.
 */
export function featuresWithin (requested: FeatureFlagsInput | undefined, isGranted: (name: FeatureName) => boolean, role: Role, profile: Profile): FeatureFlagsInput {
  const { defaults, unlistedAllowed } = roleTable(role, profile)
  const listed: FeatureFlagsInput = requested
    ? { ...requested }
    : Object.fromEntries(defaults.map(name => [name, isGranted(name)]))
  for (const name of unlistedAllowed) {
    if (listed[name] === undefined && !isGranted(name)) listed[name] = false
  }
  return listed
}

/** The table does not change: work it out once per role and profile, not for every token. */
const ROLE_TABLES = new Map<string, { defaults: FeatureName[], unlistedAllowed: FeatureName[] }>()

function roleTable (role: Role, profile: Profile) {
  const key = `${role}/${profile}`
  let table = ROLE_TABLES.get(key)
  if (!table) {
    table = { defaults: defaultFeatures(role, profile), unlistedAllowed: profileFeatures(profile).filter(name => allowedWhenUnlisted(name, role, profile)) }
    ROLE_TABLES.set(key, table)
  }
  return table
}
