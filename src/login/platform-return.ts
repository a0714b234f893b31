/**
 * Where a login ends, per platform (docs/jitsi.md §11.5, §11.11): the browser goes to the meeting
 * link; the apps get their own scheme for the same link, shown on a page with a button, because
 * a bare redirect to a custom scheme is silently dropped by some browsers.
 */
import type { Platform } from './jitsi-state.js'

/** `https://host/tenant/room?jwt=…#…` as the app for `platform` opens it. */
export function appLink (meetingUrl: string, platform: Exclude<Platform, 'web'>): string {
  const rest = meetingUrl.replace(/^https?:\/\//, '')
  if (platform === 'ios') return `org.jitsi.meet://${rest}`
  if (platform === 'electron') return `jitsi-meet://${rest}`
  // The stock Android app registers org.jitsi.meet, and https only for jit.si's own hosts.
  return `intent://${rest}#Intent;scheme=org.jitsi.meet;package=org.jitsi.meet;end`
}
