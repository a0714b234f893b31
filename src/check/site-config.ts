/**
 * What `check` needs from a Jitsi site, read the way Jitsi's own clients read it: the public
 * `<site>/config.js` (served through nginx's SSI in docker-jitsi-meet and Debian installs, so it is a
 * small script, not JSON: `var config = {}; config.hosts.muc = 'muc.' + subdomain + …`). The mobile apps
 * evaluate it too. Here it runs in an empty V8 context with no Node objects in reach, no string
 * compilation and a time limit, and only plain strings are copied out.
 */
import { runInNewContext } from 'node:vm'
import { CheckFailure, networkFailure } from './check-failure.js'

export interface JitsiSiteConfig {
  /** `hosts.domain`: the XMPP domain users log in to. */
  xmppDomain: string
  /** `hosts.muc`: the MUC component rooms live on. */
  muc: string
  /** `hosts.focus`, else `focus.<domain>`, as lib-jitsi-meet addresses jicofo. */
  focus: string
  /** `websocket` resolved against the site, when the site offers XMPP over WebSocket. */
  websocketUrl?: string
  tokenAuthUrl?: string
}

const MAX_CONFIG_BYTES = 1024 * 1024
const EVALUATION_MS = 500

/** Runs the script with no globals but `var` declarations, and hands back its `config` as JSON text. */
function evaluate (script: string): unknown {
  const sandbox = Object.create(null) as Record<string, unknown>
  const json = runInNewContext(`${script}\n;JSON.stringify(typeof config === 'undefined' ? null : config)`, sandbox, {
    timeout: EVALUATION_MS,
    contextCodeGeneration: { strings: false, wasm: false },
    microtaskMode: 'afterEvaluate'
  }) as unknown
  return typeof json === 'string' ? JSON.parse(json) : null
}

const text = (value: unknown): string | undefined => typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined

/** lib-jitsi-meet opens `websocket` as given; a relative one (`/xmpp-websocket`, `//host/…`) is on the site. */
function websocketUrl (value: string | undefined, site: URL): string | undefined {
  if (value === undefined) return undefined
  const url = new URL(value, site)
  if (url.protocol === 'https:') url.protocol = 'wss:'
  if (url.protocol === 'http:') url.protocol = 'ws:'
  return url.href
}

export function parseSiteConfig (script: string, site: URL): JitsiSiteConfig {
  let config: Record<string, unknown> | null
  try {
    config = evaluate(script) as Record<string, unknown> | null
  } catch (error) {
    throw new CheckFailure('notJitsi', `${site.origin}/config.js is not a Jitsi configuration that can be read (${(error as Error).message.split('\n')[0]})`)
  }
  const hosts = (config?.hosts ?? {}) as Record<string, unknown>
  const xmppDomain = text(hosts.domain)
  const muc = text(hosts.muc)
  if (xmppDomain === undefined || muc === undefined) {
    throw new CheckFailure('notJitsi', `${site.origin}/config.js sets no hosts.domain and hosts.muc: is this a Jitsi Meet site?`)
  }
  return {
    xmppDomain,
    muc,
    focus: text(hosts.focus) ?? `focus.${xmppDomain}`,
    websocketUrl: websocketUrl(text(config!.websocket), site),
    tokenAuthUrl: text(config!.tokenAuthUrl)
  }
}

export async function fetchSiteConfig (site: URL, timeoutMs: number): Promise<JitsiSiteConfig> {
  const url = new URL('config.js', site.href.endsWith('/') ? site : `${site.href}/`)
  let answer: Response
  try {
    answer = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' })
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new CheckFailure('timeout', `${url.href} did not answer within ${timeoutMs} ms`)
    throw networkFailure(error, url.href)
  }
  if (!answer.ok) throw new CheckFailure('notJitsi', `${url.href} answered ${answer.status}: is ${site.origin} a Jitsi Meet site?`)
  const body = await answer.text()
  if (body.length > MAX_CONFIG_BYTES) throw new CheckFailure('notJitsi', `${url.href} is larger than 1 MiB: not a Jitsi configuration`)
  return parseSiteConfig(body, site)
}
