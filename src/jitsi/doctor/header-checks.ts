/** The JWT header as Prosody reads it: kid (key-server hosts), typ, alg (docs/jitsi.md §0 rules 1–3). */
import { sha256 } from '@noble/hashes/sha2'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils'
import { algorithmProblem } from '../algorithms.js'
import { STEP, hint, pass, reject, show, type CheckResult } from './check.js'
import { usesKeyServer, type ProsodyDeployment } from './deployment.js'
import { decodeJsonSegment, fromBase64Url } from './token-format.js'

/** The file Prosody fetches for a kid: `<asap_key_server>/<sha256 hex of kid>.pem` (§1.2). */
export function keyServerPath (kid: string): string {
  return `${bytesToHex(sha256(utf8ToBytes(kid)))}.pem`
}

/**
 * With a key server Prosody reads the header before anything else, to find the key
 * (token/util.lib.lua L278–308), so these failures come first.
 */
export function kidCheck (token: string, deployment: ProsodyDeployment): CheckResult {
  if (!usesKeyServer(deployment)) {
    const kid = headerKid(token)
    if (kid !== undefined) {
      return hint('kid', `The header has kid ${show(kid)}: this ${deployment.algorithm} Prosody ignores it, but a Prosody with asap_key_server or cache_keys_url refuses any token with a kid that is not RS256/RS384/RS512 ("'kid' claim only support with RS family", token/util.lib.lua). Leave kid out of ${deployment.algorithm} tokens.`)
    }
    return pass('kid', `Not needed: with ${deployment.algorithm} Prosody verifies with its shared app_secret, not with a key found by kid.`)
  }
  const fail = (message: string, detail: string) => reject('kid', STEP.keyServerHeader, message, detail)
  const dot = token.indexOf('.')
  const unreadable = 'Prosody cannot read the header to find the key by kid: the first part of the token is not a base64url JSON object.'
  if (dot === -1 || fromBase64Url(token.slice(0, dot)) === undefined) return fail('Invalid token', unreadable)
  const header = decodeJsonSegment(token.slice(0, dot))
  if (header === undefined || typeof header.value !== 'object' || header.value === null) return fail('bad token format', unreadable)
  const { kid, alg } = header.value as Record<string, unknown>
  if (kid === undefined) {
    return reject('kid', STEP.kid, "'kid' claim is missing", `The header has no kid, but with ${deployment.algorithm} Prosody looks the public key up by kid on its key server (asap_key_server) and answers "'kid' claim is missing". Sign with a kid (JWT_KID) whose public key the key server serves.`)
  }
  if (typeof alg !== 'string' || !alg.startsWith('RS')) {
    const message = alg === undefined ? "'alg' claim is missing" : "'kid' claim only support with RS family"
    return reject('kid', STEP.kid, message, `The header has kid ${show(kid)} but alg ${show(alg)}; a key-server host only verifies RS256/RS384/RS512 tokens and answers "${message}". Sign with ${deployment.algorithm} and the private key of that kid.`)
  }
  const path = typeof kid === 'string' ? ` from <asap_key_server>/${keyServerPath(kid)}` : ''
  return pass('kid', `kid is ${show(kid)}: Prosody fetches its public key${path}. A changed key needs a new kid, because Prosody caches keys by kid until it restarts.`)
}

/** The header's kid, when the header can be read and has one. */
function headerKid (token: string): unknown {
  const header = decodeJsonSegment(token.slice(0, Math.max(token.indexOf('.'), 0)))?.value
  return typeof header === 'object' && header !== null ? (header as Record<string, unknown>).kid : undefined
}

export function typCheck (header: Record<string, unknown>): CheckResult {
  if (header.typ === 'JWT') return pass('typ', 'typ is "JWT", as Prosody requires.')
  // RFC 9068 access tokens: what an identity provider hands a frontend, not a Jitsi token (§12).
  if (typeof header.typ === 'string' && header.typ.toLowerCase() === 'at+jwt') {
    return reject('typ', STEP.typ, 'Invalid typ', 'typ is "at+jwt": this is an identity provider\'s access token (RFC 9068), not a Jitsi token. Prosody requires typ exactly "JWT" and answers "Invalid typ". Exchange it for a Jitsi token (POST /tokens with the access token as bearer) instead of sending it to Jitsi.')
  }
  const found = header.typ === undefined ? 'The header has no typ' : `typ is ${show(header.typ)}`
  return reject('typ', STEP.typ, 'Invalid typ', `${found}, but Prosody requires exactly "JWT" and answers "Invalid typ". Set typ: "JWT" in the header; libraries such as jose leave it out unless you ask (setProtectedHeader({ alg, typ: 'JWT' })).`)
}

export function algCheck (header: Record<string, unknown>, deployment: ProsodyDeployment): CheckResult {
  const expected = deployment.algorithm
  const { alg } = header
  if (alg === expected) return pass('alg', `alg is ${expected}, the algorithm Prosody verifies (signature_algorithm, JWT_SIGN_TYPE).`)
  const message = 'Invalid or incorrect alg'
  if (typeof alg !== 'string') {
    return reject('alg', STEP.alg, message, `The header has ${alg === undefined ? 'no alg' : `alg ${show(alg)}`}; Prosody verifies only ${expected} tokens and answers "${message}". Sign with ${expected}.`)
  }
  const problem = algorithmProblem(alg)
  if (problem) {
    return reject('alg', STEP.alg, message, `alg ${show(alg)} ${problem}; this Prosody verifies ${expected} and answers "${message}". Sign with ${expected}.`)
  }
  return reject('alg', STEP.alg, message, `alg is ${alg}, but Prosody verifies only ${expected} (signature_algorithm, JWT_SIGN_TYPE) and answers "${message}". Sign with ${expected}, or set JWT_SIGN_TYPE=${alg} on Prosody if its keys are ${alg} keys (docker-jitsi-meet#1903).`)
}
