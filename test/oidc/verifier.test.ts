import t, { type Test } from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SignJWT } from 'jose'
import { createIdpVerifier, IdpUnavailableError, type Verification } from '../../src/oidc/verifier.js'
import { discoveryUrl } from '../../src/oidc/discovery.js'
import type { OidcConfig } from '../../src/oidc/oidc-config.js'
import { testConfig } from '../helper.js'
import { AUDIENCE, signingKey, startLocalIdp, type LocalIdp } from '../support/local-idp.js'

const verifierFor = (idp: LocalIdp, env: Record<string, string> = {}, overrides: Partial<OidcConfig> = {}) =>
  createIdpVerifier({ ...testConfig({ OIDC_ISSUER: idp.issuer, OIDC_AUDIENCE: AUDIENCE, ...env }).oidc!, ...overrides })

const reasonOf = (verification: Verification) => 'rejected' in verification ? verification.rejected.reason : 'accepted'

async function unavailable (t: Test, verify: (token: string) => Promise<Verification>, token: string, message: RegExp) {
  try {
    await verify(token)
    t.fail('expected the IdP to be unavailable')
  } catch (error) {
    t.ok(error instanceof IdpUnavailableError)
    t.match((error as Error).message, message)
  }
}

t.test('the discovery URL sits under the issuer, with or without a trailing slash', async t => {
  t.equal(discoveryUrl('https://id.example.org/realms/a'), 'https://id.example.org/realms/a/.well-known/openid-configuration')
  t.equal(discoveryUrl('https://tenant.auth0.example/'), 'https://tenant.auth0.example/.well-known/openid-configuration')
})

t.test('OIDC_JWKS_URL skips discovery', async t => {
  const idp = await startLocalIdp(t, 'ES256')
  const verify = verifierFor(idp, { OIDC_JWKS_URL: idp.jwksUrl })
  t.equal(reasonOf(await verify(await idp.token())), 'accepted')
  t.same(idp.fetches, { discovery: 0, jwks: 1 })
})

t.test('a discovery document that cannot be trusted or used makes the IdP unavailable', async t => {
  const idp = await startLocalIdp(t)
  // No cooldown here, so each failure below is a fresh attempt (idp-outage.test.ts tests the cooldown).
  const verify = verifierFor(idp, {}, { jwksCooldown: 0 })
  const token = await idp.token()
  idp.discovery = { issuer: 'https://evil.example.org', jwks_uri: idp.jwksUrl }
  await unavailable(t, verify, token, /names issuer "https:\/\/evil.example.org"/)
  idp.discovery = { issuer: idp.issuer }
  await unavailable(t, verify, token, /no usable jwks_uri/)
  idp.discovery = { issuer: idp.issuer, jwks_uri: 'file:///etc/passwd' }
  await unavailable(t, verify, token, /no usable jwks_uri/)
  idp.discovery = '<html>login</html>'
  await unavailable(t, verify, token, /names issuer undefined/)
  idp.discovery = undefined
  idp.failWith = 404
  await unavailable(t, verify, token, /answered 404/)
  idp.failWith = undefined
  t.equal(reasonOf(await verify(token)), 'accepted', 'each failure is retried, not remembered')
})

t.test('JWKS that cannot be fetched or read make the IdP unavailable', async t => {
  const idp = await startLocalIdp(t)
  const token = await idp.token()
  idp.failWith = 503
  await unavailable(t, verifierFor(idp, { OIDC_JWKS_URL: idp.jwksUrl }), token, /Expected 200 OK/)
  idp.failWith = undefined
  idp.published = [{ ...idp.current, jwk: 'not-a-key' as never }]
  await unavailable(t, verifierFor(idp, { OIDC_JWKS_URL: idp.jwksUrl }), token, /JSON Web Key Set malformed/)
})

t.test('an issuer nobody listens on makes the IdP unavailable', async t => {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise(resolve => server.close(resolve))
  const issuer = `http://127.0.0.1:${port}`
  const verify = createIdpVerifier(testConfig({ OIDC_ISSUER: issuer, OIDC_AUDIENCE: AUDIENCE }).oidc!)
  const key = await signingKey()
  const token = await new SignJWT({ sub: 'u' }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).setIssuer(issuer).setAudience(AUDIENCE).setExpirationTime('5m').sign(key.privateKey)
  await unavailable(t, verify, token, /openid-configuration: fetch failed/)
})

t.test('junk is refused before the IdP is ever asked', async t => {
  const idp = await startLocalIdp(t)
  const verify = verifierFor(idp)
  const b64 = (value: string) => Buffer.from(value).toString('base64url')
  const header = b64(JSON.stringify({ alg: 'RS256', kid: idp.current.kid }))
  t.equal(reasonOf(await verify(`${b64('{not json')}.${b64('{}')}.c2ln`)), 'idp_token_malformed')
  t.equal(reasonOf(await verify(idp.unsignedToken())), 'idp_token_algorithm')
  t.equal(reasonOf(await verify(`${b64(JSON.stringify({ alg: 'RS256', crit: ['x'], x: 1 }))}.${b64('{}')}.c2ln`)), 'idp_token_malformed')
  t.same(idp.fetches, { discovery: 0, jwks: 0 })
  t.equal(reasonOf(await verify(`${header}.${b64('[1]')}.c2ln`)), 'idp_token_signature')
  const arrayPayload = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: idp.current.kid }).sign(idp.current.privateKey)
  const [h, , s] = arrayPayload.split('.')
  t.equal(reasonOf(await verify(`${h}.${b64('[1]')}.${s}`)), 'idp_token_signature', 'the signature covers the payload')
})

t.test('claims jose cannot read are refused, not crashed on', async t => {
  const idp = await startLocalIdp(t)
  const verify = verifierFor(idp)
  const signed = (payload: unknown) => new SignJWT(payload as Record<string, unknown>).setProtectedHeader({ alg: 'RS256', kid: idp.current.kid }).sign(idp.current.privateKey)
  t.equal(reasonOf(await verify(await idp.token({ exp: 'tomorrow' }))), 'idp_token_claims')
  t.match(await verify(await idp.token({ nbf: Math.floor(Date.now() / 1000) + 600 })), { rejected: { detail: /"nbf" claim is not valid yet/ } })
  t.equal(reasonOf(await verify(await signed(idp.claims({ aud: [AUDIENCE, 'other'] })))), 'accepted', 'aud may be a list that includes us')
})

t.test('two keys that match equally are refused rather than guessed between', async t => {
  const idp = await startLocalIdp(t)
  const second = await signingKey()
  const { kid: _first, ...anonymous } = idp.current.jwk
  const { kid: _second, ...anonymousSecond } = second.jwk
  idp.published = [{ ...idp.current, jwk: anonymous }, { ...second, jwk: anonymousSecond }]
  const token = await new SignJWT(idp.claims()).setProtectedHeader({ alg: 'RS256' }).sign(idp.current.privateKey)
  t.match(await verifierFor(idp)(token), { rejected: { reason: 'idp_token_key', detail: /exactly one key/ } })
})
