/**
 * RS* signing off the event loop: crypto.sign with a callback runs on libuv's thread pool, so an
 * RSA-2048 signature (~0.8 ms of CPU) does not hold up other requests and both cores are used.
 * A JWT is base64url(header).base64url(payload).base64url(signature) (RFC 7515 compact form).
 */
import { sign } from 'node:crypto'
import type { SigningKey } from './key-set.js'

export function signJwt (claims: object, key: SigningKey): Promise<string> {
  const input = `${key.headerSegment}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`
  return new Promise((resolve, reject) => {
    sign(key.hash, Buffer.from(input), key.privateKey, (error, signature) => {
      /* c8 ignore next -- a loaded RSA key signs any input; kept so a failure is not silent */
      if (error) return reject(error)
      resolve(`${input}.${signature.toString('base64url')}`)
    })
  })
}
