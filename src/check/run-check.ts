/**
 * The live check, in order: read the site's config.js; mint a moderator, a guest, another room's guest
 * and an expired token for a throwaway room; join with each over the site's XMPP WebSocket (the moderator
 * first, staying while the guest joins, as in a real meeting); judge; leave.
 */
import type { Config } from '../config.js'
import { CheckFailure } from './check-failure.js'
import { mintCheckTokens, throwawayRoom, type CheckTokenKind, type CheckTokens } from './check-tokens.js'
import { fetchSiteConfig, type JitsiSiteConfig } from './site-config.js'
import { judge, type Outcomes, type Verdict } from './verdicts.js'
import { joinRoom, type Participant } from './xmpp-join.js'

export interface CheckOptions {
  site: URL
  config: Config
  /** Instead of config.js's `websocket`, e.g. ws://prosody:5280/xmpp-websocket inside docker. */
  websocketUrl?: string
  timeoutMs: number
  settleMs: number
}

export interface CheckReport {
  site: string
  siteConfig: JitsiSiteConfig
  websocketUrl: string
  room: string
  otherRoom: string
  outcomes: Outcomes
  verdicts: Verdict[]
  passed: boolean
  /** Only for --show-tokens; never printed otherwise. */
  tokens: CheckTokens['tokens']
}

export async function runCheck (options: CheckOptions): Promise<CheckReport> {
  const siteConfig = await fetchSiteConfig(options.site, options.timeoutMs)
  const websocketUrl = options.websocketUrl ?? siteConfig.websocketUrl
  if (websocketUrl === undefined) {
    throw new CheckFailure('notJitsi', `${options.site.origin}/config.js offers no XMPP WebSocket (docker: ENABLE_XMPP_WEBSOCKET=0?); pass --websocket URL`)
  }
  const minted = await mintCheckTokens(options.config, throwawayRoom())
  const join = (kind: CheckTokenKind) => joinRoom({
    websocketUrl,
    xmppDomain: siteConfig.xmppDomain,
    muc: siteConfig.muc,
    focus: siteConfig.focus,
    room: minted.room,
    token: minted.tokens[kind],
    timeoutMs: options.timeoutMs,
    settleMs: options.settleMs
  })
  const present: Participant[] = []
  try {
    const moderator = await join('moderator')
    present.push(moderator)
    const guest = await join('guest')
    present.push(guest)
    const [otherRoom, expired] = await Promise.all([join('otherRoom'), join('expired')])
    present.push(otherRoom, expired)
    const outcomes: Outcomes = { moderator: moderator.outcome, guest: guest.outcome, otherRoom: otherRoom.outcome, expired: expired.outcome }
    const verdicts = judge(outcomes)
    return {
      site: options.site.origin,
      siteConfig,
      websocketUrl,
      room: minted.room,
      otherRoom: minted.otherRoom,
      outcomes,
      verdicts,
      passed: verdicts.every(verdict => verdict.met),
      tokens: minted.tokens
    }
  } finally {
    await Promise.all(present.map(participant => participant.leave()))
  }
}
