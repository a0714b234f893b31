/**
 * A public key a person or this service supplied, made usable for RS* verification with WebCrypto
 * (Node 20 and browsers alike), or the sentence that says why it is not usable.
 */

/**
 * Verifying costs grow with the modulus and with the public exponent, and a caller may supply the key:
 * Jitsi's keys are 2048 or 4096 bits with e = 65537, and OpenSSL itself caps e at 64 bits for moduli
 * over 3072 bits (RSA_MAX_PUBEXP_BITS).
 */
export const MAX_RSA_BITS = 4096
const MAX_EXPONENT_BITS = 64

/** WebCrypto's key type, named without the DOM library or Node's types. */
export type VerifyKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>

/** The algorithm OIDs of an SPKI's AlgorithmIdentifier (DER bytes), named as Node names key types. */
const KEY_TYPES: Array<[string, number[]]> = [
  ['rsa', [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]],
  ['rsa-pss', [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a]],
  ['dsa', [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01]],
  ['ec', [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]],
  ['x25519', [0x06, 0x03, 0x2b, 0x65, 0x6e]],
  ['x448', [0x06, 0x03, 0x2b, 0x65, 0x6f]],
  ['ed25519', [0x06, 0x03, 0x2b, 0x65, 0x70]],
  ['ed448', [0x06, 0x03, 0x2b, 0x65, 0x71]]
]

/** The AlgorithmIdentifier sits in the first bytes of an SPKI: its OID says what kind of key this is. */
function keyType (der: Uint8Array): string | undefined {
  const head = Array.from(der.subarray(0, 24)).join(',')
  return KEY_TYPES.find(([, oid]) => head.includes(oid.join(',')))?.[0]
}

/** The DER inside `-----BEGIN PUBLIC KEY-----`, the SPKI form Prosody's key server serves. */
function spkiDer (pem: string): Uint8Array | undefined {
  const body = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----/.exec(pem)?.[1]
  if (body === undefined) return undefined
  try {
    return Uint8Array.from(atob(body.replace(/\s+/g, '')), character => character.charCodeAt(0))
  } catch {
    return undefined
  }
}

function bitLength (bigEndian: Uint8Array): number {
  // An importable key's exponent is never zero, so a non-zero byte is always found.
  const start = bigEndian.findIndex(byte => byte !== 0)
  return (bigEndian.length - start - 1) * 8 + bigEndian[start]!.toString(2).length
}

/** The CryptoKey for `hash` (SHA-256/384/512), or why the PEM cannot verify an RS* signature. */
export async function importRsaPublicKey (pem: string, from: string, hash: string): Promise<VerifyKey | string> {
  if (/PRIVATE KEY-----/.test(pem)) {
    return `${from} is a private key: supply only the public key (-----BEGIN PUBLIC KEY-----), and keep the private key on the issuer.`
  }
  const notPem = `${from} is not a PEM public key; supply the SPKI PEM (-----BEGIN PUBLIC KEY-----, e.g. from openssl rsa -pubout) that Prosody's key server serves.`
  const der = spkiDer(pem)
  const type = der && keyType(der)
  if (!der || !type) return notPem
  if (type !== 'rsa') return `${from} is a ${type} key, but Prosody only verifies RSA signatures (RS256/384/512).`
  let key: VerifyKey
  try {
    key = await globalThis.crypto.subtle.importKey('spki', der as Uint8Array<ArrayBuffer>, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify'])
  } catch {
    return notPem
  }
  const { modulusLength, publicExponent } = key.algorithm as unknown as { modulusLength: number, publicExponent: Uint8Array }
  const exponentBits = bitLength(publicExponent)
  if (modulusLength > MAX_RSA_BITS || exponentBits > MAX_EXPONENT_BITS) {
    return `${from} is a ${modulusLength}-bit RSA key with a ${exponentBits}-bit exponent; the doctor checks keys of at most ${MAX_RSA_BITS} bits with an exponent under 2^64 (Jitsi's are 2048 or 4096 bits, e = 65537).`
  }
  return key
}
