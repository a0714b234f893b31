/**
 * `client list`, `client show`, `client remove`, `client rotate-key`: CLIENTS_FILE managed without an
 * editor. Ids and grants are shown, never keys or their hashes; a new key is printed once.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { generateApiKey, hashApiKey } from '../../clients/api-keys.js'
import { parseClients, type Client } from '../../clients/clients-file.js'
import type { Command, CommandIO } from '../command.js'
import { editClient } from '../clients-file-edit.js'

const RELOAD = 'The service reads the file again on SIGHUP (docker compose ... kill -s HUP token-service); until then it keeps the clients it has.\n'
const GRACE = /^(\d+)([smhd])$/
const UNIT: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

function fileOf (values: { file?: string }, env: Record<string, string | undefined>): string {
  const file = values.file ?? env.CLIENTS_FILE
  if (!file) throw new Error('give --file or set CLIENTS_FILE')
  return file
}

function grantLine (client: Client): string {
  const { grants } = client
  return [
    `rooms ${grants.rooms.join(', ') || '(none)'}`,
    grants.wildcardRoom ? 'wildcard room' : undefined,
    grants.tenants ? `tenants ${grants.tenants.join(', ')}` : undefined,
    grants.moderator ? 'moderator' : 'no moderator',
    `features ${grants.features.includes('*') ? 'all (Jitsi\'s defaults)' : grants.features.join(', ') || 'none'}`,
    grants.maxTtl ? `max ttl ${grants.maxTtl} s` : undefined
  ].filter(Boolean).join('; ')
}

function clientsIn (file: string): Client[] {
  return parseClients(readFileSync(file, 'utf8'), file)
}

function options (args: string[]) {
  return parseArgs({ args, allowPositionals: true, options: { file: { type: 'string' }, grace: { type: 'string' } } })
}

async function list (args: string[], io: CommandIO, env: Record<string, string | undefined>) {
  const seen = new Set<string>()
  for (const client of clientsIn(fileOf(options(args).values, env))) {
    if (seen.has(client.id)) continue // the previous key of a rotation in its grace period
    seen.add(client.id)
    io.out.write(`${client.id.padEnd(20)} ${grantLine(client)}\n`)
  }
  return 0
}

async function show (args: string[], io: CommandIO, env: Record<string, string | undefined>) {
  const { values, positionals } = options(args)
  const entries = clientsIn(fileOf(values, env)).filter(client => client.id === positionals[0])
  if (entries.length === 0) {
    io.err.write(`no client "${positionals[0] ?? ''}"\n`)
    return 2
  }
  io.out.write(`${JSON.stringify({ id: entries[0]!.id, grants: entries[0]!.grants }, null, 2)}\n`)
  const previous = entries.find(client => client.expiresAt !== undefined)
  if (previous) io.out.write(`previous key accepted until ${new Date(previous.expiresAt!).toISOString()}\n`)
  return 0
}

async function remove (args: string[], io: CommandIO, env: Record<string, string | undefined>) {
  const { values, positionals } = options(args)
  const file = fileOf(values, env)
  const count = editClient(file, positionals[0] ?? '', { remove: true })
  io.err.write(`Removed client "${positionals[0]}" from ${file} (${count} left). Its key is refused once the service has reloaded.\n${RELOAD}`)
  return 0
}

async function rotateKey (args: string[], io: CommandIO, env: Record<string, string | undefined>) {
  const { values, positionals } = options(args)
  const grace = values.grace === undefined ? undefined : GRACE.exec(values.grace)
  if (values.grace !== undefined && !grace) {
    io.err.write('--grace takes a duration such as 30m, 12h or 7d\n')
    return 2
  }
  const file = fileOf(values, env)
  const id = positionals[0] ?? ''
  const current = clientsIn(file).find(client => client.id === id)
  const apiKey = generateApiKey()
  const until = grace ? new Date(Date.now() + Number(grace[1]) * UNIT[grace[2]!]!).toISOString() : undefined
  editClient(file, id, {
    set: {
      apiKeySha256: hashApiKey(apiKey).toString('hex'),
      previousApiKeySha256: until === undefined ? undefined : current!.apiKeySha256.toString('hex'),
      previousKeyExpires: until
    }
  })
  io.err.write(`New API key for "${id}" (shown only now):\n`)
  io.out.write(`${apiKey}\n`)
  io.err.write(`${until === undefined ? 'The old key is refused' : `The old key keeps working until ${until}, then is refused`} once the service has reloaded.\n${RELOAD}`)
  return 0
}

const usage = (what: string, text: string) => `Usage: jitsi-token-service client ${what} [--file CLIENTS_FILE]\n${text}\n--file defaults to CLIENTS_FILE.\n`

export function clientCommands (env: Record<string, string | undefined> = process.env): Command[] {
  return [
    { name: 'client list', summary: 'the clients and their grants (never keys)', usage: usage('list', 'Lists every client id and its grant.'), run: (args, io) => list(args, io, env) },
    { name: 'client show', summary: 'one client\'s grant as the file holds it', usage: usage('show ID', 'Shows one client\'s grant, and until when a rotated-out key still works.'), run: (args, io) => show(args, io, env) },
    { name: 'client remove', summary: 'remove a client from the clients file', usage: usage('remove ID', 'Removes the entry, keeping the rest of the file (YAML comments too).'), run: (args, io) => remove(args, io, env) },
    { name: 'client rotate-key', summary: 'a new API key for a client, the old one refused now or after --grace', usage: usage('rotate-key ID [--grace 12h]', 'Prints a new key once and keeps the entry; with --grace the old key works until then.'), run: (args, io) => rotateKey(args, io, env) }
  ]
}
