#!/usr/bin/env node
/**
 * jitsi-token-service CLI: `jitsi-token-service <command> [options]`. Each command lives in
 * commands/<name>.ts and exports a `Command`; this file only dispatches.
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Command, CommandIO } from './command.js'
import clientAdd from './commands/client-add.js'
import { clientCommands } from './commands/client-manage.js'
import keysGenerate from './commands/keys-generate.js'
import { keysRotationCommands } from './commands/keys-rotate.js'
import doctor from './commands/doctor.js'
import issue from './commands/issue.js'
import check from './commands/check.js'
import init from './commands/init.js'

export const COMMANDS: Command[] = [clientAdd, ...clientCommands(), keysGenerate, ...keysRotationCommands(), init, doctor, issue, check]

export function usage (): string {
  return ['Usage: jitsi-token-service <command> [options]', '', 'Commands:',
    ...COMMANDS.map(command => `  ${command.name.padEnd(16)} ${command.summary}`), '',
    '<command> --help shows its options. In docker: docker compose ... run --rm token-service-cli <command> (docs/cli.md).'].join('\n')
}

const HELP = ['--help', '-h']

export async function run (argv: string[], io: CommandIO = { out: process.stdout, err: process.stderr }): Promise<number> {
  const command = COMMANDS.find(candidate => {
    const words = candidate.name.split(' ')
    return words.every((word, index) => argv[index] === word)
  })
  if (!command) {
    if (argv.length === 0 || HELP.includes(argv[0]!)) {
      io.out.write(usage() + '\n')
      return 0
    }
    const words = argv.slice(0, 2).filter(word => !word.startsWith('-'))
    io.err.write(`jitsi-token-service: unknown command "${words.join(' ')}"\n\n${usage()}\n`)
    return 2
  }
  const args = argv.slice(command.name.split(' ').length)
  if (args.some(arg => HELP.includes(arg))) {
    io.out.write(command.usage)
    return 0
  }
  try {
    return await command.run(args, io)
  } catch (error) {
    io.err.write(`jitsi-token-service ${command.name}: ${(error as Error).message}\n`)
    return 2
  }
}

/* c8 ignore next 3 */
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await run(process.argv.slice(2))
}
