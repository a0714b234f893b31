/**
 * `client add --file`: the new entry appended to the clients file, keeping everything else (YAML
 * comments too), written aside and renamed so that the service never reads half a file. The file
 * must be valid before and after; an id already there is refused.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { parseDocument } from 'yaml'
import { ClientsFileError, parseClients } from '../clients/clients-file.js'

function readExisting (file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    throw new ClientsFileError(file, `cannot be read (${code})`)
  }
}

function appended (text: string | undefined, entry: object, yaml: boolean): string {
  if (yaml) {
    const document = parseDocument(text ?? 'clients: []\n')
    document.addIn(['clients'], document.createNode(entry))
    return String(document)
  }
  const document = JSON.parse(text ?? '{"clients": []}') as { clients: object[] }
  document.clients.push(entry)
  return JSON.stringify(document, null, 2) + '\n'
}

/** Returns how many clients the file now has. */
export function appendClient (file: string, entry: { id: string }): number {
  const text = readExisting(file)
  if (text !== undefined && parseClients(text, file).some(client => client.id === entry.id)) {
    throw new ClientsFileError(file, `already has a client "${entry.id}"; choose another --id`)
  }
  const updated = appended(text, entry, /\.ya?ml$/i.test(file))
  const count = new Set(parseClients(updated, file).map(client => client.id)).size
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`)
  writeFileSync(temp, updated, { mode: text === undefined ? 0o644 : statSync(file).mode & 0o777 })
  renameSync(temp, file)
  return count
}
