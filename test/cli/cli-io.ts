/** Captures what a CLI command writes, and the environment of a configured deployment. */
import { randomBytes } from 'node:crypto'
import type { CommandIO } from '../../src/cli/command.js'

export interface CapturedIO extends CommandIO {
  stdout: () => string
  stderr: () => string
}

export function captureIO (): CapturedIO {
  let out = ''
  let err = ''
  return {
    out: { write: (text: string) => { out += text } },
    err: { write: (text: string) => { err += text } },
    stdout: () => out,
    stderr: () => err
  }
}

export const CLI_SECRET = randomBytes(32).toString('hex')

/** What an operator's .env shared with docker-jitsi-meet holds. */
export const CLI_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  JWT_APP_ID: 'my_app',
  JWT_APP_SECRET: CLI_SECRET,
  PUBLIC_URL: 'https://meet.example.org'
}
