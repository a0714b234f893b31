/**
 * One immutable snapshot of the keys: the one that signs (active) and every one that is published
 * at /asap/<sha256(kid)>.pem and in the JWKS. A reload builds a new snapshot and swaps it in whole.
 */
import type { KeyObject } from 'node:crypto'
import type { RsaAlgorithm } from '../jitsi/algorithms.js'
import { kidPathId } from './kid.js'
import { publicJwk, type PublicJwk } from './jwk.js'
import type { ParsedKey } from './rsa-key.js'

/**
 * Seconds verifiers may cache the published keys (Cache-Control max-age; Prosody's cache_keys_url
 * honours it): publish a new key at least this long before it signs.
 */
export const KEYS_MAX_AGE = 300

export interface PublishedKey {
  kid: string
  /** sha256 hex of the kid: the file name Prosody fetches. */
  pathId: string
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`), what luaossl's pkey.new reads (docs/jitsi.md §1.2). */
  publicPem: string
  jwk: PublicJwk
}

export interface SigningKey {
  kid: string
  algorithm: RsaAlgorithm
  /** Digest for crypto.sign: sha256 for RS256, … */
  hash: string
  privateKey: KeyObject
  /** base64url({"alg","typ":"JWT","kid"}), computed once per key, not per token. */
  headerSegment: string
}

export interface KeySet {
  active?: SigningKey
  /** Why nothing can sign (readiness says it); undefined when a key is active or RS* is not used. */
  problem?: string
  published: PublishedKey[]
  byPathId: ReadonlyMap<string, PublishedKey>
  jwks: { keys: PublicJwk[] }
}

export interface LoadedKey {
  kid: string
  key: ParsedKey
}

const HASHES: Record<RsaAlgorithm, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' }

export function signingKey (kid: string, privateKey: KeyObject, algorithm: RsaAlgorithm): SigningKey {
  // typ "JWT" is required by Prosody (docs/jitsi.md §0 rule 1), kid by the key server (rule 3).
  const header = JSON.stringify({ alg: algorithm, typ: 'JWT', kid })
  return { kid, algorithm, hash: HASHES[algorithm], privateKey, headerSegment: Buffer.from(header).toString('base64url') }
}

export function publishedKey ({ kid, key }: LoadedKey, algorithm: RsaAlgorithm): PublishedKey {
  return {
    kid,
    pathId: kidPathId(kid),
    publicPem: key.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    jwk: publicJwk(key.publicKey, kid, algorithm)
  }
}

/** `active` must be one of `keys` and hold a private key; without it, `problem` says why. */
export function buildKeySet (keys: LoadedKey[], algorithm: RsaAlgorithm, active: LoadedKey | undefined, problem?: string): KeySet {
  const published = keys.map(key => publishedKey(key, algorithm))
  return {
    active: active?.key.privateKey ? signingKey(active.kid, active.key.privateKey, algorithm) : undefined,
    problem: active ? undefined : problem,
    published,
    byPathId: new Map(published.map(key => [key.pathId, key])),
    jwks: { keys: published.map(key => key.jwk) }
  }
}

/** HS* signs with the shared secret: nothing is published. */
export function emptyKeySet (): KeySet {
  return { published: [], byPathId: new Map(), jwks: { keys: [] } }
}
