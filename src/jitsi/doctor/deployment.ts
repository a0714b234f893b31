/**
 * The Prosody the doctor emulates and the keys it verifies signatures with. Left out, a setting
 * takes Prosody's own default with this service's values (docs/jitsi.md §1.2–§1.4, §5.2).
 */
import { isRsaAlgorithm, type SigningAlgorithm } from '../algorithms.js'

export interface ProsodyDeployment {
  /** `signature_algorithm` (docker JWT_SIGN_TYPE): the only algorithm Prosody verifies. */
  algorithm: SigningAlgorithm
  /** `asap_accepted_issuers` (JWT_ACCEPTED_ISSUERS); default `{app_id}`. */
  acceptedIssuers: string[]
  /** `asap_accepted_audiences` (JWT_ACCEPTED_AUDIENCES); default `{'*'}`. */
  acceptedAudiences: string[]
  /** `enable_domain_verification`: Prosody default true, docker default false. */
  domainVerification: boolean
  /** XMPP_DOMAIN (`muc_mapper_domain_base`): what `sub` must be without a tenant. */
  xmppDomain: string
  /** `asap_require_room_claim`; default true. */
  requireRoomClaim: boolean
  /** Host of PUBLIC_URL, to recognise the usual wrong `sub` (§6). */
  publicHost?: string
}

/** What the caller may change in the emulated deployment (POST /tokens/verify `prosody`, CLI flags). */
export interface ProsodyOverrides {
  algorithm?: SigningAlgorithm
  acceptedIssuers?: string[]
  acceptedAudiences?: string[]
  domainVerification?: boolean
  xmppDomain?: string
  requireRoomClaim?: boolean
}

/** A verification key and where it came from, for the report ("JWT_APP_SECRET", "--secret-file"). */
export interface KeySource<K> {
  key: K
  from: string
}

export interface DoctorKeys {
  /** HS*: the raw app_secret (its UTF-8 bytes are the HMAC key, never base64-decoded). */
  secret?: KeySource<string>
  /** RS*: a public key that overrides any key set, as SPKI PEM. */
  publicKey?: KeySource<string>
  /** RS*: the public key (SPKI PEM) Prosody would fetch for a kid, e.g. from this service's key set. */
  publicKeyFor?: (kid: string) => KeySource<string> | undefined
}

export interface ServiceSettings {
  appId: string
  algorithm: SigningAlgorithm
  xmppDomain: string
  publicUrl?: string
}

/** Prosody's defaults for a deployment that shares this service's settings (issue: "left out"). */
export function defaultDeployment (service: ServiceSettings): ProsodyDeployment {
  let publicHost: string | undefined
  try {
    publicHost = service.publicUrl ? new URL(service.publicUrl).hostname.toLowerCase() : undefined
  } catch {
    publicHost = undefined
  }
  return {
    algorithm: service.algorithm,
    acceptedIssuers: [service.appId],
    acceptedAudiences: ['*'],
    domainVerification: true,
    xmppDomain: service.xmppDomain.toLowerCase(),
    requireRoomClaim: true,
    publicHost
  }
}

export function withOverrides (base: ProsodyDeployment, overrides: ProsodyOverrides = {}): ProsodyDeployment {
  const deployment = { ...base }
  for (const [name, value] of Object.entries(overrides)) {
    if (value !== undefined) (deployment as Record<string, unknown>)[name] = value
  }
  deployment.xmppDomain = deployment.xmppDomain.toLowerCase()
  return deployment
}

/** With an RS* algorithm Prosody finds the public key by kid on its key server (§1.2). */
export function usesKeyServer (deployment: ProsodyDeployment): boolean {
  return isRsaAlgorithm(deployment.algorithm)
}
