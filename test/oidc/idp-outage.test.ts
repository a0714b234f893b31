/**
 * An IdP outage is not an amplifier: while its discovery or JWKS fails, tokens (with unknown kids, or
 * any once the cache is old) do not each cause a fetch, and keys fetched before keep verifying.
 */
import t from 'tap'
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { SignJWT } from 'jose'
import { createIdpVerifier, IdpUnavailableError, type Verification } from '../../src/oidc/verifier.js'
import type { OidcConfig } from '../../src/oidc/oidc-config.js'
import { testConfig } from '../helper.js'
import { AUDIENCE, signingKey, startLocalIdp, type LocalIdp } from '../support/local-idp.js'

const verifierFor = (idp: LocalIdp, overrides: Partial<OidcConfig>, env: Record<string, string> = {}) =>
  createIdpVerifier({ ...testConfig({ OIDC_ISSUER: idp.issuer, OIDC_AUDIENCE: AUDIENCE, ...env }).oidc!, ...overrides })

/** 'accepted', the rejection's reason, or 'unavailable'. */
async function outcome (verify: (token: string) => Promise<Verification>, token: string): Promise<string> {
  try {
    const verification = await verify(token)
    return 'rejected' in verification ? verification.rejected.reason : 'accepted'
  } catch (error) {
    if (error instanceof IdpUnavailableError) return 'unavailable'
    throw error
  }
}

t.test('while the JWKS fails, unknown kids cause one fetch per cooldown and known keys keep working', async t => {
  const idp = await startLocalIdp(t, 'ES256')
  const verify = verifierFor(idp, { jwksCooldown: 300, jwksMaxAge: 600 }, { OIDC_JWKS_URL: idp.jwksUrl })
  const known = await idp.token()
  t.equal(await outcome(verify, known), 'accepted')
  t.equal(idp.requests, 1)
  await sleep(350) // past the cooldown that follows the successful fetch

  idp.failWith = 503
  const stranger = await signingKey('ES256')
  const unknownKid = () => new SignJWT(idp.claims()).setProtectedHeader({ alg: 'ES256', kid: randomUUID() }).sign(stranger.privateKey)
  const outcomes = []
  for (let i = 0; i < 10; i++) outcomes.push(await outcome(verify, await unknownKid()))
  t.same(outcomes, Array(10).fill('unavailable'), 'an unknown kid may be a new key: 503, not 401')
  t.equal(idp.requests, 2, 'ten unknown kids, one fetch')
  t.equal(await outcome(verify, known), 'accepted', 'a known key still verifies')

  await sleep(650) // the cached JWKS is now older than its max age: jose would refetch on every token
  for (let i = 0; i < 5; i++) t.equal(await outcome(verify, known), 'accepted', 'known keys outlive the cache age while the IdP is away')
  t.equal(idp.requests, 3, 'five tokens on a stale cache, one fetch')

  idp.failWith = undefined
  await sleep(350)
  const next = await idp.rotate('ES256')
  t.equal(await outcome(verify, await idp.token({}, next)), 'accepted', 'once back, the IdP\'s new key is fetched')
  t.equal(idp.requests, 4)
})

t.test('a failed discovery is retried after the cooldown, not on every token', async t => {
  const idp = await startLocalIdp(t)
  const verify = verifierFor(idp, { jwksCooldown: 300 })
  const token = await idp.token()
  idp.failWith = 500
  for (let i = 0; i < 5; i++) t.equal(await outcome(verify, token), 'unavailable')
  t.equal(idp.requests, 1, 'five tokens, one discovery request')
  idp.failWith = undefined
  await t.rejects(verify(token), { name: 'IdpUnavailableError', message: /not asked again before .*answered 500/ }, 'remembered for the cooldown, cause included for the log')
  await sleep(350)
  t.equal(await outcome(verify, token), 'accepted')
  t.equal(idp.requests, 3, 'then discovery and the JWKS, once each')
})

t.test('in production a discovered jwks_uri must be https', async t => {
  const idp = await startLocalIdp(t)
  await t.rejects(verifierFor(idp, { httpsOnly: true })(await idp.token()), { name: 'IdpUnavailableError', message: /jwks_uri that is not https:\/\/ \(required in production\)/ })
  t.equal(idp.fetches.jwks, 0, 'the http JWKS is never fetched')
  const production = testConfig({ NODE_ENV: 'production', METRICS_PUBLIC: 'true', OIDC_ISSUER: 'https://sso.example.org/realms/x', OIDC_AUDIENCE: 'jitsi' })
  t.equal(production.oidc?.httpsOnly, true)
  t.equal(testConfig({ OIDC_ISSUER: idp.issuer, OIDC_AUDIENCE: AUDIENCE }).oidc?.httpsOnly, false, 'development may use a local http IdP')
})

t.test('only ID and access tokens meant for us are an identity: not logout tokens, not another app\'s ID token', async t => {
  const idp = await startLocalIdp(t)
  const verify = verifierFor(idp, {})
  const signed = (claims: Record<string, unknown>, typ?: string) =>
    new SignJWT(idp.claims(claims)).setProtectedHeader({ alg: 'RS256', kid: idp.current.kid, ...(typ === undefined ? {} : { typ }) }).sign(idp.current.privateKey)
  const logout = { events: { 'http://schemas.openid.net/event/backchannel-logout': {} }, jti: randomUUID() }
  const cases: Array<[string, Promise<string>, string]> = [
    ['ID token, typ JWT', signed({}, 'JWT'), 'accepted'],
    ['ID token, no typ', signed({}), 'accepted'],
    ['typ in lower case', signed({}, 'jwt'), 'accepted'],
    ['RFC 9068 access token', signed({ scope: 'openid', azp: 'some-frontend' }, 'at+jwt'), 'accepted'],
    ['access token, application/ prefix', signed({}, 'application/at+jwt'), 'accepted'],
    ['Keycloak-style access token: typ JWT, scope, azp = the frontend', signed({ scope: 'openid profile', azp: 'frontend', aud: [AUDIENCE, 'account'] }, 'JWT'), 'accepted'],
    ['Okta-style access token: scp', signed({ scp: ['openid'], azp: 'frontend' }), 'accepted'],
    ['our own ID token with azp', signed({ azp: AUDIENCE, aud: [AUDIENCE, 'other'] }), 'accepted'],
    ['back-channel logout token', signed(logout, 'logout+jwt'), 'idp_token_type'],
    ['logout token, application/ prefix, upper case', signed(logout, 'application/Logout+JWT'), 'idp_token_type'],
    ['untyped logout token', signed(logout), 'idp_token_type'],
    ['logout token typed JWT', signed(logout, 'JWT'), 'idp_token_type'],
    ['another security event token', signed({}, 'secevent+jwt'), 'idp_token_type'],
    ['a DPoP proof', signed({}, 'dpop+jwt'), 'idp_token_type'],
    ['another app\'s ID token that also lists us', signed({ azp: 'other-app', aud: ['other-app', AUDIENCE] }), 'idp_token_audience']
  ]
  for (const [name, token, expected] of cases) t.equal(await outcome(verify, await token), expected, name)
  t.match(await verify(await signed({ azp: 'other-app' })), { rejected: { detail: /issued to another application \(azp must be jitsi-frontend\)/ } })
})
