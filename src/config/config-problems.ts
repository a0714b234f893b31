/**
 * Collects the configuration problems of one run, so that the operator sees them all at once
 * instead of one per restart. Validators keep throwing ConfigError; `check` records what they throw
 * and carries on with a fallback. One problem per variable: the first found explains it best.
 */
import { ConfigError, type ConfigProblem } from './config-error.js'

export class ConfigProblems {
  readonly found: ConfigProblem[] = []

  /** A problem with NAME_FILE also covers NAME: its value could not be known. */
  has (variable: string): boolean {
    return this.found.some(({ variable: known }) => known === variable || known === `${variable}_FILE`)
  }

  add (variable: string, problem: string): void {
    if (!this.has(variable)) this.found.push({ variable, problem })
  }

  /** Runs one validator; a ConfigError it throws is recorded and `fallback` is returned instead. */
  check<T> (validate: () => T, fallback: T): T {
    try {
      return validate()
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      for (const { variable, problem } of error.problems) this.add(variable, problem)
      return fallback
    }
  }

  /** Throws one ConfigError listing every problem, when there is any. */
  throwIfAny (): void {
    const [first, ...others] = this.found
    if (first) throw new ConfigError(first.variable, first.problem, others)
  }
}
