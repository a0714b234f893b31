/**
 * `check`: proves a live Jitsi deployment from the outside, as Jitsi's web client joins: mints a moderator,
 * a guest, another room's and an expired token with this service's configuration, joins a throwaway room
 * over the site's XMPP WebSocket with each, and says per expectation whether the deployment honours them.
 * Exit status: 0 every expectation met, 1 one was not, 2 usage, 3–7 why no verdict could be reached
 * (check/check-failure.ts).
 */
import { parseArgs } from 'node:util'
import { loadConfig } from '../../config.js'
import { CheckFailure } from '../../check/check-failure.js'
import { formatCheckReport } from '../../check/report-text.js'
import { runCheck } from '../../check/run-check.js'
import { UsageError, withUsageErrors, type Command, type CommandIO } from '../command.js'
import { unsetSigningVariables } from '../local-signer.js'
import { tokenEnv } from '../token-env.js'

const USAGE = `Usage: jitsi-token-service check [--url https://meet.example.org] [--websocket URL]
         [--timeout MS] [--settle MS] [--json] [--show-tokens]
Joins a throwaway room on the Jitsi site (default: PUBLIC_URL) with a moderator, a guest, another room's
and an expired token minted from this service's environment (JWT_APP_ID, JWT_APP_SECRET or the RS key,
XMPP_DOMAIN), and reports the role Prosody gave each. --websocket replaces config.js's XMPP WebSocket
(inside docker-jitsi-meet's network: ws://prosody:5280/xmpp-websocket). --timeout bounds each step
(default 4000), --settle is how long to watch roles after a join (default 1000). Tokens are printed only
with --show-tokens.
Exit status: 0 the deployment honours the tokens, 1 it does not, 2 usage error, 3 site unreachable,
4 TLS error, 5 not a Jitsi site or config.js unreadable, 6 XMPP connection closed, 7 a step timed out.
`

function milliseconds (value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  const ms = Number(value)
  if (!Number.isInteger(ms) || ms < 100 || ms > 60_000) throw new UsageError(`--${name} must be a whole number of milliseconds from 100 to 60000`)
  return ms
}

function webUrl (value: string, name: string, schemes: string[]): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`--${name} is not a URL: ${value}`)
  }
  if (!schemes.includes(url.protocol)) throw new UsageError(`--${name} must be a ${schemes.map(scheme => scheme.replace(':', '')).join(' or ')} URL`)
  return url
}

async function runCheckCommand (env: Record<string, string | undefined>, args: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string' },
      websocket: { type: 'string' },
      timeout: { type: 'string' },
      settle: { type: 'string' },
      json: { type: 'boolean', default: false },
      'show-tokens': { type: 'boolean', default: false }
    }
  })
  const config = loadConfig(tokenEnv(env))
  if (config.jwt.jaasAppId) throw new UsageError('check is for self-hosted deployments; JaaS (JAAS_APP_ID) runs 8x8\'s own Prosody')
  const missing = unsetSigningVariables(config)
  if (missing.length > 0) throw new UsageError(`${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set: tokens from a random development value prove nothing. Set them as for Prosody.`)
  const siteValue = values.url ?? (config.developmentDefaults.includes('PUBLIC_URL') ? undefined : config.publicUrl)
  if (siteValue === undefined) throw new UsageError('give --url (the Jitsi site) or set PUBLIC_URL')
  const site = webUrl(siteValue, 'url', ['https:', 'http:'])
  const websocketUrl = values.websocket === undefined ? undefined : webUrl(values.websocket, 'websocket', ['wss:', 'ws:']).href
  const report = await runCheck({
    site,
    config,
    ...(websocketUrl ? { websocketUrl } : {}),
    timeoutMs: milliseconds(values.timeout, 4000, 'timeout'),
    settleMs: milliseconds(values.settle, 1000, 'settle')
  })
  if (values.json) {
    const { tokens, ...shown } = report
    io.out.write(`${JSON.stringify(values['show-tokens'] ? report : shown, null, 2)}\n`)
  } else {
    io.out.write(formatCheckReport(report, values['show-tokens']))
  }
  return report.passed ? 0 : 1
}

export function checkCommand (env: Record<string, string | undefined> = process.env): Command {
  return {
    name: 'check',
    summary: 'join a live Jitsi deployment with test tokens and report the roles it gives',
    usage: USAGE,
    run: (args, io) => withUsageErrors('check', USAGE, io, () => runCheckCommand(env, args, io), error => error instanceof CheckFailure ? error.exitCode : undefined)
  }
}

export default checkCommand()
