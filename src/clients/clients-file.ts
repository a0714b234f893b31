/**
 * CLIENTS_FILE: the API clients, each with the SHA-256 of its key (never the key) and a grant.
 * JSON, or YAML when the file name ends in .yaml/.yml. A malformed file stops start-up with a
 * message naming the client and the field.
 */
import { readFileSync } from 'node:fs'
import { Type, type Static } from '@sinclair/typebox'
import { Value, type ValueError } from '@sinclair/typebox/value'
import { createRequire } from 'node:module'
import { KNOWN_FEATURES } from '../jitsi/features.js'
import { customUserClaimProblem } from '../jitsi/user-claims.js'
import { CONTROL_ACTIONS, type Grants } from './grants.js'
import { IDENTITY_FIELDS } from './identity-fields.js'
import { positionOf } from './problem-position.js'
import { jsonSyntaxProblem, yamlSyntaxProblem } from './syntax-problem.js'

/** yaml is loaded for YAML files only (synchronously: SIGHUP reloads synchronously); JSON never pays for it. */
function parseYaml (text: string): unknown {
  const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml')
  // logLevel error: yaml's warnings (printed to stderr) quote the text too.
  return parse(text, { logLevel: 'error' })
}

const IdentityFieldSchema = Type.Union(IDENTITY_FIELDS.map(field => Type.Literal(field)))

export const GrantsSchema = Type.Object({
  rooms: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { default: [] }),
  wildcardRoom: Type.Boolean({ default: false }),
  tenants: Type.Optional(Type.Array(Type.String({ pattern: '^(\\*|[A-Za-z0-9_-]{1,63})$' }))),
  moderator: Type.Boolean({ default: false }),
  features: Type.Array(Type.Union([Type.Literal('*'), ...KNOWN_FEATURES.map(name => Type.Literal(name))]), { default: [] }),
  maxTtl: Type.Optional(Type.Integer({ minimum: 1 })),
  userClaims: Type.Optional(Type.Array(Type.String(), { maxItems: 32, description: 'Custom context.user claims this client may send (string or boolean values)' })),
  identityFields: Type.Optional(Type.Array(IdentityFieldSchema, { description: 'context.user identity fields its tokens may carry (default all); every participant sees them' })),
  guestIdentityFields: Type.Optional(Type.Array(IdentityFieldSchema, { description: 'The same for participant (non-moderator) tokens, e.g. no email for guests' })),
  control: Type.Optional(Type.Array(Type.Union(CONTROL_ACTIONS.map(action => Type.Literal(action))), { description: 'Meeting control on its rooms: end, kick, read, message (docs/meeting-control.md)' }))
}, { additionalProperties: false })

export const ClientSchema = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
  apiKeySha256: Type.String({ pattern: '^[0-9a-fA-F]{64}$' }),
  /** `client rotate-key --grace`: the replaced key, accepted until previousKeyExpires. */
  previousApiKeySha256: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$' })),
  previousKeyExpires: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$', description: 'ISO 8601 date and time' })),
  grants: GrantsSchema
}, { additionalProperties: false })

export const ClientsFileSchema = Type.Object({
  clients: Type.Array(ClientSchema)
}, { additionalProperties: false })

export type ClientEntry = Static<typeof ClientSchema>

export interface Client {
  id: string
  apiKeySha256: Buffer
  grants: Grants
  /** A rotated-out key's last moment (ms since the epoch): refused after it, whether or not the file was reloaded. */
  expiresAt?: number
}

export class ClientsFileError extends Error {
  constructor (file: string, problem: string) {
    super(`CLIENTS_FILE ${file}: ${problem}`)
    this.name = 'ClientsFileError'
  }
}

function where (document: unknown, instancePath: string): string {
  const [, , index, ...field] = instancePath.split('/')
  if (index === undefined) return instancePath ? `field ${instancePath.slice(1)}` : 'the file'
  const id = (document as { clients?: Array<{ id?: unknown }> }).clients?.[Number(index)]?.id
  const client = typeof id === 'string' ? `client "${id}"` : `client #${Number(index) + 1}`
  return field.length > 0 ? `${client}, field ${field.join('.')}` : client
}

/** TypeBox's wording where it is too generic to act on. */
export function explainClientError (error: ValueError): string {
  if (/\/grants\/features\/\d+$/.test(error.path)) {
    return `${JSON.stringify(error.value)} is not a known feature (use "*" or one of ${KNOWN_FEATURES.join(', ')})`
  }
  if (error.path.endsWith('/apiKeySha256')) return 'must be the SHA-256 of the API key as 64 hex digits (jitsi-token-service client add prints it)'
  return error.message
}

/** Listed one per line; a file broken everywhere is not worth a thousand lines. */
const MAX_PROBLEMS = 20

export function parseClients (text: string, file: string): Client[] {
  let document: unknown
  const yaml = /\.ya?ml$/i.test(file)
  try {
    document = yaml ? parseYaml(text) : JSON.parse(text)
  } catch (error) {
    // Never the parser's message: it quotes the file, and a key pasted there by mistake would reach the logs.
    throw new ClientsFileError(file, yaml ? `cannot be parsed as YAML: ${yamlSyntaxProblem(error as Error)}` : `cannot be parsed as JSON: ${jsonSyntaxProblem(text, error as Error)}`)
  }
  const withDefaults = Value.Default(ClientsFileSchema, structuredClone(document))
  // Every problem at once, each with its place in the file (never the text there).
  const problems = [...Value.Errors(ClientsFileSchema, withDefaults)]
    // One per field: TypeBox may add "Expected array" to "Expected required property".
    .filter((error, index, all) => all.findIndex(other => other.path === error.path) === index)
    .slice(0, MAX_PROBLEMS)
    .map(error => ({ pointer: error.path, text: `${where(document, error.path)}: ${explainClientError(error)}` }))
  if (problems.length === 0) {
    const { clients } = withDefaults as Static<typeof ClientsFileSchema>
    clients.forEach((entry, index) => {
      const problem = (entry.grants.userClaims ?? []).map(customUserClaimProblem).find(Boolean)
      if (problem) problems.push({ pointer: `/clients/${index}/grants/userClaims`, text: `client "${entry.id}", field grants.userClaims: ${problem}` })
    })
  }
  if (problems.length > 0) {
    const placed = problems.map(problem => `${positionOf(text, problem.pointer)}: ${problem.text}`)
    throw new ClientsFileError(file, placed.length === 1 ? placed[0]! : `${placed.length} problems:\n  ${placed.join('\n  ')}`)
  }
  const { clients } = withDefaults as Static<typeof ClientsFileSchema>
  const ids = new Set<string>()
  const hashes = new Map<string, string>()
  return clients.map((entry): Client[] => {
    if (ids.has(entry.id)) throw new ClientsFileError(file, `client "${entry.id}" appears twice`)
    ids.add(entry.id)
    // The first match wins at authentication, so a copied hash would silently act with another client's grant.
    const hash = entry.apiKeySha256.toLowerCase()
    const owner = hashes.get(hash)
    if (owner !== undefined) throw new ClientsFileError(file, `client "${entry.id}" has the same apiKeySha256 as client "${owner}"; give each client its own key`)
    hashes.set(hash, entry.id)
    const current: Client = { id: entry.id, apiKeySha256: Buffer.from(entry.apiKeySha256, 'hex'), grants: entry.grants }
    const expiresAt = Date.parse(entry.previousKeyExpires ?? '')
    // The previous key, during its grace period only: one more entry with the same id and grant.
    if (entry.previousApiKeySha256 === undefined || !(expiresAt > Date.now())) return [current]
    return [current, { ...current, apiKeySha256: Buffer.from(entry.previousApiKeySha256, 'hex'), expiresAt }]
  }).flat()
}

export function readClientsFile (file: string): Client[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ClientsFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  return parseClients(text, file)
}
