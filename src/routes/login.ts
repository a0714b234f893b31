/**
 * Jitsi's tokenAuthUrl login (docs/login.md; docs/jitsi.md §11): GET /login sends the person to the
 * IdP, GET /login/callback mints their token and returns them to the meeting, GET /logout ends the
 * IdP session. Registered only with OIDC_CLIENT_ID; loaded lazily, so openid-client costs nothing
 * otherwise. Every answer is a page (or postMessage to Jitsi), never a redirect with a broken token.
 */
import cookie from '@fastify/cookie'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { ProblemError } from '../problems.js'
import { idpIdentity, type IdpIdentity } from '../oidc/identity.js'
import { roomClaim, tenantClaim } from '../jitsi/room-name.js'
import { checkQuery } from '../plugins/error-handler.js'
import { oidcCallers } from '../plugins/oidc-auth.js'
import { idpClient, IdpRefused, newNonce, newVerifier } from '../login/idp-client.js'
import { parseJitsiState, type JitsiLoginState, type StateError } from '../login/jitsi-state.js'
import { LoginRefusal, loginTokenIssuer } from '../login/login-token.js'
import { messagePage, postMessagePage, type MessageOptions, type Page } from '../login/pages.js'
import { appLink } from '../login/platform-return.js'
import { chainPerson, chainToken, REFRESH_TTL, refreshTokens } from '../login/refresh-token.js'
import { refreshChains } from '../login/refresh-chains.js'
import { CONSOLE_SESSION_COOKIE, CONSOLE_SESSION_TTL, consoleSessions } from '../console/console-session.js'
import meetings from './meetings.js'
import { MAX_TRANSACTION_COOKIE, newTransactionId, TRANSACTION_TTL, transactionCookie, transactionStore, type LoginTransaction } from '../login/transaction.js'

const text = (value: unknown) => typeof value === 'string' && value !== '' ? value : undefined

/** Logins per client address per RATE_LIMIT_WINDOW: a person needs a few; an office behind one NAT, some more. */
export const LOGIN_RATE_LIMIT = 60

interface Failure {
  status: number
  reason: string
  title: string
  text: string
  details?: string[]
  /** The audit line's offending fields. */
  fields?: string[]
}

const login: FastifyPluginAsync<{ config: Config }> = async (fastify, opts) => {
  const { config } = opts
  const settings = config.login!
  // OIDC_CLIENT_ID cannot be set without OIDC_ISSUER (config/login-config.ts).
  const oidc = config.oidc!
  await fastify.register(cookie)

  const idp = idpClient(oidc.issuer, settings, oidc.jwksCooldown)
  const transactions = transactionStore(settings.secret)
  const refreshes = refreshTokens(settings.secret)
  const chains = refreshChains(fastify.rateLimitStore.redis)
  const tokens = loginTokenIssuer(fastify, config)
  const callerFor = oidcCallers(oidc)
  const jitsiOrigin = new URL(config.publicUrl).origin
  const cookiePath = `${new URL(settings.baseUrl).pathname.replace(/\/$/, '')}/login`
  const sessions = consoleSessions(settings.secret)
  const consolePath = `${new URL(settings.baseUrl).pathname.replace(/\/$/, '')}/meetings`
  await fastify.register(meetings, { config, idp, transactions, sessions, callerFor, transactionPath: cookiePath, consolePath, rateLimit: { max: Math.min(config.rateLimit.max, LOGIN_RATE_LIMIT) } })
  const loggedOut: MessageOptions = { title: 'Logged out', text: 'You are logged out.', link: { href: config.publicUrl, label: 'Back to Jitsi Meet' } }

  // Jitsi's login popup must keep its opener through every hop (our redirects, the IdP, our page):
  // helmet's Cross-Origin-Opener-Policy on any of them would cut it off (docs/jitsi.md §11.6).
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.removeHeader('cross-origin-opener-policy')
    done()
  })

  // Per client address (request.ip, behind TRUST_PROXY), shared through Redis like POST /tokens' limit.
  const rateLimit = { max: Math.min(config.rateLimit.max, LOGIN_RATE_LIMIT) }
  // After the rate limit (route-level onRequest), so malformed requests spend the same budget.
  fastify.addHook('preValidation', async (request) => checkQuery(request))

  /** Only the logout pages may be framed, and only by the Jitsi origin (its hidden logout iframe). */
  function sendPage (reply: FastifyReply, page: Page, framable = false) {
    if (framable) reply.removeHeader('x-frame-options')
    return reply.code(page.status).headers({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': `default-src 'none'; style-src 'nonce-${page.nonce}'; script-src 'nonce-${page.nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors ${framable ? jitsiOrigin : "'none'"}`
    }).send(page.html)
  }

  function fail (request: FastifyRequest, reply: FastifyReply, inline: boolean, failure: Failure) {
    request.refusal = { status: failure.status, reason: failure.reason, fields: failure.fields }
    const options = { title: failure.title, text: failure.text, details: failure.details }
    // The popup's opener shows "Login failed"; the page itself still says why.
    return sendPage(reply, inline
      ? postMessagePage(failure.status, { type: 'oauth-error', error: failure.text }, jitsiOrigin, options)
      : messagePage(failure.status, options))
  }

  function refuse (request: FastifyRequest, reply: FastifyReply, inline: boolean, refusal: LoginRefusal) {
    const outside = refusal.reason === 'outside_grant'
    return fail(request, reply, inline, {
      fields: refusal.problems.map(problem => problem.path),
      status: outside ? 403 : 400,
      reason: refusal.reason,
      title: 'No token for this meeting',
      text: outside
        ? 'Your account may not join this meeting with a token. Ask the organiser, or join as a guest.'
        : 'The meeting link cannot get a token.',
      details: refusal.problems.map(problem => `${problem.path}: ${problem.message}`)
    })
  }

  const unavailable = (request: FastifyRequest, reply: FastifyReply, inline: boolean, error: unknown) => {
    request.log.warn({ requestId: request.id, err: error, event: 'login.idp_unavailable' }, 'identity provider unavailable')
    return fail(request, reply, inline, { status: 503, reason: 'idp_unavailable', title: 'Login unavailable', text: 'The identity provider cannot be reached right now. Try again in a minute.' })
  }

  /** The requests answering an inline popup, so that an error still reaches the opener. */
  const inlineRequests = new WeakSet<FastifyRequest>()

  // Whatever throws on these routes (e.g. the signer's 503 no_signing_key or signing_unavailable)
  // becomes a readable page, never the API's JSON. The cause stays in the log.
  fastify.setErrorHandler((error: Partial<ProblemError>, request, reply) => {
    if (error.statusCode === 429) {
      // The rate limiter (before the handler) has set Retry-After; only /login's nonce says "inline" yet.
      const inline = request.routeOptions.url === '/login' && text((request.query as Record<string, unknown>).nonce) !== undefined
      return fail(request, reply, inline, { status: 429, reason: 'rate_limited', title: 'Too many logins', text: 'Too many logins from this address. Wait a minute and try again.' })
    }
    // The client's own mistake (a malformed URL): its status and a page, no error log, no stack.
    if (error instanceof ProblemError && error.statusCode < 500) {
      request.log.info({ requestId: request.id, event: 'login.bad_request', reason: error.reason }, 'malformed login request')
      return fail(request, reply, false, { status: error.statusCode, reason: error.reason, title: 'Login failed', text: 'The login link is malformed. Go back to the meeting and try again.' })
    }
    request.log.error({ requestId: request.id, err: error, event: 'login.unavailable' }, 'no token could be made for this login')
    if (error.headers) reply.headers(error.headers)
    return fail(request, reply, inlineRequests.has(request), { status: 503, reason: error.reason ?? 'internal_error', title: 'Login unavailable', text: 'No token can be made right now. Try again in a minute.' })
  })

  /** The token for `identity` in the state's room, delivered as the platform expects it (§11.5, §11.6, §11.11). */
  async function deliver (request: FastifyRequest, reply: FastifyReply, via: 'login' | 'refresh', identity: IdpIdentity,
    jitsi: Omit<JitsiLoginState, 'refreshToken'>, inline: boolean, extras: { idToken?: string, refreshToken: () => Promise<string | undefined> }) {
    const caller = callerFor(identity)
    request.caller = caller
    if (inline) inlineRequests.add(request)
    const issued = await tokens.issue(caller, jitsi)
    if (issued instanceof LoginRefusal) return refuse(request, reply, inline, issued)
    request.issued = { claims: issued.claims, algorithm: fastify.signer.algorithm, kid: fastify.signer.kid, tenant: jitsi.tenant, via }
    // The issuer builds the link from PUBLIC_URL; a room always has one.
    const url = issued.url!
    if (inline) {
      const message = { type: 'oauth-success', accessToken: issued.token, idToken: extras.idToken, refreshToken: await extras.refreshToken() }
      return sendPage(reply, postMessagePage(200, message, jitsiOrigin, { title: 'Logged in', text: 'You can close this window.' }))
    }
    if (jitsi.platform === 'web') return reply.header('cache-control', 'no-store').redirect(url)
    return sendPage(reply, messagePage(200, {
      title: 'Logged in',
      text: 'Go back to the Jitsi app to join the meeting.',
      link: { href: appLink(url, jitsi.platform), label: 'Open the meeting in the app' }
    }))
  }

  /**
   * A silent refresh with our refresh token: false means "log in at the IdP instead" (expired,
   * damaged, or the IdP no longer lets the person in).
   */
  async function refresh (request: FastifyRequest, reply: FastifyReply, jitsi: JitsiLoginState, inline: boolean): Promise<boolean> {
    const grant = await refreshes.open(jitsi.refreshToken!)
    if (!grant) return false
    // Compared as emitted: `Team-A` and `team-a` are one room for Prosody, so one refresh token's.
    const tenantOf = (tenant?: string) => tenant === undefined ? undefined : tenantClaim(tenant)
    if (roomClaim(grant.room) !== roomClaim(jitsi.room) || tenantOf(grant.tenant) !== tenantOf(jitsi.tenant)) {
      await fail(request, reply, inline, { status: 403, reason: 'refresh_mismatch', title: 'No token for this meeting', text: 'The refresh token was issued for another meeting. Log in again.' })
      return true
    }
    let { identity, idpRefreshToken } = grant
    const refused = (reason: string) => {
      request.log.info({ event: 'login.refresh_refused', requestId: request.id, client: `oidc:${identity.id}`, reason }, 'refresh refused; asking the person to log in')
      return false
    }
    // Rotation: only the chain's current token refreshes; an older one revokes the whole chain.
    const use = await chains.use(chainToken(grant))
    if (use !== 'current') return refused(use)
    let idToken: string | undefined
    if (idpRefreshToken !== undefined) {
      try {
        const fresh = await idp.refresh(idpRefreshToken)
        const freshIdentity = idpIdentity(fresh.claims, oidc.moderator)
        if (freshIdentity?.id !== identity.id) throw new IdpRefused('subject_changed')
        identity = freshIdentity
        idToken = fresh.idToken
        idpRefreshToken = fresh.refreshToken ?? idpRefreshToken
      } catch (error) {
        return refused((error as Error).message)
      }
    }
    const rotated = { identity, room: grant.room, tenant: grant.tenant, idpRefreshToken }
    await deliver(request, reply, 'refresh', identity, jitsi, inline, { idToken, refreshToken: () => refreshes.seal(rotated, grant) })
    return true
  }

  fastify.get('/login', { schema: { hide: true }, config: { rateLimit, checksOwnQuery: true } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>
    let inline = text(query.nonce) !== undefined
    let jitsi: JitsiLoginState
    try {
      jitsi = parseJitsiState({ state: text(query.state), room: text(query.room) })
    } catch (error) {
      return fail(request, reply, inline, { status: 400, reason: 'invalid_state', title: 'This login link does not work', text: (error as StateError).message })
    }
    // Only the web client opens the inline popup (§11.1); the apps return through their own links.
    inline &&= jitsi.platform === 'web'
    const refusal = tokens.precheck(jitsi)
    if (refusal) return refuse(request, reply, inline, refusal)
    // A reply is thenable (it resolves once sent), so refresh says with a boolean whether it answered.
    if (jitsi.refreshToken !== undefined && await refresh(request, reply, jitsi, inline)) return reply
    const { refreshToken, ...kept } = jitsi
    const transaction: LoginTransaction = { id: newTransactionId(), verifier: newVerifier(), nonce: newNonce(), jitsi: kept, inline }
    const sealed = await transactions.seal(transaction)
    if (transactionCookie(transaction.id).length + sealed.length > MAX_TRANSACTION_COOKIE) {
      return fail(request, reply, inline, { status: 400, reason: 'invalid_state', title: 'This login link does not work', text: 'The login state is too long to keep during the login (the browser would drop it).' })
    }
    let authorizationUrl: string
    try {
      authorizationUrl = await idp.authorizationUrl(transaction)
    } catch (error) {
      return unavailable(request, reply, inline, error)
    }
    for (const name of await transactions.stale(request.cookies)) reply.clearCookie(name, { path: cookiePath })
    reply.setCookie(transactionCookie(transaction.id), sealed, {
      path: cookiePath, httpOnly: true, secure: config.production, sameSite: 'lax', maxAge: TRANSACTION_TTL
    })
    return reply.header('cache-control', 'no-store').redirect(authorizationUrl)
  })

  fastify.get('/login/callback', { schema: { hide: true }, config: { audit: true, rateLimit, checksOwnQuery: true } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>
    const transaction = await transactions.open(query.state, request.cookies)
    if (!transaction) {
      return fail(request, reply, false, { status: 400, reason: 'login_transaction', title: 'This login has expired', text: 'This login was already used, has expired or was started in another browser. Go back to the meeting and log in again.' })
    }
    // Single use: whatever happens next, this transaction cannot finish another login.
    reply.clearCookie(transactionCookie(transaction.id), { path: cookiePath })
    const inline = transaction.inline === true
    let answer
    try {
      // Our own callback URL with the IdP's parameters: never built from the Host header.
      answer = await idp.exchange(new URL(`${idp.redirectUri}${request.url.slice(request.url.indexOf('?'))}`), transaction)
    } catch (error) {
      if (!(error instanceof IdpRefused)) return unavailable(request, reply, inline, error)
      return fail(request, reply, inline, { status: 403, reason: 'idp_refused', title: 'Login failed', text: `The identity provider did not log you in (${error.code}). Go back to the meeting and try again.` })
    }
    const identity = idpIdentity(answer.claims, oidc.moderator)
    if (!identity) {
      return fail(request, reply, inline, { status: 403, reason: 'idp_token_claims', title: 'Login failed', text: 'The identity provider did not say who you are (no usable "sub").' })
    }
    if (transaction.console) {
      // Signed in to the console: a session cookie for /meetings, no token.
      reply.setCookie(CONSOLE_SESSION_COOKIE, await sessions.seal(identity), {
        path: consolePath, httpOnly: true, secure: config.production, sameSite: 'lax', maxAge: CONSOLE_SESSION_TTL
      })
      request.log.info({ event: 'console.signed_in', requestId: request.id, client: `oidc:${identity.id}` }, 'console sign-in')
      return reply.header('cache-control', 'no-store').redirect(`${settings.baseUrl}/meetings`, 303)
    }
    const { jitsi } = transaction
    const grant = { identity, room: jitsi.room, tenant: jitsi.tenant, idpRefreshToken: answer.refreshToken }
    return deliver(request, reply, 'login', identity, jitsi, inline, { idToken: answer.idToken, refreshToken: () => refreshes.seal(grant) })
  })

  /** Jitsi's tokenLogoutUrl (§11.8): ends the IdP session where the IdP supports RP-initiated logout. */
  fastify.get('/logout', { schema: { hide: true }, config: { rateLimit, checksOwnQuery: true } }, async (request, reply) => {
    const hint = text((request.query as Record<string, unknown>).id_token_hint)
    let who: string | undefined
    let target: string | undefined
    try {
      if (hint !== undefined) {
        const outcome = await fastify.oidc!.authenticate(hint)
        if (!('reason' in outcome)) {
          who = outcome.id
          // Ends every refresh chain this person started, here and (with Redis) on every replica.
          await chains.logout(chainPerson(outcome.identity!), Math.floor(Date.now() / 1000) + REFRESH_TTL)
        }
      }
      target = await idp.endSessionUrl(`${settings.baseUrl}/logout/done`, hint)
    } catch (error) {
      // The IdP is down: Jitsi still forgets the token; the IdP session ends on its own.
      request.log.warn({ requestId: request.id, err: error, event: 'login.idp_unavailable' }, 'identity provider unavailable at logout')
    }
    request.log.info({ event: 'login.logout', requestId: request.id, client: who, idpLogout: target !== undefined }, 'logout')
    if (target !== undefined) return reply.header('cache-control', 'no-store').redirect(target)
    return sendPage(reply, postMessagePage(200, { type: 'logout-success' }, jitsiOrigin, loggedOut), true)
  })

  fastify.get('/logout/done', { schema: { hide: true }, config: { rateLimit, checksOwnQuery: true } }, async (_request, reply) => {
    return sendPage(reply, postMessagePage(200, { type: 'logout-success' }, jitsiOrigin, loggedOut), true)
  })
}

export default login
