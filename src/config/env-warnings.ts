/**
 * Variables that are not ours but were meant to be: a name from another token service's docs
 * (JWT_SECRET), a near-miss spelling (CLIENT_FILE), and a NODE_ENV that runs production rules under
 * another name. Warnings, not errors: the variable may belong to something else in the same `.env`.
 */
import { editDistance } from '../text/edit-distance.js'

/** Names people bring from elsewhere, and ours that mean the same. */
const MEANT: Record<string, string> = {
  JWT_SECRET: 'JWT_APP_SECRET',
  APP_SECRET: 'JWT_APP_SECRET',
  JITSI_APP_SECRET: 'JWT_APP_SECRET',
  APP_ID: 'JWT_APP_ID',
  JITSI_APP_ID: 'JWT_APP_ID',
  JITSI_URL: 'PUBLIC_URL',
  JITSI_DOMAIN: 'PUBLIC_URL',
  BASE_URL: 'PUBLIC_URL',
  JWT_ALGORITHM: 'JWT_SIGN_TYPE',
  JWT_EXPIRES_IN: 'JWT_TTL',
  CLIENTS: 'CLIENTS_FILE'
}

/** `ours`: every variable the configuration schema reads (with each secret's _FILE form). */
export function envWarnings (env: Record<string, string | undefined>, ours: readonly string[], nonProductionEnvs: readonly string[]): string[] {
  const warnings: string[] = []
  for (const name of Object.keys(env)) {
    if (ours.includes(name) || env[name] === undefined) continue
    // Near misses only for names long enough that two edits are a typo, not another word.
    const meant = MEANT[name] ?? (name.length >= 8 ? ours.find(candidate => editDistance(name, candidate) <= 2) : undefined)
    if (meant !== undefined) warnings.push(`${name} is not read by this service; did you mean ${meant}? (docs/configuration.md)`)
  }
  const nodeEnv = env.NODE_ENV
  if (nodeEnv !== undefined && nodeEnv !== 'production' && !nonProductionEnvs.includes(nodeEnv)) {
    warnings.push(`NODE_ENV=${nodeEnv} is treated as production: only "development" and "test" get development rules, so that a typo never brings development defaults (a printed API key with every grant) to a real deployment`)
  }
  return warnings
}
