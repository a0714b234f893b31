/**
 * The keys in use, swapped whole on reload (SIGHUP) so requests never see half a rotation.
 * A reload that would leave nothing to sign with, or give an old kid a new key, is refused and
 * the current keys stay: Prosody caches a kid's key for ever (docs/jitsi.md §1.2).
 */
import type { KeySet } from './key-set.js'

export interface KeySummary {
  activeKid?: string
  kids: string[]
}

export function summary (set: KeySet): KeySummary {
  return { activeKid: set.active?.kid, kids: set.published.map(key => key.kid) }
}

/** Why `next` must not replace `current`, or undefined when it may. */
export function replacementProblem (current: KeySet, next: KeySet): string | undefined {
  if (next.problem && current.active) return next.problem
  for (const key of next.published) {
    const before = current.byPathId.get(key.pathId)
    if (before && before.publicPem !== key.publicPem) {
      return `kid "${key.kid}" now holds a different key; Prosody caches keys by kid for ever, so a new key needs a new kid`
    }
  }
  return undefined
}

export class KeyRing {
  #current: KeySet

  constructor (private readonly load: (() => KeySet) | undefined, initial: KeySet) {
    this.#current = initial
  }

  get current (): KeySet {
    return this.#current
  }

  /** Reads the keys again; throws (keeping the current keys) when the new ones are unusable. */
  reload (): KeySummary {
    if (this.load) {
      const next = this.load()
      const problem = replacementProblem(this.#current, next)
      if (problem) throw new Error(`${problem}; keeping the keys already loaded`)
      this.#current = next
    }
    return summary(this.#current)
  }
}
