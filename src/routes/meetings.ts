/**
 * /meetings (docs/console.md): a person signed in through the identity provider makes a meeting link and a
 * guest invitation. Registered by routes/login.ts (only with OIDC_CLIENT_ID), with the login's IdP client
 * and transactions: signing in is a login transaction marked `console`, finished by /login/callback, which
 * sets the session cookie (console/console-session.ts). Every form carries a CSRF token
 * (@fastify/csrf-protection); a missing or expired session sends the person to sign in and back.
 */
import csrf from '@fastify/csrf-protection'
import formbody from '@fastify/formbody'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import type { Caller } from '../clients/caller.js'
import { CONSOLE_SESSION_COOKIE, type ConsoleSessions } from '../console/console-session.js'
import { readMeetingForm, type FormValues } from '../console/meeting-form.js'
import { meetingLinks, OutsideGrant } from '../console/meeting-links.js'
import { formPage, linksPage, MEETINGS_CSS, MEETINGS_SCRIPT } from '../console/meetings-page.js'
import { KNOWN_FEATURES } from '../jitsi/features.js'
import type { IdpIdentity } from '../oidc/identity.js'
import type { IdpClient } from '../login/idp-client.js'
import { newNonce, newVerifier } from '../login/idp-client.js'
import { newTransactionId, TRANSACTION_TTL, transactionCookie, transactionStore, type LoginTransaction } from '../login/transaction.js'
import { ProblemError } from '../problems.js'
import { CONSOLE_CSP } from './doctor-page.js'

export interface MeetingsOptions {
  config: Config
  idp: IdpClient
  transactions: ReturnType<typeof transactionStore>
  sessions: ConsoleSessions
  callerFor: (identity: IdpIdentity) => Caller
  /** Where the login's transaction cookies live (…/login). */
  transactionPath: string
  /** Where the console's cookies live (…/meetings). */
  consolePath: string
  rateLimit: { max: number }
}

/** Who the page says is signed in. */
export const shownName = (identity: IdpIdentity) => identity.name ?? identity.email ?? identity.id

const meetings: FastifyPluginAsync<MeetingsOptions> = async (fastify, opts) => {
  const { config, idp, transactions, sessions, callerFor, transactionPath, consolePath, rateLimit } = opts
  const base = config.login!.baseUrl
  await fastify.register(formbody)
  await fastify.register(csrf, {
    cookieKey: 'jts_console_csrf',
    cookieOpts: { path: consolePath, httpOnly: true, secure: config.production, sameSite: 'strict' },
    getToken: (request) => (request.body as Record<string, string> | undefined)?._csrf
  })

  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).type('text/html; charset=utf-8').headers({ 'content-security-policy': CONSOLE_CSP.replace("form-action 'none'", "form-action 'self'"), 'cache-control': 'no-store' }).send(body)
  const asset = (reply: FastifyReply, type: string, body: string) =>
    reply.type(type).headers({ 'content-security-policy': CONSOLE_CSP, 'cache-control': 'no-cache' }).send(body)
  const signIn = (reply: FastifyReply) => reply.header('cache-control', 'no-store').redirect(`${base}/meetings/login`, 303)
  const person = async (request: FastifyRequest) => sessions.open(request.cookies[CONSOLE_SESSION_COOKIE])
  const allowedFeatures = (caller: Caller) => caller.grants.features.includes('*') ? KNOWN_FEATURES : KNOWN_FEATURES.filter(feature => caller.grants.features.includes(feature))
  const routeOptions = { schema: { hide: true }, config: { rateLimit } }

  fastify.get('/meetings/app.js', routeOptions, async (_request, reply) => asset(reply, 'text/javascript; charset=utf-8', MEETINGS_SCRIPT))
  fastify.get('/meetings/app.css', routeOptions, async (_request, reply) => asset(reply, 'text/css; charset=utf-8', MEETINGS_CSS))

  fastify.get('/meetings', routeOptions, async (request, reply) => {
    const identity = await person(request)
    if (!identity) return signIn(reply)
    const caller = callerFor(identity)
    return html(reply, 200, formPage({ csrf: reply.generateCsrf(), person: shownName(identity), values: {}, problems: [], features: allowedFeatures(caller) }))
  })

  /** Signing in: a login transaction that ends on /meetings instead of in a meeting. */
  fastify.get('/meetings/login', routeOptions, async (request, reply) => {
    const transaction: LoginTransaction = { id: newTransactionId(), verifier: newVerifier(), nonce: newNonce(), console: true }
    let authorizationUrl: string
    try {
      authorizationUrl = await idp.authorizationUrl(transaction)
    } catch {
      throw new ProblemError(503, 'idp_unavailable', 'The identity provider cannot be reached right now. Try again in a minute.')
    }
    // As /login does: abandoned sign-ins do not pile up cookies.
    for (const name of await transactions.stale(request.cookies)) reply.clearCookie(name, { path: transactionPath })
    reply.setCookie(transactionCookie(transaction.id), await transactions.seal(transaction), {
      path: transactionPath, httpOnly: true, secure: config.production, sameSite: 'lax', maxAge: TRANSACTION_TTL
    })
    return reply.header('cache-control', 'no-store').redirect(authorizationUrl)
  })

  fastify.post('/meetings', { ...routeOptions, config: { ...routeOptions.config, audit: true }, preHandler: fastify.csrfProtection }, async (request, reply) => {
    const identity = await person(request)
    if (!identity) return signIn(reply)
    const caller = callerFor(identity)
    request.caller = caller
    // The CSRF check has read the body: it is there.
    const values = request.body as FormValues
    const now = Math.floor(Date.now() / 1000)
    // Identity-provider grants always carry a maxTtl (oidc/oidc-config.ts gives a default).
    const read = readMeetingForm(values, now, Math.min(config.jwt.maxTtl, caller.grants.maxTtl!))
    const again = (status: number, problems: Array<{ path: string, message: string }>) =>
      html(reply, status, formPage({ csrf: reply.generateCsrf(), person: shownName(identity), values, problems, features: allowedFeatures(caller) }))
    if ('problems' in read) {
      request.refusal = { status: 400, reason: 'invalid_request', fields: read.problems.map(problem => problem.path) }
      return again(400, read.problems)
    }
    const links = await meetingLinks(fastify, config, caller, read.form, now)
    if (links instanceof OutsideGrant) {
      request.refusal = { status: 403, reason: 'outside_grant', fields: links.problems.map(problem => problem.path) }
      return again(403, links.problems)
    }
    const record = (issued: typeof links.host) => ({ claims: issued.claims, algorithm: fastify.signer.algorithm, kid: fastify.signer.kid, tenant: read.form.tenant, via: 'console' as const })
    request.issued = record(links.host)
    request.issuedAlso = [record(links.guest)]
    const utc = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')
    return html(reply, 200, linksPage({ room: read.form.room, hostUrl: links.host.url!, guestUrl: links.guest.url!, start: utc(read.form.start), end: utc(read.form.end) }))
  })
}

export default meetings
