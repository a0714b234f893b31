/**
 * 8x8 JaaS (Jitsi as a Service) rules, docs/jitsi.md §4, and the web client's JaaS checks, §3.5:
 * RS256 with kid `<AppID>/<key id>`, iss "chat", aud "jitsi", sub = AppID, `context.features`
 * always present, moderator and features as the strings "true"/"false", meetings at 8x8.vc/<AppID>/<room>.
 */
import type { FieldProblem } from '../schemas/problem.js'
import type { IssuerSettings, TokenInput } from './claims.js'
import { PROSODY_ONLY_FEATURES } from './features.js'

/** The AppID format, as 8x8's own helper script checks it (jitsi/jitsi-meet doc/jaas/move-to-jaas.sh). */
export const JAAS_APP_ID_PATTERN = '^vpaas-magic-cookie-[0-9a-z]+$'
const KEY_ID = /^[0-9a-z]+$/

export const JAAS_PUBLIC_URL = 'https://8x8.vc'

export function isJaasAppId (value: string): boolean {
  return new RegExp(JAAS_APP_ID_PATTERN).test(value)
}

/**
 * The JaaS kid, `<AppID>/<key id>`, from either form the console shows. The web client reports
 * a kid whose part before `/` is not `sub` (the AppID) as a mismatch (§3.5).
 */
export function jaasKid (appId: string, kid: string): { kid: string } | { problem: string } {
  const slash = kid.indexOf('/')
  const prefix = slash === -1 ? appId : kid.slice(0, slash)
  const keyId = kid.slice(slash + 1)
  if (prefix !== appId) return { problem: `belongs to AppID "${prefix}", not JAAS_APP_ID "${appId}"` }
  if (!KEY_ID.test(keyId)) return { problem: `must be the key id from the JaaS console (lower-case letters and digits), optionally as "${appId}/<key id>"` }
  return { kid: `${appId}/${keyId}` }
}

/** Claims JaaS expects: iss "chat", aud "jitsi", sub the AppID, moderator as a string (§4). */
export function jaasIssuerSettings (appId: string, nbfSkew: number): IssuerSettings {
  return { issuer: 'chat', audience: 'jitsi', xmppDomain: appId, nbfSkew, moderatorAs: 'string' }
}

/**
 * What a token request may not ask of JaaS: another tenant (the AppID is the only one, and `room`
 * never carries it), and features the web client does not know, which it reports as invalid (§3.5).
 */
export function jaasRequestProblems (input: TokenInput, appId: string): FieldProblem[] {
  const problems: FieldProblem[] = []
  if (input.tenant !== undefined && input.tenant.toLowerCase() !== appId) {
    problems.push({ path: 'tenant', message: `JaaS meetings live under the AppID ${appId}; omit tenant` })
  }
  for (const name of PROSODY_ONLY_FEATURES) {
    if (input.context?.features?.[name] !== undefined) {
      problems.push({ path: `context.features.${name}`, message: 'is not a JaaS feature: the web client reports unknown features as invalid' })
    }
  }
  return problems
}

/** The request as JaaS needs it: the AppID as tenant (so sub and the URL carry it), features always present (§3.5). */
export function jaasTokenInput (input: TokenInput, appId: string): TokenInput {
  return { ...input, tenant: appId, context: { ...input.context, features: input.context?.features ?? {} } }
}
