/**
 * Key ids. Prosody fetches a kid's public key from `<asap_key_server>/<sha256 hex of kid>.pem`
 * (docs/jitsi.md §0 rule 3, §1.2) and caches it by kid forever, so a kid never changes its key.
 */
import { createHash, randomBytes } from 'node:crypto'

/** The file name Prosody asks the key server for, without `.pem`: lower-case SHA-256 hex of the kid. */
export function kidPathId (kid: string): string {
  return createHash('sha256').update(kid, 'utf8').digest('hex')
}

/** A kid goes into env files, docker settings and the JWT header: printable ASCII, no spaces. */
export function kidProblem (kid: string): string | undefined {
  if (kid === '') return 'is empty; RS tokens need a kid so Prosody can find the public key'
  if (!/^[\x21-\x7e]{1,256}$/.test(kid)) return 'must be 1–256 printable ASCII characters without spaces'
  return undefined
}

/** A fresh kid: the date for the operator, random hex so a new key never reuses an old kid. */
export function newKeyId (now = new Date()): string {
  return `${now.toISOString().slice(0, 10).replace(/-/g, '')}${randomBytes(4).toString('hex')}`
}
