/**
 * How a docker-jitsi-meet `.env` configures Prosody's and jicofo's handling of tokens, read as the
 * images' templates read it (docs/jitsi.md §5.2): `prosody/rootfs/defaults/conf.d/jitsi-meet.cfg.lua` and
 * `jicofo/rootfs/defaults/jicofo.conf`. Unset variables take the templates' defaults, not Prosody's.
 */
import { algorithmProblem, type SigningAlgorithm } from './algorithms.js'
import type { ProsodyOverrides } from './doctor/deployment.js'

export type DockerEnv = Readonly<Record<string, string | undefined>>

/** The templates' `toBool` (gomplate conv.ToBool): 1, t, true, yes, on, in any case. */
export function dockerBool (value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value.trim() === '') return fallback
  return ['1', 't', 'true', 'yes', 'on'].includes(value.trim().toLowerCase())
}

/** `splitList "," … | compact`. */
export function dockerList (value: string | undefined): string[] {
  return (value ?? '').split(',').map(item => item.trim()).filter(Boolean)
}

export interface DockerTokenSettings {
  /** ENABLE_AUTH=1 with AUTH_TYPE (or PROSODY_AUTH_TYPE) jwt: Prosody verifies tokens at all. */
  tokensEnabled: boolean
  overrides: ProsodyOverrides
  /** JWT_ASAP_KEYSERVER: with it Prosody fetches RS public keys by kid. */
  keyServer?: string
  /** The MUC modules loaded: XMPP_MUC_MODULES plus the token module (JWT_TOKEN_AUTH_MODULE). */
  mucModules: string[]
  problems: string[]
}

export function dockerTokenSettings (env: DockerEnv): DockerTokenSettings {
  const authType = env.PROSODY_AUTH_TYPE ?? env.AUTH_TYPE ?? 'internal'
  const tokensEnabled = dockerBool(env.ENABLE_AUTH, false) && authType === 'jwt'
  const problems: string[] = []
  if (!tokensEnabled) problems.push('Prosody does not verify tokens: set ENABLE_AUTH=1 and AUTH_TYPE=jwt')
  if (tokensEnabled && (env.JWT_APP_ID ?? '') === '') problems.push('JWT_APP_ID is empty: Prosody\'s token authentication does nothing without app_id')
  const overrides: ProsodyOverrides = {
    domainVerification: dockerBool(env.JWT_ENABLE_DOMAIN_VERIFICATION, false),
    xmppDomain: env.XMPP_DOMAIN || 'meet.jitsi'
  }
  const issuers = dockerList(env.JWT_ACCEPTED_ISSUERS)
  overrides.acceptedIssuers = issuers.length > 0 ? issuers : (env.JWT_APP_ID ? [env.JWT_APP_ID] : undefined)
  const audiences = dockerList(env.JWT_ACCEPTED_AUDIENCES)
  if (audiences.length > 0) overrides.acceptedAudiences = audiences
  const keyServer = env.JWT_ASAP_KEYSERVER || undefined
  const signType = env.JWT_SIGN_TYPE || undefined
  if (signType !== undefined) {
    const problem = algorithmProblem(signType)
    if (problem) problems.push(`JWT_SIGN_TYPE ${problem}`)
    else overrides.algorithm = signType as SigningAlgorithm
  } else {
    // Prosody's own default: RS256 with a key server, else HS256 (docs/jitsi.md §1.2).
    overrides.algorithm = keyServer ? 'RS256' : 'HS256'
  }
  const tokenModule = env.JWT_TOKEN_AUTH_MODULE || 'token_verification'
  const mucModules = [...dockerList(env.XMPP_MUC_MODULES), ...(tokensEnabled ? [tokenModule] : [])]
  return { tokensEnabled, overrides, ...(keyServer ? { keyServer } : {}), mucModules, problems }
}
