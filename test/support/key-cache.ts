/**
 * RSA key generation costs 0.05–0.5 s of CPU per key, paid again in every test process. Test keys
 * are therefore generated once and kept, by name, in node_modules/.cache (never in the repository):
 * every later test file and run reads the same real key from there. Delete the folder for new keys.
 */
import { generateKeyPairSync } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('../../node_modules/.cache/jitsi-token-service-test-keys/', import.meta.url))

/** The PKCS#8 PEM of the RSA key called `name` with `bits` bits, generated on first use. */
export function cachedRsaPem (name: string, bits = 2048): string {
  const file = join(dir, `${name.replace(/[^\w-]/g, '_')}-${bits}.pem`)
  try {
    return readFileSync(file, 'utf8')
  } catch {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits })
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    mkdirSync(dir, { recursive: true })
    // Written aside and renamed: a test file running at the same time reads a whole key or none.
    const partial = `${file}.${process.pid}`
    writeFileSync(partial, pem, { mode: 0o600 })
    renameSync(partial, file)
    return pem
  }
}
