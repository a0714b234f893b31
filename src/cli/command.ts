/** The shape every CLI command has; options are parsed with node:util parseArgs. */
export interface CommandIO {
  out: { write: (text: string) => unknown }
  err: { write: (text: string) => unknown }
}

export interface Command {
  /** One or two words, e.g. "client add". */
  name: string
  summary: string
  /** What `<command> --help` prints: the options, ending with a newline. */
  usage: string
  /** Returns the exit code. */
  run: (args: string[], io: CommandIO) => Promise<number>
}
