/**
 * The service's production configuration for the benchmark: a fresh secret, an RSA-2048 key and a
 * CLIENTS_FILE with one client whose key exists only in this process, all in a temporary directory.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateApiKey } from '../src/clients/api-keys.js'

export interface BenchSetup {
  dir: string
  appId: string
  publicUrl: string
  secret: string
  apiKey: string
  clientsFile: string
  privateKeyPem: string
  publicKeyPem: string
  privateKeyFile: string
  kid: string
}

export function benchSetup (): BenchSetup {
  const dir = mkdtempSync(join(tmpdir(), 'jts-bench-'))
  const apiKey = generateApiKey()
  const clientsFile = join(dir, 'clients.json')
  // Grants that cover the benchmark's request (tenant, moderator, features): every request is a 201.
  const client = {
    id: 'bench',
    apiKeySha256: createHash('sha256').update(apiKey).digest('hex'),
    grants: { rooms: ['*'], tenants: ['*'], moderator: true, features: ['*'] }
  }
  writeFileSync(clientsFile, JSON.stringify({ clients: [client] }), { mode: 0o600 })
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const privateKeyFile = join(dir, 'jwt-private.pem')
  writeFileSync(privateKeyFile, privateKeyPem, { mode: 0o600 })
  return {
    dir,
    appId: 'bench-app',
    publicUrl: 'https://meet.example.org',
    secret: randomBytes(32).toString('hex'),
    apiKey,
    clientsFile,
    privateKeyPem,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyFile,
    kid: 'bench-key-1'
  }
}

export function serviceEnv (setup: BenchSetup, algorithm: 'HS256' | 'RS256'): Record<string, string> {
  const keys: Record<string, string> = algorithm === 'HS256'
    ? { JWT_APP_SECRET: setup.secret }
    : { JWT_PRIVATE_KEY_FILE: setup.privateKeyFile, JWT_KID: setup.kid }
  return {
    NODE_ENV: 'production',
    // The soak reads /metrics without a token (production needs one unless said explicitly).
    METRICS_PUBLIC: 'true',
    LOG_LEVEL: 'info',
    JWT_SIGN_TYPE: algorithm,
    JWT_APP_ID: setup.appId,
    PUBLIC_URL: setup.publicUrl,
    CLIENTS_FILE: setup.clientsFile,
    // High enough never to trigger: the benchmark measures issuance, not refusals.
    RATE_LIMIT_MAX: '100000000',
    // Stop promptly once measured (ignored by builds without graceful drain).
    SHUTDOWN_DRAIN: '0',
    ...keys
  }
}

/** Why this build cannot run the RS256 scenario, or undefined when its config knows the key variables. */
export function rs256Unsupported (distDir: string): string | undefined {
  let schema: string
  try {
    schema = readFileSync(join(distDir, 'config', 'env-schema.js'), 'utf8')
  } catch {
    return `no ${join(distDir, 'config', 'env-schema.js')} (run npm run build)`
  }
  return schema.includes('JWT_PRIVATE_KEY') ? undefined : 'this build has no JWT_PRIVATE_KEY_FILE yet (RS256 signing not merged)'
}
