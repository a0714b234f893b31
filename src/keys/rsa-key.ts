/**
 * Reading a PEM key and checking that Prosody can verify what it signs: an RSA key (not RSA-PSS,
 * EC or Ed25519, which Prosody's luajwtjitsi cannot verify, docs/jitsi.md §1.2) of at least 2048 bits.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'

export const MIN_RSA_BITS = 2048

export interface ParsedKey {
  /** Absent when the PEM holds only a public key (a retired key that is still published). */
  privateKey?: KeyObject
  publicKey: KeyObject
}

export class KeyProblem extends Error {}

const KEY_TYPES: Record<string, string> = {
  'rsa-pss': 'an RSA-PSS key (PS*)',
  ec: 'an EC key (ES*)',
  ed25519: 'an Ed25519 key (EdDSA)',
  ed448: 'an Ed448 key (EdDSA)'
}

/** Parses a PKCS#8 or PKCS#1 private key, or an SPKI public key; throws KeyProblem saying what is wrong. */
export function parseKey (pem: string): ParsedKey {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw new KeyProblem('holds an encrypted private key; decrypt it first (openssl pkey -in key.pem -out plain.pem)')
  }
  if (/-----BEGIN CERTIFICATE-----/.test(pem)) {
    throw new KeyProblem('holds a certificate; give the private key (PKCS#8 or PKCS#1 PEM)')
  }
  try {
    const privateKey = createPrivateKey({ key: pem, format: 'pem' })
    return { privateKey, publicKey: createPublicKey(privateKey) }
  } catch {}
  try {
    return { publicKey: createPublicKey({ key: pem, format: 'pem' }) }
  } catch {
    throw new KeyProblem('is not a PEM key (expected "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----")')
  }
}

/** Why `key` cannot sign tokens with an RS* algorithm, or undefined when it can. */
export function rsaKeyProblem (key: KeyObject, algorithm: string): string | undefined {
  // Only secret keys lack a type, and parseKey never makes one.
  const type = key.asymmetricKeyType!
  if (type !== 'rsa') {
    const what = KEY_TYPES[type] ?? `a ${type} key`
    return `holds ${what}, but ${algorithm} needs an RSA key: Prosody verifies only RS256/384/512 and HS256/384/512`
  }
  const bits = key.asymmetricKeyDetails!.modulusLength!
  if (bits < MIN_RSA_BITS) return `holds a ${bits}-bit RSA key; use at least ${MIN_RSA_BITS} bits (jitsi-token-service keys generate)`
  return undefined
}
