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

/** A mistake in how a command was called: exit status 2, with the command's usage. */
export class UsageError extends Error {}

/**
 * Runs a command's body: a UsageError (or a parseArgs error) prints the reason and the usage and exits 2;
 * `expected` turns a command's own expected failures into an exit status (with its one-line reason);
 * anything else is a bug and reaches main.
 */
export async function withUsageErrors (name: string, usage: string, io: CommandIO, body: () => Promise<number>,
  expected: (error: unknown) => number | undefined = () => undefined): Promise<number> {
  try {
    return await body()
  } catch (error) {
    const status = expected(error)
    if (status !== undefined) {
      io.err.write(`jitsi-token-service ${name}: ${(error as Error).message}\n`)
      return status
    }
    if (!(error instanceof UsageError) && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') !== true) throw error
    io.err.write(`jitsi-token-service ${name}: ${(error as Error).message}\n${usage}`)
    return 2
  }
}
