/**
 * The `{state}` Jitsi puts into tokenAuthUrl (docs/jitsi.md §11.2, §11.3), parsed as the untrusted
 * input it is: anyone can write it. Pure. The room and tenant still go through the grant check and
 * the token request's own rules (login-token.ts) before anything is minted.
 */
import { backendSafeRoomName } from '../jitsi/room-name.js'
import { Ajv } from 'ajv'
import { MAX_MEETING_CONFIG_KEYS, MEETING_CONFIG_DEPTH, MEETING_CONFIG_KEY, MeetingConfigValue } from '../schemas/token-request.js'

export type Platform = 'web' | 'ios' | 'android' | 'electron'

export interface JitsiLoginState {
  /** The room as people see it (the URL segment percent-decoded once). */
  room: string
  tenant?: string
  platform: Platform
  /** `config.*`, `interfaceConfig.*`, `iceServers.*` keys for the meeting link's hash (§11.5). */
  hash: Record<string, unknown>
  /** Ours, from an earlier inline login (refresh-token.ts). */
  refreshToken?: string
}

export interface LoginQuery {
  state?: string
  room?: string
  nonce?: string
}

export class StateError extends Error {
  override name = 'StateError'
}

export const MAX_STATE_LENGTH = 8192
// The state's settings follow POST /tokens' meeting.config rules: key shape, count and nesting.
const HASH_KEY = new RegExp(`^(config|interfaceConfig|iceServers)\\.${MEETING_CONFIG_KEY}$`)
const MAX_HASH_KEYS = MAX_MEETING_CONFIG_KEYS
// The same schema Fastify's Ajv applies to meeting.config values (TypeBox's own checker cannot read it).
const withinDepth = new Ajv({ allowUnionTypes: true }).compile(MeetingConfigValue)
/** The settings travel in the transaction cookie, which browsers cap at 4 KB. */
const MAX_HASH_LENGTH = 2048
const MAX_REFRESH_TOKEN_LENGTH = 4096

function decodeOnce (segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new StateError('The room name in the login link is not valid percent-encoding.')
  }
}

function parseJson (text: string): Record<string, unknown> {
  if (text.length > MAX_STATE_LENGTH) throw new StateError(`The login state is longer than ${MAX_STATE_LENGTH} characters.`)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new StateError('The login state is not valid JSON.')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new StateError('The login state must be a JSON object.')
  return parsed as Record<string, unknown>
}

const optionalString = (state: Record<string, unknown>, key: string): string | undefined => {
  const value = state[key]
  if (value === undefined || value === '') return undefined
  if (typeof value !== 'string') throw new StateError(`The login state's "${key}" must be a string.`)
  return value
}

function platformOf (state: Record<string, unknown>): Platform {
  if (state.ios === true) return 'ios'
  if (state.android === true) return 'android'
  if (state.electron === true) return 'electron'
  return 'web'
}

function hashKeys (state: Record<string, unknown>): Record<string, unknown> {
  const hash: Record<string, unknown> = {}
  const keys = Object.keys(state).filter(key => HASH_KEY.test(key))
  if (keys.length > MAX_HASH_KEYS) throw new StateError(`The login state carries more than ${MAX_HASH_KEYS} settings.`)
  for (const key of keys) {
    if (!withinDepth(state[key])) throw new StateError(`The login state's setting ${key} nests deeper than ${MEETING_CONFIG_DEPTH} levels.`)
    hash[key] = state[key]
  }
  if (JSON.stringify(hash).length > MAX_HASH_LENGTH) throw new StateError(`The login state's settings are longer than ${MAX_HASH_LENGTH} characters.`)
  return hash
}

/** The login request's state (or its bare `room` parameter), checked for shape; throws StateError. */
export function parseJitsiState (query: LoginQuery): JitsiLoginState {
  const state = query.state === undefined ? {} : parseJson(query.state)
  // `{room}` is the raw last path segment, like state.room (§11.2).
  const rawRoom = optionalString(state, 'room') ?? query.room
  if (rawRoom === undefined) throw new StateError('The login link names no room: open the login from a Jitsi meeting.')
  const room = decodeOnce(rawRoom)
  const roomSafe = optionalString(state, 'roomSafe')
  // Jitsi computes roomSafe from room; any other value was written by hand, to get a token for another room.
  if (roomSafe !== undefined && roomSafe !== backendSafeRoomName(room)) {
    throw new StateError('The login state names two different rooms (room and roomSafe).')
  }
  const refreshToken = optionalString(state, 'refreshToken')
  if (refreshToken !== undefined && refreshToken.length > MAX_REFRESH_TOKEN_LENGTH) throw new StateError('The refresh token in the login state is too long.')
  const parsed: JitsiLoginState = { room, platform: platformOf(state), hash: hashKeys(state) }
  const tenant = optionalString(state, 'tenant')
  if (tenant !== undefined) parsed.tenant = tenant
  if (refreshToken !== undefined) parsed.refreshToken = refreshToken
  return parsed
}
