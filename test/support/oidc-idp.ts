/**
 * A real OpenID provider for login tests: the certified `oidc-provider` package on 127.0.0.1 with its
 * development login form (any password), one client for the service, refresh tokens and
 * RP-initiated logout. Accounts live in `accounts`; a test can disable one, count requests, or change
 * the token endpoint's answers (`tamper`) to play an IdP that behaves differently.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Configuration } from 'oidc-provider'

// oidc-provider warns, rightly, about its development shortcuts (in-memory store, dev keys, dev login
// form, Node 20); in tests those are the point, and the warnings would bury the test output.
const warn = console.warn
console.warn = (...args: unknown[]) => { if (!String(args[0]).startsWith('oidc-provider WARNING')) warn(...args) }
const { default: Provider } = await import('oidc-provider')

export const CLIENT_ID = 'jitsi-login'
export const CLIENT_SECRET = 'a-client-secret-for-tests-only-0123456789'
export const MODERATORS = 'jitsi-moderators'

export interface TestAccount {
  name?: string
  email?: string
  groups?: string[]
  /** findAccount answers "no such account", as an IdP does for a disabled or deleted user. */
  disabled?: boolean
}

export interface TestIdp {
  issuer: string
  accounts: Map<string, TestAccount>
  /** Requests per path (e.g. '/auth', '/token', '/session/end'). */
  requests: Map<string, number>
  /** Changes the JSON the token endpoint answers with. */
  tamper?: (body: Record<string, unknown>) => void
  /** Answers every request with 503 (an outage). */
  down: boolean
}

export async function startTestIdp (t: { teardown: (fn: () => unknown) => void }, redirectBase: string, options: { publicClient?: boolean, logout?: boolean } = {}): Promise<TestIdp> {
  const server: Server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise(resolve => { server.closeAllConnections(); server.close(resolve) }))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const idp: TestIdp = {
    issuer,
    accounts: new Map([
      ['alice', { name: 'Alice Example', email: 'alice@example.org', groups: [MODERATORS] }],
      ['bob', { name: 'Bob Example', email: 'bob@example.org', groups: [] }]
    ]),
    requests: new Map(),
    down: false
  }

  const configuration: Configuration = {
    clients: [{
      client_id: CLIENT_ID,
      ...(options.publicClient ? { token_endpoint_auth_method: 'none' } : { client_secret: CLIENT_SECRET }),
      redirect_uris: [`${redirectBase}/login/callback`],
      post_logout_redirect_uris: [`${redirectBase}/logout/done`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code']
    }],
    async findAccount (_ctx, id) {
      const account = idp.accounts.get(id)
      if (!account || account.disabled) return undefined
      return {
        accountId: id,
        async claims () {
          return { sub: id, name: account.name, email: account.email, email_verified: true, groups: account.groups }
        }
      }
    },
    claims: { openid: ['sub'], profile: ['name', 'groups'], email: ['email', 'email_verified'] },
    // A first-party client: no consent screen (the grant is created on first use).
    async loadExistingGrant (ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId)
      if (grantId) return ctx.oidc.provider.Grant.find(grantId)
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId })
      grant.addOIDCScope('openid profile email')
      await grant.save()
      return grant
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: {
        enabled: options.logout ?? true,
        // Signs out without asking, as Keycloak does with a valid id_token_hint.
        async logoutSource (ctx, form) {
          ctx.body = `<!doctype html><html><body>${form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>')}` +
            '<script>document.forms[0].submit()</script></body></html>'
        }
      }
    },
    pkce: { required: () => true },
    ttl: { IdToken: 3600, AccessToken: 3600, RefreshToken: 86400, Session: 86400, Interaction: 600, Grant: 86400 }
  }
  const provider = new Provider(issuer, configuration)
  provider.use(async (ctx, next) => {
    idp.requests.set(ctx.path, (idp.requests.get(ctx.path) ?? 0) + 1)
    if (idp.down) {
      ctx.status = 503
      ctx.body = { error: 'temporarily_unavailable' }
      return
    }
    await next()
    if (idp.tamper && ctx.path === '/token' && typeof ctx.body === 'object' && ctx.body !== null) idp.tamper(ctx.body as Record<string, unknown>)
  })
  server.on('request', provider.callback())
  return idp
}

/** Cookies as a browser keeps them for one site: name → value, updated from each answer. */
export class CookieJar {
  readonly cookies = new Map<string, string>()
  store (response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const [name, ...value] = pair!.split('=')
      this.cookies.set(name!.trim(), value.join('='))
    }
  }

  header () {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}

/**
 * Logs `account` in at the IdP the way the browser would, without one: follows the authorization
 * URL to the login form, submits it, and returns the URL the IdP redirects to (our callback).
 */
export async function loginAtIdp (authorizationUrl: string, account: string, jar = new CookieJar()): Promise<string> {
  let url = authorizationUrl
  let body: URLSearchParams | undefined
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body
    })
    jar.store(response)
    body = undefined
    const location = response.headers.get('location')
    if (location) {
      const next = new URL(location, url).href
      if (!next.startsWith(new URL(authorizationUrl).origin)) return next
      url = next
      continue
    }
    const html = await response.text()
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]
    if (!action) throw new Error(`no login form at ${url} (${response.status}): ${html.slice(0, 200)}`)
    url = new URL(action, url).href
    body = new URLSearchParams({ prompt: 'login', login: account, password: 'any' })
  }
  throw new Error('too many redirects at the IdP')
}
