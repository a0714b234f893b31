/** API keys: random, shown once, stored only as SHA-256, compared in constant time. */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto'

/** Prefix so a leaked key is recognisable (secret scanners, logs) and never mistaken for a JWT. */
export const API_KEY_PREFIX = 'jts_'

export function generateApiKey (): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url')
}

export function hashApiKey (apiKey: string): Buffer {
  // crypto.hash: one call, no Hash object per request.
  return hash('sha256', apiKey, 'buffer')
}

/**
 * The entry whose hash equals the key's. Every entry is compared, with timingSafeEqual and without
 * an early exit, so timing says nothing about which stored hash came close.
 */
export function findByApiKey<T extends { apiKeySha256: Buffer }> (apiKey: string, entries: readonly T[]): T | undefined {
  const presented = hashApiKey(apiKey)
  let found: T | undefined
  for (const entry of entries) {
    if (timingSafeEqual(presented, entry.apiKeySha256) && found === undefined) found = entry
  }
  return found
}
