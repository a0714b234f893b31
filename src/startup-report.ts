/**
 * What the server says once it listens: one line summarising what runs (so `kill -HUP <pid>` has its
 * target) and a warning for each risky-but-legal setting. Pure, so tests check the words.
 */
import { isHmacAlgorithm } from './jitsi/algorithms.js'
import type { Config } from './config.js'

export interface RunningFacts {
  /** The kid that signs (RS*); undefined for HS*. */
  kid?: string
  clients: number
  address: string
  pid: number
}

const loginOn = (config: Config) => config.login !== undefined
const onOff = (on: boolean) => on ? 'on' : 'off'

export function startupSummary (config: Config, facts: RunningFacts): { fields: Record<string, unknown>, line: string } {
  const fields = {
    algorithm: config.jwt.algorithm,
    kid: facts.kid,
    issuer: config.jwt.appId,
    xmppDomain: config.xmppDomain,
    clients: facts.clients,
    oidc: onOff(config.oidc !== undefined),
    login: onOff(loginOn(config)),
    pid: facts.pid,
    address: facts.address
  }
  const line = `jitsi-token-service listening on ${facts.address}: ${fields.algorithm}, kid ${fields.kid ?? '-'}, ` +
    `issuer ${fields.issuer}, XMPP domain ${fields.xmppDomain}, ${fields.clients} client${fields.clients === 1 ? '' : 's'}, ` +
    `OIDC ${fields.oidc}, login ${fields.login}, pid ${fields.pid}`
  return { fields, line }
}

export function startupWarnings (config: Config, clients: number): string[] {
  const warnings: string[] = [...config.envWarnings]
  if (config.clientsFile !== undefined && clients === 0 && config.oidc === undefined && !loginOn(config)) {
    warnings.push(`CLIENTS_FILE ${config.clientsFile} lists no clients, so nothing can mint tokens: add one with ` +
      `"jitsi-token-service client add --file ${config.clientsFile}" and send SIGHUP`)
  }
  // Browsers reach the login and the token exchange through a TLS proxy; without TRUST_PROXY every person
  // shares the proxy's address, so one address's junk spends everyone's rate limit.
  if (config.trustProxy === undefined && (loginOn(config) || config.oidc !== undefined)) {
    warnings.push('TRUST_PROXY is not set, but browsers reach this service (OIDC or the login), usually through a reverse proxy: then every person shares the proxy\'s address in rate limits and audit lines. Set TRUST_PROXY to the proxy\'s address or range (docker-jitsi-meet\'s web container: 172.16.0.0/12, or the meet.jitsi subnet)')
  }
  if (config.production && config.metricsToken === undefined) {
    warnings.push('GET /metrics answers anyone who reaches the service (METRICS_TOKEN is not set): restrict it in the network, or set METRICS_TOKEN')
  }
  // Prosody checks system tokens with the main VirtualHost's algorithm, which is the login tokens' (docs/jitsi.md §13).
  if (config.meetingControl && isHmacAlgorithm(config.jwt.algorithm)) {
    warnings.push(`Meeting control is on, but tokens are ${config.jwt.algorithm}: Prosody verifies system tokens with its main VirtualHost's signature_algorithm, so an HS deployment refuses them ("Invalid or incorrect alg"). Move the deployment to RS256 (JWT_SIGN_TYPE=RS256, JWT_ASAP_KEYSERVER; docs/meeting-control.md)`)
  }
  return warnings
}
