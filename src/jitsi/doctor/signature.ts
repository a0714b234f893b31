/**
 * The signature, verified with node:crypto the way luajwtjitsi does (L28–54): HMAC over
 * `header.payload` keyed with the raw app_secret bytes, or RSA PKCS#1 v1.5 with the kid's public key.
 * It is checked with the header's own algorithm so a person learns whether the key is right even
 * when `alg` is wrong (that is the alg check's failure).
 */
import { createHmac, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto'
import { isHmacAlgorithm, isRsaAlgorithm } from '../algorithms.js'
import { STEP, pass, reject, show, type CheckResult } from './check.js'
import type { DoctorKeys, KeySource } from './deployment.js'
import { keyServerPath } from './header-checks.js'
import type { DecodedJwt } from './token-format.js'

const HASHES: Record<string, string> = { 256: 'sha256', 384: 'sha384', 512: 'sha512' }
const NAME = 'signature'
const INVALID = 'Invalid signature'

function hashOf (alg: string): string {
  return HASHES[alg.slice(2)] as string
}

function hmacCheck (jwt: DecodedJwt, alg: string, secret: KeySource<string> | undefined): CheckResult {
  if (!secret) {
    return reject(NAME, STEP.signature, 'signature not verified: no secret', `Cannot check the ${alg} signature: no secret is known. Pass Prosody's app_secret as prosody.secret (CLI: --secret-file or JWT_APP_SECRET).`)
  }
  const expected = createHmac(hashOf(alg), secret.key).update(jwt.signingInput).digest()
  if (expected.length === jwt.signature.length && timingSafeEqual(expected, jwt.signature)) {
    return pass(NAME, `The ${alg} signature matches ${secret.from}.`)
  }
  return reject(NAME, STEP.signature, INVALID, `The ${alg} signature does not match ${secret.from}, so Prosody answers "${INVALID}". The token was signed with another secret: JWT_APP_SECRET must be the same string on the issuer and on Prosody, used as plain text (never base64-decoded).`)
}

/**
 * Verifying costs grow with the modulus and with the public exponent, and a caller may supply the key:
 * Jitsi's keys are 2048 or 4096 bits with e = 65537, and OpenSSL itself caps e at 64 bits for moduli
 * over 3072 bits (RSA_MAX_PUBEXP_BITS).
 */
export const MAX_RSA_BITS = 4096
const MAX_EXPONENT = 2n ** 64n

/** A usable RSA public key, or the sentence that says why not. */
function rsaPublicKey (source: KeySource<string | KeyObject>): KeyObject | string {
  if (typeof source.key === 'string' && /PRIVATE KEY-----/.test(source.key)) {
    return `${source.from} is a private key: supply only the public key (-----BEGIN PUBLIC KEY-----), and keep the private key on the issuer.`
  }
  let key: KeyObject
  try {
    key = typeof source.key === 'string' ? createPublicKey(source.key) : source.key
  } catch {
    return `${source.from} is not a PEM public key; supply the SPKI PEM (-----BEGIN PUBLIC KEY-----, e.g. from openssl rsa -pubout) that Prosody's key server serves.`
  }
  if (key.asymmetricKeyType !== 'rsa') {
    return `${source.from} is a ${key.asymmetricKeyType} key, but Prosody only verifies RSA signatures (RS256/384/512).`
  }
  const { modulusLength, publicExponent } = key.asymmetricKeyDetails as { modulusLength: number, publicExponent: bigint }
  if (modulusLength > MAX_RSA_BITS || publicExponent >= MAX_EXPONENT) {
    return `${source.from} is a ${modulusLength}-bit RSA key with a ${publicExponent.toString(2).length}-bit exponent; the doctor checks keys of at most ${MAX_RSA_BITS} bits with an exponent under 2^64 (Jitsi's are 2048 or 4096 bits, e = 65537).`
  }
  return key
}

type FoundKey = { key: KeyObject, from: string }

/** The key an RS* signature is checked with, or the failed check that says why there is none. */
function rsaKey (jwt: DecodedJwt, alg: string, keys: DoctorKeys): FoundKey | CheckResult {
  const kid = jwt.header.kid
  const source = keys.publicKey ?? (typeof kid === 'string' ? keys.publicKeyFor?.(kid) : undefined)
  if (!source) {
    const which = typeof kid === 'string' ? `no public key for kid ${show(kid)} is known here` : 'the header has no kid to find a public key by'
    const where = typeof kid === 'string' ? ` (Prosody fetches <asap_key_server>/${keyServerPath(kid)})` : ''
    return reject(NAME, STEP.signature, 'could not obtain public key', `Cannot check the ${alg} signature: ${which}. Supply the public key as prosody.publicKeyPem (CLI: --public-key-file)${where}; if Prosody's key server does not serve it either, Prosody answers "could not obtain public key".`)
  }
  const key = rsaPublicKey(source)
  if (typeof key === 'string') return reject(NAME, STEP.signature, INVALID, `Cannot check the ${alg} signature: ${key}`)
  return { key, from: source.from }
}

function rsaCheck (jwt: DecodedJwt, alg: string, keys: DoctorKeys, verified: boolean | undefined): CheckResult {
  const found = rsaKey(jwt, alg, keys)
  if (!('key' in found)) return found
  if (verified ?? verify(hashOf(alg), Buffer.from(jwt.signingInput), found.key, jwt.signature)) {
    return pass(NAME, `The ${alg} signature verifies with ${found.from}.`)
  }
  return reject(NAME, STEP.signature, INVALID, `The ${alg} signature does not verify with ${found.from}, so Prosody answers "${INVALID}": the token was signed with another private key. Publish the public key that matches the signing key, under a new kid (Prosody caches keys by kid).`)
}

/**
 * The RS* verification in libuv's thread pool, so a request never holds the event loop for it;
 * undefined when there is no RSA signature to verify (signatureCheck then says why).
 */
export async function verifyRsaSignature (jwt: DecodedJwt, keys: DoctorKeys): Promise<boolean | undefined> {
  const alg = jwt.header.alg
  if (typeof alg !== 'string' || !isRsaAlgorithm(alg)) return undefined
  const found = rsaKey(jwt, alg, keys)
  if (!('key' in found)) return undefined
  return new Promise(resolve => {
    verify(hashOf(alg), Buffer.from(jwt.signingInput), found.key, jwt.signature, (_error, valid) => resolve(valid === true))
  })
}

/** `rsaVerified`: the outcome of verifyRsaSignature, when it ran; otherwise RS* is verified here, synchronously. */
export function signatureCheck (jwt: DecodedJwt, keys: DoctorKeys, rsaVerified?: boolean): CheckResult {
  const alg = jwt.header.alg
  if (typeof alg === 'string' && isHmacAlgorithm(alg)) return hmacCheck(jwt, alg, keys.secret)
  if (typeof alg === 'string' && isRsaAlgorithm(alg)) return rsaCheck(jwt, alg, keys, rsaVerified)
  return reject(NAME, STEP.signature, INVALID, `Not checked: alg ${show(alg)} is not an algorithm Prosody can verify (HS256/384/512, RS256/384/512), so no signature can satisfy it.`)
}
