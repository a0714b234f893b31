/**
 * The console's signed-in session (/meetings): the person the identity provider named, sealed like the
 * login's transaction (encrypted, expiring, a key of its own derived from LOGIN_SECRET) in an HttpOnly
 * cookie. Eight hours, then the person signs in again.
 */
import type { JWTPayload } from 'jose'
import type { IdpIdentity } from '../oidc/identity.js'
import { sealer } from '../login/sealed.js'

export const CONSOLE_SESSION_COOKIE = 'jts_console'
export const CONSOLE_SESSION_TTL = 8 * 3600

export function consoleSessions (secret: string) {
  const sealed = sealer(secret, 'console-session')
  return {
    seal: (identity: IdpIdentity) => sealed.seal({ identity } as unknown as JWTPayload, CONSOLE_SESSION_TTL),
    async open (cookie: string | undefined): Promise<IdpIdentity | undefined> {
      if (cookie === undefined) return undefined
      const payload = await sealed.open(cookie)
      return payload?.identity as IdpIdentity | undefined
    }
  }
}

export type ConsoleSessions = ReturnType<typeof consoleSessions>
