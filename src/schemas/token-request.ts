/**
 * POST /tokens request: the claim tree Jitsi reads (context.user, context.room, context.features)
 * plus what the service needs to build it (room, tenant, ttl) and optional meeting-link overrides.
 */
import { Type, type Static } from '@sinclair/typebox'
import { KNOWN_FEATURES } from '../jitsi/features.js'
import { USER_CLAIM_NAME } from '../jitsi/user-claims.js'
import { TENANT_PATTERN } from '../jitsi/room-name.js'
import { boundedJsonValue } from './json-value.js'

const text = (maxLength: number, description?: string) => Type.String({ maxLength, description })
/** A value presence carries to every participant: XML text only (jitsi/xml-text.ts). */
const presenceText = (maxLength: number, description?: string) => Type.String({ maxLength, description, format: 'xml-text' })

/** A closed set of values as one `enum`, so a wrong value yields one clear error ("must be one of …"). */
function oneOf<T extends string | boolean> (values: readonly T[], description?: string) {
  return Type.Unsafe<T>({ enum: [...values], description })
}

const FeatureValue = oneOf([true, false, 'true', 'false'] as const)

export const UserSchema = Type.Object({
  id: Type.Optional(presenceText(256, 'Stable user id (mod_muc_flip, recording initiator, visitor lists)')),
  name: Type.Optional(presenceText(256, 'Display name')),
  email: Type.Optional(presenceText(320, 'Shown to every participant (mod_presence_identity)')),
  avatar: Type.Optional(Type.String({ maxLength: 2048, pattern: '^https?://', format: 'xml-text', description: 'Avatar image URL' })),
  moderator: Type.Optional(Type.Boolean({ description: 'Read by token_affiliation as context.user.moderator' })),
  affiliation: Type.Optional(oneOf(['owner', 'moderator', 'teacher', 'member'] as const, 'token_affiliation: owner, moderator and teacher become owner')),
  lobby_bypass: Type.Optional(Type.Boolean({ description: 'token_lobby_bypass (contrib): boolean true only' })),
  security_bypass: Type.Optional(Type.Boolean({ description: 'token_security_ondemand (contrib): bypass password and lobby' })),
  'hidden-from-recorder': Type.Optional(Type.Boolean({ description: 'The web client and JaaS leave this user out of recordings; needs the moderator grant' })),
  'video-hidden-from-recorder': Type.Optional(Type.Boolean({ description: 'The recorder (Jibri) records this user\'s audio but shows no video tile for them; needs the moderator grant' })),
  role: Type.Optional(oneOf(['visitor'] as const, 'Jitsi reads only "visitor": the user joins as a viewer (mod_visitors_component, preferVisitor)')),
  lobby: Type.Optional(Type.Boolean({ description: 'token_lobby_ondemand (contrib): true sends the user through a lobby, false lets them bypass it; needs the moderator grant' }))
}, {
  // Anything else is a custom claim (grants.userClaims), a string or boolean that presence carries as text.
  additionalProperties: Type.Union([presenceText(256), Type.Boolean()]),
  propertyNames: { pattern: USER_CLAIM_NAME, maxLength: 64 },
  maxProperties: 32
})

export const RoomOptionsSchema = Type.Object({
  lobby: Type.Optional(Type.Boolean({ description: 'token_security_ondemand: true creates the lobby, false removes it' })),
  password: Type.Optional(text(128, 'token_security_ondemand: room password; "" removes it')),
  security_bypass: Type.Optional(Type.Boolean({ description: 'Accepted here as in the wiki; emitted under context.user where Jitsi reads it' })),
  lobby_autostart: Type.Optional(Type.Boolean({ description: 'token_lobby_autostart (contrib): false keeps the auto-started lobby off; needs the moderator grant' })),
  regex: Type.Optional(Type.Boolean({ description: 'true: room is a Lua pattern (at most 128 characters and 3 quantifiers), applied by Prosody only with domain verification on; needs the wildcard-room grant' }))
}, { additionalProperties: false })

/** context.room.regex: true turns `room` from a room name into a Lua pattern. */
const PATTERN_ROOM = {
  properties: { context: { type: 'object', properties: { room: { type: 'object', properties: { regex: { const: true } }, required: ['regex'] } }, required: ['room'] } },
  required: ['context']
}

export const FeaturesSchema = Type.Object(
  Object.fromEntries(KNOWN_FEATURES.map(name => [name, Type.Optional(FeatureValue)])),
  { additionalProperties: false, description: 'Only known feature names. Sending features denies every feature not listed.' }
)

/** A request as a backend sends it: the body the API docs (/docs) offer under "Try it out". */
const EXAMPLE = {
  room: 'Daily Standup',
  ttl: 3600,
  context: {
    user: { id: 'u-42', name: 'Alice', email: 'alice@example.org', moderator: true },
    features: { recording: true, 'screen-sharing': true }
  },
  meeting: { config: { 'prejoinConfig.enabled': false } }
}

/** Levels of arrays and objects a `meeting.config` value may nest, e.g. {"buttons": [["a"]]} is 2. */
export const MEETING_CONFIG_DEPTH = 3
/**
 * A `meeting.config` key (the part after `config.` in the link hash), and how many a link may set. No
 * segment may be __proto__, constructor or prototype: the client sets the dotted path into its config.
 */
export const MEETING_CONFIG_KEY = '(?!(?:[A-Za-z0-9_]*\\.)*(?:__proto__|constructor|prototype)(?:\\.|$))[A-Za-z][A-Za-z0-9_.]{0,99}'
export const MAX_MEETING_CONFIG_KEYS = 32
/** One `meeting.config` value: any JSON nested at most MEETING_CONFIG_DEPTH levels. */
export const MeetingConfigValue = boundedJsonValue(MEETING_CONFIG_DEPTH)

/** The request schema; `maxTtl` is JWT_MAX_TTL, so a too-long ttl is reported with every other bad field. */
export const tokenRequestSchema = (maxTtl: number) => Type.Object({
  room: Type.String({ minLength: 1, maxLength: 200, description: 'Room name as people see it, or "*" with a wildcard grant. Characters the web client strips from URLs are refused. With context.room.regex: a Lua pattern.', examples: ['Daily Standup'] }),
  tenant: Type.Optional(Type.String({ pattern: TENANT_PATTERN, description: 'Tenant (https://host/<tenant>/<room>); letters, digits, _ and - (no dots)' })),
  ttl: Type.Optional(Type.Integer({ minimum: 1, maximum: maxTtl, description: 'Lifetime in seconds (default JWT_TTL, at most JWT_MAX_TTL)' })),
  context: Type.Optional(Type.Object({
    user: Type.Optional(UserSchema),
    room: Type.Optional(RoomOptionsSchema),
    features: Type.Optional(FeaturesSchema),
    group: Type.Optional(presenceText(256))
  }, { additionalProperties: false })),
  meeting: Type.Optional(Type.Object({
    // propertyNames, not a pattern-keyed Record: that only emits patternProperties, which lets any other key through.
    // Values nest at most MEETING_CONFIG_DEPTH arrays/objects deep: Jitsi's config needs two at most.
    config: Type.Optional(Type.Record(Type.String(), MeetingConfigValue, {
      propertyNames: { pattern: `^${MEETING_CONFIG_KEY}$` },
      maxProperties: MAX_MEETING_CONFIG_KEYS,
      description: `Jitsi config overrides for the link hash, e.g. {"prejoinConfig.enabled": false}; values nest at most ${MEETING_CONFIG_DEPTH} arrays/objects deep`
    })),
    userInfo: Type.Optional(Type.Object({
      displayName: Type.Optional(text(256)),
      email: Type.Optional(text(320))
    }, { additionalProperties: false }))
  }, { additionalProperties: false }))
}, {
  additionalProperties: false,
  $id: 'TokenRequest',
  examples: [EXAMPLE],
  if: PATTERN_ROOM,
  then: { properties: { room: { type: 'string', format: 'lua-room-pattern' } } },
  else: { properties: { room: { type: 'string', format: 'jitsi-room' } } }
})

export type TokenRequest = Static<ReturnType<typeof tokenRequestSchema>>
