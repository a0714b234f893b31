/**
 * A local OpenID Connect identity provider for tests: real keys generated here, the discovery document
 * and the JWKS served by node:http on 127.0.0.1, tokens signed like a real IdP signs them.
 */
import { createServer, type Server } from 'node:http'
import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, importPKCS8, importSPKI, SignJWT, type CryptoKey, type JWK } from 'jose'
import { createPublicKey } from 'node:crypto'
import { cachedRsaPem } from './key-cache.js'

export const AUDIENCE = 'jitsi-frontend'

export interface SigningKey { kid: string, alg: string, privateKey: CryptoKey, publicKey: CryptoKey, jwk: JWK }

let rsaKeysUsed = 0

/** RSA keys come from the test key cache, a different one for every call in this process. */
async function keyPair (alg: string): Promise<{ privateKey: CryptoKey, publicKey: CryptoKey }> {
  if (!/^(RS|PS)/.test(alg)) return await generateKeyPair(alg, { extractable: true })
  const pem = cachedRsaPem(`idp-${rsaKeysUsed++}`)
  const spki = createPublicKey(pem).export({ type: 'spki', format: 'pem' }) as string
  return { privateKey: await importPKCS8(pem, alg, { extractable: true }), publicKey: await importSPKI(spki, alg, { extractable: true }) }
}

export async function signingKey (alg = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await keyPair(alg)
  const kid = randomUUID()
  return { kid, alg, privateKey, publicKey, jwk: { ...await exportJWK(publicKey), kid, alg, use: 'sig' } }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

export interface LocalIdp {
  issuer: string
  jwksUrl: string
  /** The key tokens are signed with; published in the JWKS. */
  current: SigningKey
  /** Keys the JWKS lists. */
  published: SigningKey[]
  fetches: { discovery: number, jwks: number }
  /** Every request the IdP received, answered or failed. */
  requests: number
  /** Answer every request with this status instead (an outage). */
  failWith?: number
  /** Serve this as the discovery document instead of the real one (a string is sent as is). */
  discovery?: unknown
  /** New key, published alone: tokens signed with the old one no longer verify. */
  rotate: (alg?: string) => Promise<SigningKey>
  /** A signed token for `sub` user-1, valid for 5 minutes; `claims` override (undefined removes). */
  token: (claims?: Record<string, unknown>, key?: SigningKey) => Promise<string>
  /** An unsigned token (alg none) with the same claims a valid one would have. */
  unsignedToken: (claims?: Record<string, unknown>) => string
  claims: (overrides?: Record<string, unknown>) => Record<string, unknown>
}

export async function startLocalIdp (t: { teardown: (fn: () => unknown) => void }, alg = 'RS256'): Promise<LocalIdp> {
  const server: Server = createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body))
    }
    idp.requests++
    if (idp.failWith) return send(idp.failWith, { error: 'unavailable' })
    if (request.url === '/realms/test/.well-known/openid-configuration') {
      idp.fetches.discovery++
      return send(200, idp.discovery ?? { issuer: idp.issuer, jwks_uri: idp.jwksUrl, id_token_signing_alg_values_supported: [alg] })
    }
    if (request.url === '/realms/test/protocol/openid-connect/certs') {
      idp.fetches.jwks++
      return send(200, { keys: idp.published.map(key => key.jwk) })
    }
    send(404, { error: 'not found' })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise(resolve => server.close(resolve)))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const first = await signingKey(alg)

  const idp: LocalIdp = {
    issuer: `${origin}/realms/test`,
    jwksUrl: `${origin}/realms/test/protocol/openid-connect/certs`,
    current: first,
    published: [first],
    fetches: { discovery: 0, jwks: 0 },
    requests: 0,
    async rotate (nextAlg = alg) {
      idp.current = await signingKey(nextAlg)
      idp.published = [idp.current]
      return idp.current
    },
    claims (overrides = {}) {
      const now = Math.floor(Date.now() / 1000)
      const claims: Record<string, unknown> = {
        iss: idp.issuer,
        aud: AUDIENCE,
        sub: 'user-1',
        iat: now,
        exp: now + 300,
        name: 'Alice Example',
        email: 'alice@example.org',
        email_verified: true,
        picture: 'https://example.org/alice.png',
        ...overrides
      }
      for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name]
      return claims
    },
    async token (overrides, key = idp.current) {
      return new SignJWT(idp.claims(overrides)).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' }).sign(key.privateKey)
    },
    unsignedToken (overrides) {
      return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(idp.claims(overrides))}.`
    }
  }
  return idp
}
