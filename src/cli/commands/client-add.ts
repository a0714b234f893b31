/**
 * `client add`: a new random API key, shown once, and its CLIENTS_FILE entry (only the key's hash):
 * added to the file with --file, or printed to paste.
 */
import { parseArgs } from 'node:util'
import { generateApiKey, hashApiKey } from '../../clients/api-keys.js'
import { ClientSchema, explainClientError } from '../../clients/clients-file.js'
import { Value } from '@sinclair/typebox/value'
import type { Command, CommandIO } from '../command.js'
import { grantSummary } from '../../clients/grant-summary.js'
import type { Grants } from '../../clients/grants.js'
import { appendClient } from '../clients-file-append.js'

const USAGE = `Usage: jitsi-token-service client add --id ID [--file CLIENTS_FILE] [--rooms "course-*"]... [--tenants acme]...
         [--features recording,screen-sharing]... [--moderator] [--wildcard-room] [--max-ttl 7200]
Creates an API key (printed once, on stdout) and its clients-file entry, added to --file or, by default,
CLIENTS_FILE (created if missing; the other clients are kept; an existing id is refused); with neither,
the entry is printed to paste into the "clients" array. Then send SIGHUP to the service to load it.
Without --features the client's tokens keep Jitsi's own defaults for every role; --features restricts
them to the features named, and the command says what each role's tokens then turn on and off.
`

const list = (values: string[] | undefined) => (values ?? []).flatMap(value => value.split(',')).map(v => v.trim()).filter(Boolean)

export function clientAddCommand (env: Record<string, string | undefined> = process.env): Command {
  return {
    name: 'client add',
    summary: 'create an API key and add its entry to CLIENTS_FILE (or --file), or print it',
    usage: USAGE,
    run: (args, io) => add(args, io, env)
  }
}

async function add (args: string[], io: CommandIO, env: Record<string, string | undefined>): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      id: { type: 'string' },
      file: { type: 'string' },
      rooms: { type: 'string', multiple: true },
      tenants: { type: 'string', multiple: true },
      features: { type: 'string', multiple: true },
      'wildcard-room': { type: 'boolean', default: false },
      moderator: { type: 'boolean', default: false },
      'max-ttl': { type: 'string' }
    }
  })
  if (!values.id) {
    io.err.write(`--id is required\n${USAGE}`)
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
      // No --features: Jitsi's own defaults for every role; --features restricts on purpose.
      features: values.features === undefined ? ['*'] : list(values.features),
      ...(values['max-ttl'] !== undefined ? { maxTtl: Number(values['max-ttl']) } : {})
    }
  }
  const error = Value.Errors(ClientSchema, entry).First()
  if (error) {
    io.err.write(`Invalid client: ${error.path.slice(1).replace(/\//g, '.')} ${explainClientError(error)}\n`)
    return 2
  }
  // Written before the key is shown: a refused file leaves no key that works nowhere.
  const file = values.file ?? env.CLIENTS_FILE
  const count = file === undefined ? undefined : appendClient(file, entry)
  io.err.write(`API key for "${entry.id}" (shown only now; store it in the client's secret store):\n`)
  io.out.write(`${apiKey}\n`)
  io.err.write(grantSummary(entry.grants as Grants).join('\n') + '\n')
  if (count !== undefined) {
    io.err.write(`Added client "${entry.id}" to ${file} (${count} client${count === 1 ? '' : 's'}). Send SIGHUP to the service to load it ` +
      '(docker compose ... kill -s HUP token-service).\n')
    return 0
  }
  io.err.write('Add this entry to the "clients" array of your CLIENTS_FILE, then send SIGHUP (or restart) to load it:\n')
  io.out.write(JSON.stringify(entry, null, 2) + '\n')
  return 0
}

export default clientAddCommand()
