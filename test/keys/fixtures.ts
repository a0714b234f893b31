/** Real keys generated in the tests (never committed), written where the service reads them. */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../helper.js'
import { cachedRsaPem } from '../support/key-cache.js'

export interface TestKey {
  privateKey: KeyObject
  /** PKCS#8 PEM. */
  pem: string
  /** PKCS#1 PEM ("BEGIN RSA PRIVATE KEY"), what `openssl genrsa` used to write. */
  pkcs1: string
  /** SPKI PEM. */
  publicPem: string
}

const cache = new Map<string, TestKey>()

/** An RSA key; the same `label` gives the same key (generated once, then read from the test key cache). */
export function rsaKey (label = 'a', bits = 2048): TestKey {
  const cacheKey = `${label}/${bits}`
  let key = cache.get(cacheKey)
  if (!key) {
    const privateKey = createPrivateKey(cachedRsaPem(`fixture-${label}`, bits))
    const publicKey = createPublicKey(privateKey)
    key = {
      privateKey,
      pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      pkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string
    }
    cache.set(cacheKey, key)
  }
  return key
}

export function writeFile (dir: string, name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text, { mode: 0o600 })
  return path
}

/** A JWT_PRIVATE_KEY_FILE holding `pem`. */
export function keyFile (pem: string): string {
  return writeFile(tempDir(), 'key.pem', pem)
}

/** A JWT_KEYS_DIR with `<name>.pem` for each entry and, when given, the `active` file. */
export function keysDir (keys: Record<string, string>, active?: string, dir = tempDir()): string {
  for (const [name, pem] of Object.entries(keys)) writeFile(dir, `${name}.pem`, pem)
  if (active !== undefined) writeFile(dir, 'active', `${active}\n`)
  return dir
}
