/**
 * `client add`: a new random API key, shown once, and the CLIENTS_FILE entry (with only its hash) to paste.
 */
import { parseArgs } from 'node:util'
import { generateApiKey, hashApiKey } from '../../clients/api-keys.js'
import { ClientSchema, explainClientError } from '../../clients/clients-file.js'
import { Value } from '@sinclair/typebox/value'
import type { Command } from '../command.js'

const list = (values: string[] | undefined) => (values ?? []).flatMap(value => value.split(',')).map(v => v.trim()).filter(Boolean)

const clientAdd: Command = {
  name: 'client add',
  summary: 'create an API key and print the clients-file entry for it',
  async run (args, io) {
    const { values } = parseArgs({
      args,
      options: {
        id: { type: 'string' },
        rooms: { type: 'string', multiple: true },
        tenants: { type: 'string', multiple: true },
        features: { type: 'string', multiple: true },
        'wildcard-room': { type: 'boolean', default: false },
        moderator: { type: 'boolean', default: false },
        'max-ttl': { type: 'string' }
      }
    })
    if (!values.id) {
      io.err.write('Usage: jitsi-token-service client add --id ID [--rooms "course-*"] [--tenants acme] [--features recording,screen-sharing] [--moderator] [--wildcard-room] [--max-ttl 7200]\n')
      return 2
    }
    const apiKey = generateApiKey()
    const tenants = list(values.tenants)
    const entry = {
      id: values.id,
      apiKeySha256: hashApiKey(apiKey).toString('hex'),
      grants: {
        rooms: list(values.rooms),
        wildcardRoom: values['wildcard-room'],
        ...(tenants.length > 0 ? { tenants } : {}),
        moderator: values.moderator,
        features: list(values.features),
        ...(values['max-ttl'] !== undefined ? { maxTtl: Number(values['max-ttl']) } : {})
      }
    }
    const error = Value.Errors(ClientSchema, entry).First()
    if (error) {
      io.err.write(`Invalid client: ${error.path.slice(1).replace(/\//g, '.')} ${explainClientError(error)}\n`)
      return 2
    }
    io.err.write(`API key for "${entry.id}" (shown only now; store it in the client's secret store):\n`)
    io.out.write(`${apiKey}\n`)
    io.err.write('Add this entry to the "clients" array of your CLIENTS_FILE, then send SIGHUP (or restart) to load it:\n')
    io.out.write(JSON.stringify(entry, null, 2) + '\n')
    return 0
  }
}

export default clientAdd
