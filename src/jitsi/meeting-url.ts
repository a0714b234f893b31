/**
 * The link a person opens: PUBLIC_URL[/tenant]/<room>?jwt=<token>#config.x=<JSON>&userInfo.y=<JSON>
 * (jitsi-tokens.md §0 rule 13, §3.1, §3.6).
 */
import { WILDCARD_ROOM } from './room-name.js'

export interface MeetingOverrides {
  /** Keys of Jitsi's config (whitelisted by the client), e.g. `prejoinConfig.enabled`. */
  config?: Record<string, unknown>
  /** `displayName`, `email`. */
  userInfo?: Record<string, unknown>
}

/**
 * Hash overrides: every value is JSON, so strings carry quotes (`%22Alice%22`); the client
 * JSON-parses them and silently drops what does not parse.
 */
export function hashOverrides (overrides: MeetingOverrides = {}): string {
  const params: string[] = []
  for (const prefix of ['config', 'userInfo'] as const) {
    for (const [key, value] of Object.entries(overrides[prefix] ?? {})) {
      params.push(`${prefix}.${key}=${encodeURIComponent(JSON.stringify(value))}`)
    }
  }
  return params.length > 0 ? `#${params.join('&')}` : ''
}

/**
 * The room keeps the caller's spelling in the URL; the client derives the same backend-safe name
 * the token carries. A wildcard token names no room, so it has no meeting URL.
 */
export function meetingUrl (publicUrl: string, room: string, token: string, tenant?: string, overrides?: MeetingOverrides): string | undefined {
  if (room === WILDCARD_ROOM) return undefined
  const base = publicUrl.replace(/\/+$/, '')
  const tenantPath = tenant ? `/${encodeURIComponent(tenant.toLowerCase())}` : ''
  return `${base}${tenantPath}/${encodeURIComponent(room)}?jwt=${token}${hashOverrides(overrides)}`
}
