/** Shared by the login tests: the app configured for a test IdP, and a login driven without a browser. */
import type { FastifyInstance } from 'fastify'
import { APP_ID, SECRET, testConfig } from '../helper.js'
import { CLIENT_ID, CLIENT_SECRET, CookieJar, loginAtIdp, MODERATORS, type TestIdp } from '../support/oidc-idp.js'
import type { ProsodySettings } from '../support/prosody-verifier.js'

export const LOGIN_BASE = 'https://meet.example.org/token-service'
export const LOGIN_SECRET = 'a-login-secret-for-tests-only-0123456789abcdef'
export const PROSODY: ProsodySettings = { appId: APP_ID, appSecret: SECRET, signatureAlgorithm: 'HS256', enableDomainVerification: true, xmppDomain: 'meet.jitsi' }

export function loginConfig (idp: TestIdp, env: Record<string, string> = {}) {
  return testConfig({
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_MODERATOR_CLAIM: 'groups',
    OIDC_MODERATOR_VALUES: MODERATORS,
    LOGIN_BASE_URL: LOGIN_BASE,
    LOGIN_SECRET,
    ...env
  })
}

/** The `{state}` Jitsi's web client sends for `room` (as in the URL) on `tenant`. */
export function jitsiState (room: string, tenant?: string, extra: Record<string, unknown> = {}) {
  const roomSafe = encodeURIComponent(decodeURIComponent(room).normalize('NFKC').toLowerCase()).toLowerCase()
  return JSON.stringify({ room, roomSafe, tenant, 'config.prejoinConfig.enabled': false, ...extra })
}

export const loginUrl = (state: string, extra = '') => `/login?state=${encodeURIComponent(state)}&code_challenge=abc&code_challenge_method=S256${extra}`

export interface Started {
  status: number
  location?: string
  /** The transaction cookie(s) /login set, name → value. */
  cookies: Record<string, string>
  body: string
  headers: Record<string, unknown>
}

export async function startLogin (app: FastifyInstance, url: string): Promise<Started> {
  const res = await app.inject({ method: 'GET', url })
  const cookies: Record<string, string> = {}
  for (const cookie of res.cookies) cookies[cookie.name] = cookie.value
  return { status: res.statusCode, location: res.headers.location as string | undefined, cookies, body: res.body, headers: res.headers }
}

/** /login, the IdP's login form as `account`, then /login/callback with the cookie: the final answer. */
export async function fullLogin (app: FastifyInstance, url: string, account = 'alice', jar = new CookieJar()) {
  const started = await startLogin(app, url)
  if (started.status !== 302) throw new Error(`/login answered ${started.status}: ${started.body}`)
  const callback = new URL(await loginAtIdp(started.location!, account, jar))
  const res = await app.inject({ method: 'GET', url: `/login/callback${callback.search}`, cookies: started.cookies })
  return { res, callback, started }
}

/** The message a page posts and the origin it posts to. */
export function postedMessage (html: string): { message: Record<string, any>, targetOrigin: string } {
  const match = /postMessage\((\{.*\}),("[^"]*")\)\}\)\(\)<\/script>/.exec(html)
  if (!match) throw new Error(`no postMessage in ${html}`)
  return { message: JSON.parse(match[1]!), targetOrigin: JSON.parse(match[2]!) }
}
