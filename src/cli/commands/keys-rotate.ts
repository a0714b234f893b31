/**
 * `keys list`, `keys activate`, `keys retire`: the rotation sequence over a JWT_KEYS_DIR, timed for
 * Prosody's key caches (docs/operations.md#rotate-keys, docs/jitsi.md §12.6):
 * generate (published, not signing) → after one JWKS max-age, activate → retire the old key (public
 * half only: still published, never signs) → remove it once its last token has expired.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { KEYS_MAX_AGE } from '../../keys/key-set.js'
import { ACTIVE_FILE } from '../../keys/key-source.js'
import type { Command, CommandIO } from '../command.js'

interface KeyFile { name: string, signs: boolean, ageSeconds: number }

function readKeys (dir: string): KeyFile[] {
  return readdirSync(dir).filter(file => file.endsWith('.pem')).sort().map(file => {
    const path = join(dir, file)
    const pem = readFileSync(path, 'utf8')
    return { name: file.slice(0, -4), signs: pem.includes('PRIVATE KEY'), ageSeconds: Math.floor((Date.now() - statSync(path).mtimeMs) / 1000) }
  })
}

function activeName (dir: string): string | undefined {
  try {
    return readFileSync(join(dir, ACTIVE_FILE), 'utf8').trim()
  } catch {
    return undefined
  }
}

function writeAtomically (path: string, text: string) {
  writeFileSync(`${path}.tmp`, text, { mode: 0o600 })
  renameSync(`${path}.tmp`, path)
}

const RELOAD = 'The service reads the directory on SIGHUP: docker compose kill -s HUP token-service.\n'

function options (args: string[], env: Record<string, string | undefined>) {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { dir: { type: 'string' }, now: { type: 'boolean', default: false } } })
  const dir = values.dir ?? env.JWT_KEYS_DIR
  if (!dir) throw new Error('give --dir or set JWT_KEYS_DIR')
  return { dir: resolve(dir), name: positionals[0], now: values.now }
}

function list (args: string[], io: CommandIO, env: Record<string, string | undefined>): number {
  const { dir } = options(args, env)
  const active = activeName(dir)
  for (const key of readKeys(dir)) {
    const state = key.name === active ? 'active (signs)' : key.signs ? 'published, not signing' : 'retired (public key only)'
    io.out.write(`${key.name.padEnd(24)} ${state.padEnd(26)} file written ${Math.round(key.ageSeconds / 60)} min ago\n`)
  }
  return 0
}

function activate (args: string[], io: CommandIO, env: Record<string, string | undefined>): number {
  const { dir, name, now } = options(args, env)
  const key = readKeys(dir).find(candidate => candidate.name === name)
  if (!key?.signs) {
    io.err.write(`${dir} has no private key named "${name ?? ''}" (keys list shows them)\n`)
    return 2
  }
  // Prosody re-reads cache_keys_url at max-age − 60 s: a kid it has not seen yet would be refused.
  if (key.ageSeconds < KEYS_MAX_AGE && !now) {
    io.err.write(`${name} was written ${key.ageSeconds} s ago; verifiers cache the published keys for ${KEYS_MAX_AGE} s, so tokens signed with it now could be refused. Publish it (SIGHUP), wait until ${KEYS_MAX_AGE} s have passed, and activate then, or give --now.\n`)
    return 3
  }
  writeAtomically(join(dir, ACTIVE_FILE), `${name}\n`)
  io.out.write(`${name} signs new tokens after the next reload. Keep the previous key published until its last token has expired (JWT_MAX_TTL after now), then retire it.\n${RELOAD}`)
  return 0
}

function retire (args: string[], io: CommandIO, env: Record<string, string | undefined>): number {
  const { dir, name } = options(args, env)
  const key = readKeys(dir).find(candidate => candidate.name === name)
  if (!key) {
    io.err.write(`${dir} has no key named "${name ?? ''}"\n`)
    return 2
  }
  if (name === activeName(dir)) {
    io.err.write(`${name} is the active key; activate its successor first\n`)
    return 3
  }
  const path = join(dir, `${name}.pem`)
  // The public half stays published (tokens it signed still verify); the private half is gone for good.
  if (key.signs) writeAtomically(path, createPublicKey(createPrivateKey(readFileSync(path, 'utf8'))).export({ type: 'spki', format: 'pem' }) as string)
  io.out.write(`${name} no longer holds a private key and stays published. Delete ${path} once every token it signed has expired (JWT_MAX_TTL after it stopped signing).\n${RELOAD}`)
  return 0
}

const USAGE = (what: string) => `Usage: jitsi-token-service keys ${what} [--dir DIR]   (DIR defaults to JWT_KEYS_DIR)\n`

export function keysRotationCommands (env: Record<string, string | undefined> = process.env): Command[] {
  return [
    { name: 'keys list', summary: 'the keys in JWT_KEYS_DIR: which signs, which are published or retired', usage: USAGE('list'), run: async (args, io) => list(args, io, env) },
    { name: 'keys activate', summary: 'make a published key the one that signs (after one JWKS max-age)', usage: USAGE('activate NAME [--now]'), run: async (args, io) => activate(args, io, env) },
    { name: 'keys retire', summary: 'keep a former key published but drop its private half', usage: USAGE('retire NAME'), run: async (args, io) => retire(args, io, env) }
  ]
}
