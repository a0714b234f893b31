/**
 * Edits a docker-jitsi-meet `.env` the way a careful person would: values read as Compose reads them
 * (node:util parseEnv), an existing line changed in place (the last one, which Compose uses), new lines
 * appended under one heading, every other line and comment kept byte for byte.
 */
import { parseEnv } from 'node:util'

export type EnvValues = Record<string, string>

export function readEnvValues (text: string): EnvValues {
  return parseEnv(text) as EnvValues
}

export interface EnvChange {
  name: string
  /** Undefined: the variable was not set. */
  before?: string
  after: string
  /** Why init sets it, for the plan. */
  why: string
  /** The plan shows this instead of the value (secrets). */
  shownAs?: string
}

const HEADING = '# jitsi-token-service (written by `jitsi-token-service init`)'

const lineOf = (name: string) => new RegExp(`^[ \\t]*(?:export[ \\t]+)?${name}[ \\t]*=.*$`, 'gm')

/** Applies the changes; returns the new text (the same text when there are none). */
export function applyEnvChanges (text: string, changes: readonly EnvChange[]): string {
  let result = text
  const added: string[] = []
  for (const change of changes) {
    const line = `${change.name}=${change.after}`
    const matches = [...result.matchAll(lineOf(change.name))]
    const last = matches.at(-1)
    if (last === undefined) {
      added.push(line)
    } else {
      result = result.slice(0, last.index) + line + result.slice(last.index + last[0].length)
    }
  }
  if (added.length === 0) return result
  const separator = result === '' || result.endsWith('\n') ? '' : '\n'
  const heading = result.includes(HEADING) ? [] : ['', HEADING]
  return `${result}${separator}${[...heading, ...added].join('\n')}\n`
}
