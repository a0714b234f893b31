/**
 * The signature, verified the way luajwtjitsi does (L28–54): HMAC over `header.payload` keyed with the
 * raw app_secret bytes, or RSA PKCS#1 v1.5 with the kid's public key. It is checked with the header's
 * own algorithm so a person learns whether the key is right even when `alg` is wrong (that is the alg
 * check's failure). No Node built-ins: the same code runs in the browser (the /doctor page).
 */
import { hmac } from '@noble/hashes/hmac'
import { sha256, sha384, sha512 } from '@noble/hashes/sha2'
import { utf8ToBytes } from '@noble/hashes/utils'
import { isHmacAlgorithm, isRsaAlgorithm } from '../algorithms.js'
import { STEP, pass, reject, show, type CheckResult } from './check.js'
import type { DoctorKeys, KeySource } from './deployment.js'
import { keyServerPath } from './header-checks.js'
import { importRsaPublicKey } from './public-key.js'
import type { DecodedJwt } from './token-format.js'

const HMAC_HASHES = { 256: sha256, 384: sha384, 512: sha512 }
const NAME = 'signature'
const INVALID = 'Invalid signature'

/** The outcome of verifyRsaSignature: whether the signature verifies, or why the key cannot tell. */
export type RsaVerdict = { valid: boolean } | { problem: string }

/** Compares every byte, so the time taken does not tell how much of a guessed signature was right. */
function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ (b[i] ?? 0)
  return difference === 0
}

function hmacCheck (jwt: DecodedJwt, alg: string, secret: KeySource<string> | undefined): CheckResult {
  if (!secret) {
    return reject(NAME, STEP.signature, 'signature not verified: no secret', `Cannot check the ${alg} signature: no secret is known. Pass Prosody's app_secret as prosody.secret (CLI: --secret-file or JWT_APP_SECRET).`)
  }
  const hash = HMAC_HASHES[alg.slice(2) as '256' | '384' | '512']
  if (sameBytes(hmac(hash, utf8ToBytes(secret.key), utf8ToBytes(jwt.signingInput)), jwt.signature)) {
    return pass(NAME, `The ${alg} signature matches ${secret.from}.`)
  }
  return reject(NAME, STEP.signature, INVALID, `The ${alg} signature does not match ${secret.from}, so Prosody answers "${INVALID}". The token was signed with another secret: JWT_APP_SECRET must be the same string on the issuer and on Prosody, used as plain text (never base64-decoded).`)
}

/** The key an RS* signature is checked with, or the failed check that says why there is none. */
function rsaKeySource (jwt: DecodedJwt, alg: string, keys: DoctorKeys): KeySource<string> | CheckResult {
  const kid = jwt.header.kid
  const source = keys.publicKey ?? (typeof kid === 'string' ? keys.publicKeyFor?.(kid) : undefined)
  if (source) return source
  const which = typeof kid === 'string' ? `no public key for kid ${show(kid)} is known here` : 'the header has no kid to find a public key by'
  const where = typeof kid === 'string' ? ` (Prosody fetches <asap_key_server>/${keyServerPath(kid)})` : ''
  return reject(NAME, STEP.signature, 'could not obtain public key', `Cannot check the ${alg} signature: ${which}. Supply the public key as prosody.publicKeyPem (CLI: --public-key-file)${where}; if Prosody's key server does not serve it either, Prosody answers "could not obtain public key".`)
}

/**
 * RS* verification with WebCrypto, which runs in Node's thread pool (a request never holds the event
 * loop for it) and in browsers; undefined when there is no RSA signature to verify (signatureCheck
 * then says why).
 */
export async function verifyRsaSignature (jwt: DecodedJwt, keys: DoctorKeys): Promise<RsaVerdict | undefined> {
  const alg = jwt.header.alg
  if (typeof alg !== 'string' || !isRsaAlgorithm(alg)) return undefined
  const source = rsaKeySource(jwt, alg, keys)
  if ('name' in source) return undefined
  const key = await importRsaPublicKey(source.key, source.from, `SHA-${alg.slice(2)}`)
  if (typeof key === 'string') return { problem: key }
  const valid = await globalThis.crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, jwt.signature as Uint8Array<ArrayBuffer>, utf8ToBytes(jwt.signingInput) as Uint8Array<ArrayBuffer>)
  return { valid }
}

function rsaCheck (jwt: DecodedJwt, alg: string, keys: DoctorKeys, verdict: RsaVerdict | undefined): CheckResult {
  const source = rsaKeySource(jwt, alg, keys)
  if ('name' in source) return source
  if (verdict === undefined) {
    return reject(NAME, STEP.signature, INVALID, `The ${alg} signature was not verified: run the doctor with diagnoseAsync, which verifies RSA signatures.`)
  }
  if ('problem' in verdict) return reject(NAME, STEP.signature, INVALID, `Cannot check the ${alg} signature: ${verdict.problem}`)
  if (verdict.valid) return pass(NAME, `The ${alg} signature verifies with ${source.from}.`)
  return reject(NAME, STEP.signature, INVALID, `The ${alg} signature does not verify with ${source.from}, so Prosody answers "${INVALID}": the token was signed with another private key. Publish the public key that matches the signing key, under a new kid (Prosody caches keys by kid).`)
}

/** `rsaVerdict`: the outcome of verifyRsaSignature; HS* signatures are verified here. */
export function signatureCheck (jwt: DecodedJwt, keys: DoctorKeys, rsaVerdict?: RsaVerdict): CheckResult {
  const alg = jwt.header.alg
  if (typeof alg === 'string' && isHmacAlgorithm(alg)) return hmacCheck(jwt, alg, keys.secret)
  if (typeof alg === 'string' && isRsaAlgorithm(alg)) return rsaCheck(jwt, alg, keys, rsaVerdict)
  return reject(NAME, STEP.signature, INVALID, `Not checked: alg ${show(alg)} is not an algorithm Prosody can verify (HS256/384/512, RS256/384/512), so no signature can satisfy it.`)
}
