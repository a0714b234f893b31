/** Where an issuer publishes its signing keys: OpenID Connect Discovery 1.0 §4 (`jwks_uri`). */

export class DiscoveryError extends Error {
  override name = 'DiscoveryError'
}

export function discoveryUrl (issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
}

export async function discoverJwksUrl (issuer: string, { httpsOnly = false, timeoutMs = 5000 } = {}): Promise<URL> {
  const url = discoveryUrl(issuer)
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } })
    .catch((error: Error) => { throw new DiscoveryError(`${url}: ${error.message}`, { cause: error }) })
  if (response.status !== 200) throw new DiscoveryError(`${url} answered ${response.status}`)
  const document = await response.json().catch(() => undefined) as { issuer?: unknown, jwks_uri?: unknown } | undefined
  // §4.3: the document must name the issuer it was fetched for, or its keys are someone else's.
  if (document?.issuer !== issuer) throw new DiscoveryError(`${url} names issuer ${JSON.stringify(document?.issuer)}, not ${issuer}`)
  if (typeof document.jwks_uri !== 'string' || !/^https?:\/\//.test(document.jwks_uri)) {
    throw new DiscoveryError(`${url} has no usable jwks_uri`)
  }
  // The keys decide who may mint tokens: over plain http anyone on the path could swap them.
  if (httpsOnly && !document.jwks_uri.startsWith('https://')) throw new DiscoveryError(`${url} names a jwks_uri that is not https:// (required in production)`)
  return new URL(document.jwks_uri)
}
