/**
 * Builds the app from a config object, as server.ts does, without listening; logs are captured as
 * parsed JSON lines so tests can assert on them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import Fastify, { type FastifyInstance } from 'fastify'
import app, { LOG_REDACTIONS, serverOptions } from '../src/app.js'
import { ConfigError, loadConfig, type Config } from '../src/config.js'
import { generateApiKey } from '../src/clients/api-keys.js'
import type { Grants } from '../src/clients/grants.js'
import { createHash } from 'node:crypto'

export const APP_ID = 'test-app'
export const SECRET = randomBytes(32).toString('hex')
export const PUBLIC_URL = 'https://meet.example.org'

export function testConfig (env: Record<string, string | undefined> = {}): Config {
  return withDevelopmentClient(loadConfig({ NODE_ENV: 'test', JWT_APP_ID: APP_ID, JWT_APP_SECRET: SECRET, PUBLIC_URL, ...env }))
}

/**
 * loadConfig makes no development client next to a real signing key (SECRET, a key file), so tests
 * without CLIENTS_FILE get one on the config object they build the app from.
 */
export function withDevelopmentClient (config: Config): Config {
  if (config.production || config.clientsFile !== undefined || config.developmentApiKey !== undefined) return config
  return { ...config, developmentApiKey: generateApiKey() }
}

/** The ConfigError loadConfig throws for `env`; anything else (or no error) fails the test. */
export function configRefusal (env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error(`accepted ${JSON.stringify(env)}`)
}

export interface Built {
  app: FastifyInstance
  /** Parsed log lines, live: it grows as the app logs. */
  logs: Array<Record<string, unknown>>
  /** Everything the logger wrote, unparsed, to search for leaks. */
  rawLogs: () => string
}

interface Teardown { teardown: (fn: () => unknown) => void }

export async function build (t: Teardown, config: Config = testConfig(), level = 'info'): Promise<Built> {
  const lines: string[] = []
  const logs: Array<Record<string, unknown>> = []
  const stream = new Writable({
    write (chunk, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line)
        logs.push(JSON.parse(line))
      }
      callback()
    }
  })
  const fastify = Fastify(serverOptions(config, { level, stream, redact: LOG_REDACTIONS }))
  await fastify.register(app, { config })
  await fastify.ready()
  t.teardown(() => fastify.close())
  return {
    app: fastify,
    logs,
    rawLogs: () => lines.join('\n')
  }
}

const tempDirs: string[] = []
// Removed when the test process ends (clients files, keys): a run leaves nothing in the temp folder.
process.once('exit', () => { for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true }) })

export function tempDir (): string {
  const dir = mkdtempSync(join(tmpdir(), 'jts-test-'))
  tempDirs.push(dir)
  return dir
}

export interface TestClient { id: string, grants: Partial<Grants> }

/** Writes a CLIENTS_FILE with fresh keys; returns the file and each client's key. */
export function writeClientsFile (clients: TestClient[], dir = tempDir()): { file: string, keys: Record<string, string> } {
  const keys: Record<string, string> = {}
  const entries = clients.map(({ id, grants }) => {
    keys[id] = generateApiKey()
    return { id, apiKeySha256: createHash('sha256').update(keys[id]).digest('hex'), grants }
  })
  const file = join(dir, 'clients.json')
  writeFileSync(file, JSON.stringify({ clients: entries }))
  return { file, keys }
}

export function bearer (key: string | undefined) {
  return { authorization: `Bearer ${key}` }
}

/** Decodes a JWT's header and payload without verifying (the tests verify separately). */
export function decodeJwt (token: string): { header: Record<string, unknown>, payload: Record<string, any> } {
  const [header, payload] = token.split('.').slice(0, 2).map(part => JSON.parse(Buffer.from(part!, 'base64url').toString('utf8')))
  return { header, payload }
}
