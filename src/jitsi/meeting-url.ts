/**
 * The link a person opens: PUBLIC_URL[/tenant]/<room>?jwt=<token>#config.x=<JSON>&userInfo.y=<JSON>
 * (docs/jitsi.md §0 rule 13, §3.1, §3.6).
 */
import { roomClaim, tenantClaim, WILDCARD_ROOM } from './room-name.js'

export interface MeetingOverrides {
  /** Keys of Jitsi's config (whitelisted by the client), e.g. `prejoinConfig.enabled`. */
  config?: Record<string, unknown>
  /** `displayName`, `email`. */
  userInfo?: Record<string, unknown>
  /** Carried from a login's state like config (docs/jitsi.md §11.5). */
  interfaceConfig?: Record<string, unknown>
  iceServers?: Record<string, unknown>
}

/**
 * Before JSON-parsing a value the client turns ‘ ’ into ' and “ ” into ", and the first `\&` into `&`
 * (parseURLParams.ts), which would break or change the JSON; as \u escapes they arrive intact.
 */
const REWRITTEN_BY_CLIENT = /[\u2018\u2019\u201c\u201d&]/g

function hashValue (value: unknown): string {
  const json = JSON.stringify(value).replace(REWRITTEN_BY_CLIENT, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return encodeURIComponent(json)
}

/**
 * Hash overrides: every value is JSON, so strings carry quotes (`%22Alice%22`); the client
 * JSON-parses them and silently drops what does not parse.
 */
export function hashOverrides (overrides: MeetingOverrides = {}): string {
  const params: string[] = []
  for (const prefix of ['config', 'interfaceConfig', 'iceServers', 'userInfo'] as const) {
    for (const [key, value] of Object.entries(overrides[prefix] ?? {})) {
      params.push(`${prefix}.${key}=${hashValue(value)}`)
    }
  }
  return params.length > 0 ? `#${params.join('&')}` : ''
}

/**
 * The room keeps the caller's spelling in the URL; the client derives the same backend-safe name
 * the token carries. A wildcard token names no room, so it has no meeting URL: decided on the claim,
 * so no spelling that Jitsi folds into `*` gets one either.
 */
export function meetingUrl (publicUrl: string, room: string, token: string, tenant?: string, overrides?: MeetingOverrides): string | undefined {
  if (roomClaim(room) === WILDCARD_ROOM) return undefined
  const base = publicUrl.replace(/\/+$/, '')
  const tenantPath = tenant ? `/${encodeURIComponent(tenantClaim(tenant))}` : ''
  return `${base}${tenantPath}/${encodeURIComponent(room)}?jwt=${token}${hashOverrides(overrides)}`
}
