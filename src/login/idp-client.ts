/**
 * The OpenID Connect relying party, through openid-client (certified): discovery, the authorization
 * code flow with PKCE and nonce, refresh, userinfo and RP-initiated logout. Discovery happens at the
 * first login, not at start-up, and is retried a cooldown after a failure (OIDC's JWKS cooldown), so an
 * IdP outage never stops the service and logins during it do not each knock on the IdP.
 */
import * as client from 'openid-client'
import type { LoginConfig } from '../config/login-config.js'
import type { IdpClaims } from '../oidc/identity.js'
// The same error the token exchange raises when the IdP is down: a 503, try again later.
import { IdpUnavailableError } from '../oidc/idp-keys.js'

export interface IdpTokens {
  /** ID token claims merged with the userinfo answer (names and emails often live only there). */
  claims: IdpClaims
  idToken?: string
  refreshToken?: string
}

/** The IdP refused (an OAuth error) or its answer failed a check: the login is over. */
export class IdpRefused extends Error {
  override name = 'IdpRefused'
  constructor (readonly code: string, options?: ErrorOptions) {
    super(code, options)
  }
}

/** An OAuth error code (RFC 6749 §4.1.2.1: access_denied, invalid_grant…): short, lower-case, underscores. */
const OAUTH_ERROR_CODE = /^[a-z][a-z0-9_]{0,63}$/

function refusal (error: unknown): IdpRefused {
  // The code comes from the callback URL, which anyone can write: shown only when it looks like one.
  const code = error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError ? error.error : 'invalid_response'
  return new IdpRefused(OAUTH_ERROR_CODE.test(code) ? code : 'invalid_response', { cause: error })
}

export function idpClient (issuer: string, login: LoginConfig, cooldown: number) {
  const redirectUri = `${login.baseUrl}/login/callback`
  let discovered: Promise<client.Configuration> | undefined
  /** While a failed discovery stands: when to try again (ms since the epoch). */
  let retryAt: number | undefined

  function configuration (): Promise<client.Configuration> {
    if (retryAt !== undefined && Date.now() >= retryAt) {
      discovered = undefined
      retryAt = undefined
    }
    discovered ??= client.discovery(new URL(issuer), login.clientId, login.clientSecret, login.clientSecret === undefined ? client.None() : undefined, {
      // http:// issuers are for development only: config/oidc-config.ts refuses them in production.
      execute: issuer.startsWith('http://') ? [client.allowInsecureRequests] : [],
      timeout: 5
    }).catch((error: unknown) => {
      retryAt = Date.now() + cooldown
      throw new IdpUnavailableError(`discovery of ${issuer} failed`, { cause: error })
    })
    return discovered
  }

  /** Both the code and the refresh grant must return an ID token (idTokenExpected, or a refused refresh). */
  async function withUserinfo (config: client.Configuration, tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers): Promise<IdpTokens> {
    const idClaims = tokens.claims()
    if (!idClaims) throw new IdpRefused('no_id_token')
    let userinfo = {}
    if (config.serverMetadata().userinfo_endpoint) userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)
    return { claims: { ...idClaims, ...userinfo, sub: idClaims.sub }, idToken: tokens.id_token, refreshToken: tokens.refresh_token }
  }

  return {
    redirectUri,
    async authorizationUrl (transaction: { id: string, verifier: string, nonce: string }): Promise<string> {
      const config = await configuration()
      return client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: login.scopes,
        state: transaction.id,
        nonce: transaction.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(transaction.verifier),
        code_challenge_method: 'S256'
      }).href
    },
    /** `callbackUrl`: our callback URL with the query the IdP sent. */
    async exchange (callbackUrl: URL, transaction: { id: string, verifier: string, nonce: string }): Promise<IdpTokens> {
      const config = await configuration()
      try {
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: transaction.verifier,
          expectedState: transaction.id,
          expectedNonce: transaction.nonce,
          idTokenExpected: true
        })
        return await withUserinfo(config, tokens)
      } catch (error) {
        throw refusal(error)
      }
    },
    /** Asks the IdP whether the person is still signed in and allowed; throws IdpRefused when not. */
    async refresh (refreshToken: string): Promise<IdpTokens> {
      const config = await configuration()
      try {
        const tokens = await client.refreshTokenGrant(config, refreshToken)
        return await withUserinfo(config, tokens)
      } catch (error) {
        throw refusal(error)
      }
    },
    /** The IdP's logout URL, or undefined when it has no end_session_endpoint. */
    async endSessionUrl (postLogoutRedirectUri: string, idTokenHint?: string): Promise<string | undefined> {
      const config = await configuration()
      if (!config.serverMetadata().end_session_endpoint) return undefined
      const parameters: Record<string, string> = { post_logout_redirect_uri: postLogoutRedirectUri, client_id: login.clientId }
      if (idTokenHint !== undefined) parameters.id_token_hint = idTokenHint
      return client.buildEndSessionUrl(config, parameters).href
    }
  }
}

export type IdpClient = ReturnType<typeof idpClient>
export const newVerifier = () => client.randomPKCECodeVerifier()
export const newNonce = () => client.randomNonce()
