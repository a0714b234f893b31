/**
 * A signing thread of keys/sign-pool.ts: only the RSA signature, the part that takes the CPU (~0.8 ms
 * for RSA-2048); the main thread builds the signing input. The key arrives as a KeyObject, which
 * worker messages share rather than copy.
 */
import { sign, type KeyObject } from 'node:crypto'

export interface SignTask {
  /** `header.payload`, the JWT signing input. */
  input: string
  /** Digest for crypto.sign: sha256 for RS256, … */
  hash: string
  key: KeyObject
}

export default function signInput ({ input, hash, key }: SignTask): string {
  return sign(hash, Buffer.from(input), key).toString('base64url')
}
