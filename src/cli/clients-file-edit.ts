/**
 * `client remove` and `client rotate-key`: one entry of the clients file changed in place, everything
 * else kept (YAML comments and layout too), written aside and renamed so the service never reads half a
 * file, and checked by the service's own parser before and after.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { parseDocument } from 'yaml'
import { ClientsFileError, parseClients } from '../clients/clients-file.js'

export type EntryEdit = { remove: true } | { set: Record<string, string | undefined> }

function edited (text: string, index: number, edit: EntryEdit, yaml: boolean): string {
  if (yaml) {
    const document = parseDocument(text)
    if ('remove' in edit) document.deleteIn(['clients', index])
    else for (const [field, value] of Object.entries(edit.set)) value === undefined ? document.deleteIn(['clients', index, field]) : document.setIn(['clients', index, field], value)
    return String(document)
  }
  const document = JSON.parse(text) as { clients: Array<Record<string, unknown>> }
  if ('remove' in edit) document.clients.splice(index, 1)
  else for (const [field, value] of Object.entries(edit.set)) document.clients[index]![field] = value
  return JSON.stringify(document, null, 2) + '\n'
}

/** Applies `edit` to client `id`; returns how many clients the file then has. */
export function editClient (file: string, id: string, edit: EntryEdit): number {
  const text = readFileSync(file, 'utf8')
  const yaml = /\.ya?ml$/i.test(file)
  parseClients(text, file)
  const raw = (yaml ? parseDocument(text).toJS() : JSON.parse(text)) as { clients: Array<{ id: string }> }
  const index = raw.clients.findIndex(client => client.id === id)
  if (index === -1) throw new ClientsFileError(file, `has no client "${id}" (client list shows them)`)
  const updated = edited(text, index, edit, yaml)
  const count = new Set(parseClients(updated, file).map(client => client.id)).size
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`)
  writeFileSync(temp, updated, { mode: statSync(file).mode & 0o777 })
  renameSync(temp, file)
  return count
}
