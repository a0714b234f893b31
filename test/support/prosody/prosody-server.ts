/**
 * A real Prosody (Debian's `prosody` package; npm test's pretest check names it when missing) on free
 * loopback ports, configured by the test: WebSocket and BOSH on one HTTP port, a MUC component, and the
 * Lua stand-ins in ./plugins for the Jitsi pieces that are not in any package registry (Jitsi's token
 * authentication, room check and token affiliation; jicofo's room creation and role manager). Each
 * stand-in says at its top what it stands in for. One Prosody serves a whole test file.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from '../redis-server.js'

const PLUGINS = join(dirname(fileURLToPath(import.meta.url)), 'plugins')

/** One Jitsi deployment inside the test Prosody: its own VirtualHost, MUC component and focus. */
export interface TestSite {
  domain: string
  /** Jitsi's lobby on: rooms are created members-only. */
  lobby?: boolean
  /** jicofo with its own authentication on: every occupant is made owner. */
  focusOwnsEveryUser?: boolean
  /** Leave mod_token_affiliation out, as a deployment that forgot XMPP_MUC_MODULES does. */
  withoutTokenAffiliation?: boolean
  /** Prosody's enable_domain_verification (Prosody's default; docker-jitsi-meet turns it off). */
  domainVerification?: boolean
  /** jicofo refuses conference requests with this condition, or ('none') never answers. */
  focusAnswer?: 'not-authorized' | 'none'
}

export interface TestProsodyOptions {
  appId: string
  appSecret: string
  sites: TestSite[]
}

export interface TestProsody {
  /** http://127.0.0.1:<port>: /xmpp-websocket and /http-bind live under it. */
  httpUrl: string
  websocketUrl: string
  log: () => string
  stop: () => Promise<void>
}

const lua = (value: string) => JSON.stringify(value)

function siteConfig (site: TestSite, options: TestProsodyOptions): string {
  const mucModules = ['token_verification_standin', ...(site.withoutTokenAffiliation === true ? [] : ['token_affiliation_standin'])]
  return `
VirtualHost ${lua(site.domain)}
  authentication = "token_standin"
  app_id = ${lua(options.appId)}
  app_secret = ${lua(options.appSecret)}

Component ${lua(`conference.${site.domain}`)} "muc"
  modules_enabled = { ${mucModules.map(lua).join(', ')} }
  standin_domain_verification = ${site.domainVerification === true}
  muc_room_locking = false
  restrict_room_creation = true

Component ${lua(`focus.${site.domain}`)} "focus_standin"
  focus_muc_component = ${lua(`conference.${site.domain}`)}
  focus_lobby = ${site.lobby === true}
  focus_owns_every_user = ${site.focusOwnsEveryUser === true}
  focus_answer = ${lua(site.focusAnswer ?? 'ready')}
`
}

function configFile (dir: string, port: number, options: TestProsodyOptions): string {
  return `-- written by test/support/prosody/prosody-server.ts
run_as_root = true
pidfile = ${lua(join(dir, 'prosody.pid'))}
data_path = ${lua(join(dir, 'data'))}
plugin_paths = { ${lua(PLUGINS)} }
certificates = ${lua(dir)}
log = { { levels = { min = "info" }, to = "file", filename = ${lua(join(dir, 'prosody.log'))} } }
interfaces = { "127.0.0.1" }
c2s_ports = {}
s2s_ports = {}
component_ports = {}
http_ports = { ${port} }
http_interfaces = { "127.0.0.1" }
https_ports = {}
consider_websocket_secure = true
consider_bosh_secure = true
c2s_require_encryption = false
modules_enabled = { "saslauth", "jitsi_session_standin", "websocket", "bosh", "ping", "disco" }
modules_disabled = { "s2s", "tls", "offline", "register" }
${options.sites.map(site => siteConfig(site, options)).join('')}`
}

export async function startProsody (options: TestProsodyOptions): Promise<TestProsody> {
  const dir = mkdtempSync(join(tmpdir(), 'jts-prosody-'))
  mkdirSync(join(dir, 'data'))
  const port = await freePort()
  const config = join(dir, 'prosody.cfg.lua')
  writeFileSync(config, configFile(dir, port, options))
  const prosody: ChildProcess = spawn('prosody', ['-F', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  prosody.stdout!.on('data', chunk => { output += chunk })
  prosody.stderr!.on('data', chunk => { output += chunk })
  const log = () => { try { return readFileSync(join(dir, 'prosody.log'), 'utf8') } catch { return '' } }
  const httpUrl = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    if (prosody.exitCode !== null || i === 200) {
      prosody.kill('SIGKILL')
      throw new Error(`prosody did not start: ${output}\n${log()}`)
    }
    const answer = await fetch(`${httpUrl}/http-bind`).catch(() => undefined)
    if (answer) break
    await sleep(50)
  }
  return {
    httpUrl,
    websocketUrl: `ws://127.0.0.1:${port}/xmpp-websocket`,
    log,
    async stop () {
      if (prosody.exitCode === null) {
        prosody.kill('SIGTERM')
        await once(prosody, 'exit')
      }
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
