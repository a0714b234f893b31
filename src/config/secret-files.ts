/** `NAME_FILE` support: a secret's value read from a file, as Docker and Kubernetes mount them. */
import { readFileSync } from 'node:fs'
import { ConfigError } from './config-error.js'
import type { ConfigProblems } from './config-problems.js'

/** With `problems`, a bad NAME_FILE is recorded there and the others are still read; without, it throws. */
export function resolveSecretFiles (env: Record<string, string | undefined>, names: readonly string[], problems?: ConfigProblems): Record<string, string | undefined> {
  const resolved = { ...env }
  for (const name of names) {
    const file = env[`${name}_FILE`]
    if (file === undefined || file === '') continue
    delete resolved[`${name}_FILE`]
    const read = () => {
      if (env[name] !== undefined && env[name] !== '') {
        throw new ConfigError(`${name}_FILE`, `is set together with ${name}; set only one of them`)
      }
      try {
        // Secret files usually end with a newline that is not part of the secret.
        resolved[name] = readFileSync(file, 'utf8').replace(/\r?\n$/, '')
      } catch (error) {
        throw new ConfigError(`${name}_FILE`, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}: ${file})`)
      }
    }
    if (problems) problems.check(read, undefined)
    else read()
  }
  return resolved
}
