/**
 * The identity provider's signing keys, through jose's remote JWKS, made safe for an IdP outage. jose
 * cools down only after a successful fetch, and refetches on every call once its cache is older than
 * cacheMaxAge; so while the IdP fails, every token with an unknown kid (and later every token) would
 * cause a fetch, and known keys would stop working. Here a failed discovery or JWKS fetch is not
 * retried for the cooldown, and the keys fetched last keep verifying the kids they name.
 */
import { createLocalJWKSet, createRemoteJWKSet, customFetch, errors, jwksCache, type ExportedJWKSCache, type JSONWebKeySet, type JWTVerifyGetKey, type RemoteJWKSet } from 'jose'
import { discoverJwksUrl } from './discovery.js'
import type { OidcConfig } from './oidc-config.js'

/** The identity provider's keys could not be fetched: not the caller's fault. */
export class IdpUnavailableError extends Error {
  override name = 'IdpUnavailableError'
}

/** Refused without asking the IdP: its last fetch failed less than a cooldown ago. */
class CoolingDown extends Error {}

/** Errors about the token; anything else while resolving its key is the IdP's or the network's. */
const aboutTheToken = (error: unknown) => error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys

function unavailable (error: unknown): never {
  throw new IdpUnavailableError(`identity provider keys unavailable: ${(error as Error).message}`, { cause: error })
}

export function idpKeys (config: OidcConfig): JWTVerifyGetKey {
  let retryAt = 0
  let lastFailure = ''
  const failed = (error: Error) => {
    retryAt = Date.now() + config.jwksCooldown
    lastFailure = error.message
  }
  const coolingDown = () => {
    if (Date.now() < retryAt) throw new CoolingDown(`not asked again before ${new Date(retryAt).toISOString()}; last failure: ${lastFailure}`)
  }
  // jose writes every JWKS it accepts here: the keys to fall back on while the IdP is away.
  const cache: Partial<ExportedJWKSCache> = {}
  let fallback: { jwks?: JSONWebKeySet, keys?: JWTVerifyGetKey } = {}
  const lastKeys = () => {
    if (fallback.jwks !== cache.jwks) fallback = { jwks: cache.jwks, keys: cache.jwks && createLocalJWKSet(cache.jwks) }
    return fallback.keys
  }

  let remote: Promise<RemoteJWKSet> | undefined
  const keySet = () => {
    if (remote) return remote
    coolingDown()
    remote = (config.jwksUrl ? Promise.resolve(new URL(config.jwksUrl)) : discoverJwksUrl(config.issuer, { httpsOnly: config.httpsOnly }))
      .then(url => createRemoteJWKSet(url, {
        cooldownDuration: config.jwksCooldown,
        cacheMaxAge: config.jwksMaxAge,
        [jwksCache]: cache as ExportedJWKSCache,
        // During the cooldown jose's refetch fails here, without a request to the IdP.
        [customFetch]: async (url: string, init: RequestInit) => { coolingDown(); return await fetch(url, init) }
      }))
      .catch((error: Error) => {
        // A failed discovery is retried after the cooldown, not remembered for good.
        remote = undefined
        failed(error)
        throw error
      })
    return remote
  }

  // Called only after jose has parsed the header and checked alg: junk never makes us call the IdP.
  return async function key (header, token) {
    let jwks: RemoteJWKSet
    try {
      jwks = await keySet()
    } catch (error) {
      unavailable(error)
    }
    try {
      return await jwks(header, token)
    } catch (error) {
      if (aboutTheToken(error)) throw error
      if (!(error instanceof CoolingDown)) failed(error as Error)
      // The IdP is away: a kid it published before still verifies; an unknown one may be new, so 503, not 401.
      const last = lastKeys()
      if (!last) unavailable(error)
      try {
        return await last(header, token)
      } catch {
        unavailable(error)
      }
    }
  }
}
