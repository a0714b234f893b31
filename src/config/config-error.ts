/** One thing wrong with the configuration, naming the variable to fix. */
export interface ConfigProblem { variable: string, problem: string }

/**
 * The configuration problems that stop start-up: every one found in this run, the first also as
 * `variable`. The message lists them all, each starting with its variable.
 */
export class ConfigError extends Error {
  readonly variable: string
  readonly problems: ConfigProblem[]

  constructor (variable: string, problem: string, others: ConfigProblem[] = []) {
    const problems = [{ variable, problem }, ...others]
    super(problems.map(found => `${found.variable} ${found.problem}`).join('; '))
    this.name = 'ConfigError'
    this.variable = variable
    this.problems = problems
  }
}

/** The lines to print for an error from loadConfig: one per problem (anything else: its message). */
export function problemLines (error: unknown): string[] {
  return error instanceof ConfigError ? error.problems.map(({ variable, problem }) => `${variable} ${problem}`) : [String((error as Error).message)]
}
