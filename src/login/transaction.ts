/**
 * The login transaction: what /login/callback needs to finish a login (our PKCE verifier and nonce
 * for the IdP, the parsed Jitsi state, inline or not), kept in an encrypted cookie instead of server
 * memory, so any replica can finish it. Its id is the `state` sent to the IdP and part of the cookie
 * name: two tabs logging in at once do not overwrite each other, and the callback finds its own.
 */
import { randomBytes } from 'node:crypto'
import type { JWTPayload } from 'jose'
import type { JitsiLoginState } from './jitsi-state.js'
import { sealer } from './sealed.js'

export type LoginTransaction = {
  id: string
  verifier: string
  nonce: string
} & (
  | { jitsi: Omit<JitsiLoginState, 'refreshToken'>, inline: boolean, console?: undefined }
  /** Signing in to the console (/meetings), not to a meeting. */
  | { console: true, jitsi?: undefined, inline?: undefined }
)

/** Long enough to type a password and answer a second factor; a stolen cookie is useless after it. */
export const TRANSACTION_TTL = 600
const ID = /^[A-Za-z0-9_-]{22}$/
/**
 * Browsers drop a cookie over 4096 bytes (name, value and attributes together). The sealed value is
 * ASCII (base64url), but the settings inside may be UTF-8 that encryption and base64 triple in size.
 */
export const MAX_TRANSACTION_COOKIE = 3800

export const transactionCookie = (id: string) => `jts_login_${id}`
const TRANSACTION_COOKIE = /^jts_login_[A-Za-z0-9_-]{22}$/
/**
 * Transactions a browser may hold at once: each is up to ~3.8 KB, and a page that navigates a popup
 * to /login again and again would otherwise make the Cookie header too large (431) for every login.
 */
export const KEPT_TRANSACTIONS = 2
export const newTransactionId = () => randomBytes(16).toString('base64url')

export function transactionStore (secret: string) {
  const sealed = sealer(secret, 'login-transaction')
  return {
    // startedAt (ms): iat has whole seconds, and a page can start many logins in one.
    seal: (transaction: LoginTransaction) => sealed.seal({ ...transaction, startedAt: Date.now() } as unknown as JWTPayload, TRANSACTION_TTL),
    /**
     * The transaction cookies to expire before a new login adds one: all but the newest KEPT_TRANSACTIONS − 1
     * that still open (a concurrent tab's login survives), and every one that does not open at all.
     */
    async stale (cookies: Record<string, string | undefined>): Promise<string[]> {
      const held = await Promise.all(Object.entries(cookies)
        .filter(([name]) => TRANSACTION_COOKIE.test(name))
        .map(async ([name, value]) => ({ name, startedAt: (await sealed.open(String(value)))?.startedAt as number | undefined })))
      const live = held.filter(cookie => cookie.startedAt !== undefined).sort((a, b) => b.startedAt! - a.startedAt!)
      const kept = new Set(live.slice(0, KEPT_TRANSACTIONS - 1).map(cookie => cookie.name))
      return held.map(cookie => cookie.name).filter(name => !kept.has(name))
    },
    /** The transaction whose id the IdP sent back as `state`, or undefined (unknown, forged, expired, another login's). */
    async open (id: unknown, cookies: Record<string, string | undefined>): Promise<LoginTransaction | undefined> {
      if (typeof id !== 'string' || !ID.test(id)) return undefined
      const cookie = cookies[transactionCookie(id)]
      const payload = cookie === undefined ? undefined : await sealed.open(cookie)
      // The id inside must match too: a cookie renamed to another login's name does not finish that login.
      return payload?.id === id ? payload as unknown as LoginTransaction : undefined
    }
  }
}
