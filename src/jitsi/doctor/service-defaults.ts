/**
 * The deployment and keys the doctor assumes when the caller names none: Prosody's defaults with this
 * service's settings (issuer, XMPP domain, algorithm) and this service's own secret or public keys.
 * The settings come in as arguments (src/config/doctor-settings.ts reads them from the service's
 * Config), so the same code runs in the CLI, the API and the browser.
 */
import type { SigningAlgorithm } from '../algorithms.js'
import { jaasIssuerSettings } from '../jaas.js'
import { defaultDeployment, type DoctorKeys, type ProsodyDeployment } from './deployment.js'

export interface DoctorServiceSettings {
  /** JWT_APP_ID: the issuer Prosody's app_id accepts. */
  appId: string
  /** JWT_SIGN_TYPE. */
  algorithm: SigningAlgorithm
  /** XMPP_DOMAIN. */
  xmppDomain: string
  /** PUBLIC_URL. */
  publicUrl?: string
  /** JAAS_APP_ID, when JWT_PROFILE=jaas. */
  jaasAppId?: string
  /** JWT_APP_SECRET, when it is one Prosody could know. */
  secret?: string
}

/** JaaS (JWT_PROFILE=jaas) mints iss "chat" and sub = AppID, so that is what its Prosody accepts (§4). */
export function serviceDeployment (settings: DoctorServiceSettings): ProsodyDeployment {
  // The nbf skew plays no part in what Prosody accepts.
  const jaas = settings.jaasAppId ? jaasIssuerSettings(settings.jaasAppId, 0) : undefined
  return defaultDeployment({
    appId: jaas?.issuer ?? settings.appId,
    algorithm: settings.algorithm,
    xmppDomain: jaas?.xmppDomain ?? settings.xmppDomain,
    publicUrl: settings.publicUrl
  })
}

export interface PublishedPublicKey {
  kid: string
  /** SPKI PEM. */
  publicPem: string
}

/**
 * @param published this service's published keys, read on every call so a key rotation is seen.
 * @param supplied a secret or public key the caller gave, which takes the place of this service's.
 */
export function serviceKeys (settings: Pick<DoctorServiceSettings, 'secret'>, published: () => readonly PublishedPublicKey[], supplied: Pick<DoctorKeys, 'secret' | 'publicKey'> = {}): DoctorKeys {
  const secret = supplied.secret ?? (settings.secret === undefined ? undefined : { key: settings.secret, from: 'this service\'s JWT_APP_SECRET' })
  return {
    ...(secret ? { secret } : {}),
    ...(supplied.publicKey ? { publicKey: supplied.publicKey } : {}),
    publicKeyFor (kid) {
      const key = published().find(candidate => candidate.kid === kid)
      return key ? { key: key.publicPem, from: `this service's public key for kid "${kid}"` } : undefined
    }
  }
}
