/** `check`'s report for a person: where it connected, what each token got, and a verdict per expectation. */
import type { CheckReport } from './run-check.js'

export function formatCheckReport (report: CheckReport, showTokens: boolean): string {
  const lines = [
    `Jitsi site   ${report.site}`,
    `XMPP         ${report.siteConfig.xmppDomain} (rooms on ${report.siteConfig.muc}, jicofo ${report.siteConfig.focus})`,
    `WebSocket    ${new URL(report.websocketUrl).origin}${new URL(report.websocketUrl).pathname}`,
    `Room         ${report.room} (throwaway; another room's token is for ${report.otherRoom})`,
    ''
  ]
  for (const verdict of report.verdicts) {
    lines.push(`${verdict.met ? '✓' : '✗'} ${verdict.expectation}: ${verdict.observed}`)
    if (verdict.why !== undefined) lines.push(`    why: ${verdict.why}`)
  }
  lines.push('', report.passed ? 'The deployment honours the tokens.' : 'The deployment does not honour the tokens as expected (exit status 1).')
  if (showTokens) {
    lines.push('', 'Tokens used:')
    for (const [kind, token] of Object.entries(report.tokens)) lines.push(`  ${kind.padEnd(10)} ${token}`)
  }
  return `${lines.join('\n')}\n`
}
