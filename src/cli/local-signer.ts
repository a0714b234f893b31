/**
 * Signs claims with this deployment's own secret (HS*) or active key (RS*), for the CLI commands that
 * mint without the HTTP API (`issue`, `check`). Whoever can read the secret can mint anyway.
 */
import { createHmac } from 'node:crypto'
import type { Config } from '../config.js'
import { isHmacAlgorithm } from '../jitsi/algorithms.js'
import type { JitsiClaims } from '../jitsi/claims.js'
import { signJwt } from '../keys/rs-sign.js'

/** Without these a token is signed or issued for a deployment that does not exist. */
export const SIGNING_VARIABLES = ['JWT_APP_ID', 'JWT_APP_SECRET', 'JWT_PRIVATE_KEY_FILE']

/** The variables still on a random development value: a token signed with them is accepted by no Prosody. */
export function unsetSigningVariables (config: Config): string[] {
  return SIGNING_VARIABLES.filter(variable => config.developmentDefaults.includes(variable))
}

function signHmac (claims: JitsiClaims, config: Config): string {
  const input = [{ alg: config.jwt.algorithm, typ: 'JWT' }, claims].map(part => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.')
  const hash = `sha${config.jwt.algorithm.slice(2)}`
  return `${input}.${createHmac(hash, config.jwt.secret!).update(input).digest('base64url')}`
}

/** Throws when no key can sign (the message says why). */
export async function signLocally (claims: JitsiClaims, config: Config): Promise<string> {
  if (isHmacAlgorithm(config.jwt.algorithm)) return signHmac(claims, config)
  const keys = config.jwt.keys!.initial
  if (!keys.active) throw new Error(`no key can sign ${config.jwt.algorithm} tokens: ${keys.problem}`)
  return signJwt(claims, keys.active)
}
