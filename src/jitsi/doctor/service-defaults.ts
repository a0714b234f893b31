/**
 * The deployment and keys the doctor assumes when the caller names none: Prosody's defaults with this
 * service's settings (issuer, XMPP domain, algorithm) and this service's own secret or public keys.
 */
import type { KeyObject } from 'node:crypto'
import type { Config } from '../../config.js'
import { jaasIssuerSettings } from '../jaas.js'
import { defaultDeployment, type DoctorKeys, type ProsodyDeployment } from './deployment.js'

/** JaaS (JWT_PROFILE=jaas) mints iss "chat" and sub = AppID, so that is what its Prosody accepts (§4). */
export function serviceDeployment (config: Config): ProsodyDeployment {
  const jaas = config.jwt.jaasAppId ? jaasIssuerSettings(config.jwt.jaasAppId, config.jwt.nbfSkew) : undefined
  return defaultDeployment({
    appId: jaas?.issuer ?? config.jwt.appId,
    algorithm: config.jwt.algorithm,
    xmppDomain: jaas?.xmppDomain ?? config.xmppDomain,
    publicUrl: config.publicUrl
  })
}

export interface PublishedPublicKey {
  kid: string
  publicPem: string | KeyObject
}

/**
 * @param published this service's published keys, read on every call so a key rotation is seen.
 * @param supplied a secret or public key the caller gave, which takes the place of this service's.
 */
export function serviceKeys (config: Config, published: () => readonly PublishedPublicKey[], supplied: Pick<DoctorKeys, 'secret' | 'publicKey'> = {}): DoctorKeys {
  const secret = supplied.secret ?? (config.jwt.secret === undefined ? undefined : { key: config.jwt.secret, from: 'this service\'s JWT_APP_SECRET' })
  return {
    ...(secret ? { secret } : {}),
    ...(supplied.publicKey ? { publicKey: supplied.publicKey } : {}),
    publicKeyFor (kid) {
      const key = published().find(candidate => candidate.kid === kid)
      return key ? { key: key.publicPem, from: `this service's public key for kid "${kid}"` } : undefined
    }
  }
}
