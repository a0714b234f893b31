/** Is it a JWT, the header (kid, typ, alg) and the signature: each failure with its sentence. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import t from 'tap'
import { diagnose } from '../../../src/jitsi/doctor/diagnose.js'
import { algCheck, kidCheck, typCheck } from '../../../src/jitsi/doctor/header-checks.js'
import { signatureCheck, verifyRsaSignature } from '../../../src/jitsi/doctor/signature.js'
import { parseToken, type DecodedJwt } from '../../../src/jitsi/doctor/token-format.js'
import { HS_HEADER, KID, NOW, PRIVATE_PEM, PUBLIC_PEM, RS_HEADER, ROOM, check, claims, diagnoseAgreeing, hs, hsHost, rs, rsHost } from './fixtures.js'

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

function decoded (token: string): DecodedJwt {
  const parsed = parseToken(token)
  if (!parsed.ok) throw new Error(parsed.check.detail)
  return parsed.jwt
}

t.test('what people paste instead of a token gets a hint about what it is', async t => {
  const hints: Array<[string, RegExp]> = [
    ['Bearer eyJ.eyJ', /Remove the "Bearer " prefix/],
    ['https://meet.example.org/room?jwt=eyJ', /looks like a meeting URL/],
    ['eyJ hbG.eyJ.sig', /spaces or line breaks/],
    ['"abc"', /Remove the quotes/],
    ['abc', /cut off at an & or #/]
  ]
  for (const [token, hint] of hints) {
    const parsed = parseToken(token)
    t.equal(parsed.ok, false)
    t.match(parsed.check.detail, hint, token)
  }
})

t.test('three parts that are not a header, payload and signature', async t => {
  const cases: Array<[string, string, RegExp]> = [
    [`${b64('not json')}.${b64(claims())}.c2ln`, 'Invalid header', /first part is not a base64url-encoded JSON object/],
    [`${b64(HS_HEADER)}.${b64('[1,')}.c2ln`, 'Invalid body', /second part/],
    [`${b64(HS_HEADER)}.${b64(claims())}.not*base64`, 'Invalid signature', /third part is not base64url/]
  ]
  for (const [token, reason, detail] of cases) {
    const diagnosis = diagnoseAgreeing(t, { token, ...ROOM })
    t.equal(diagnosis.reason, reason)
    t.match(check(diagnosis, 'token').detail, detail)
  }
  // Prosody raises a Lua error on a header that is a number; the doctor calls it what it is.
  const numeric = parseToken(`${b64(42)}.${b64(claims())}.c2ln`)
  t.match(numeric, { ok: false, check: { rejection: { message: 'Invalid header' }, detail: /first part/ } })
  // Lua indexes a string or an array header without error: there is simply no typ.
  t.equal(diagnoseAgreeing(t, { token: `${b64('"JWT"')}.${b64(claims())}.c2ln`, ...ROOM }).reason, 'Invalid typ')
  t.equal(parseToken(`${b64(HS_HEADER)}==.${b64(claims())}.c2ln`).ok, true, 'basexx ignores = padding')
})

t.test('a key-server host reads the header first, to find the key by kid', async t => {
  const cases: Array<[string, string]> = [
    ['no-dot-at-all', 'Invalid token'],
    ['**.x.y', 'Invalid token'],
    [`${b64('{')}.x.y`, 'bad token format'],
    [`${b64({ alg: 'RS256', typ: 'JWT' })}.x.y`, "'kid' claim is missing"],
    [`${b64({ kid: KID, typ: 'JWT' })}.x.y`, "'alg' claim is missing"],
    [rs({ ...RS_HEADER, alg: 'HS256' }, claims()), "'kid' claim only support with RS family"]
  ]
  for (const [token, reason] of cases) {
    const diagnosis = diagnoseAgreeing(t, { token, ...ROOM }, rsHost)
    t.equal(diagnosis.reason, reason, token)
    t.match(check(diagnosis, 'kid'), { ok: false, blocking: true }, token)
  }
  t.match(kidCheck(rs({ ...RS_HEADER, alg: 'HS256' }, claims()), rsHost).detail, /only verifies RS256\/RS384\/RS512 tokens/)
  t.match(kidCheck(rs({ ...RS_HEADER, kid: 7 }, claims()), rsHost), { ok: true, detail: /^kid is 7: Prosody fetches its public key\. / }, 'a kid that is not a string has no path to show')
  t.match(kidCheck(hs(HS_HEADER, claims()), hsHost), { ok: true, detail: /Not needed/ })
  t.match(kidCheck(hs({ ...HS_HEADER, kid: 'k1' }, claims()), hsHost), { ok: false, detail: /kid "k1": this HS256 Prosody ignores it, but a Prosody with asap_key_server or cache_keys_url refuses/ }, 'a kid in an HS token is a hint')
  t.match(kidCheck('%%%.x.y', hsHost), { ok: true }, 'an unreadable header has no kid to speak of')

  const halfToken = `${b64(RS_HEADER)}.${b64(claims())}`
  const diagnosis = diagnoseAgreeing(t, { token: halfToken, ...ROOM }, rsHost)
  t.same(diagnosis.checks.map(c => c.name), ['token'], 'a readable kid is not repeated when the token does not parse')
})

t.test('typ and alg are compared exactly', async t => {
  t.match(typCheck({ typ: 'jwt' }), { ok: false, detail: /^typ is "jwt", but Prosody requires exactly "JWT"/ })
  t.match(typCheck({ typ: 'at+JWT' }), { ok: false, detail: /identity provider's access token \(RFC 9068\).*Exchange it/ })
  t.match(algCheck({}, hsHost).detail, /The header has no alg; Prosody verifies only HS256/)
  t.match(algCheck({ alg: 5 }, hsHost).detail, /The header has alg 5;/)
  t.match(algCheck({ alg: 'none' }, hsHost).detail, /alg "none" must name a signature algorithm: unsigned tokens are rejected/)
  t.match(algCheck({ alg: 'ES256' }, hsHost).detail, /alg "ES256" is ES256, which Prosody cannot verify/)
  const none = diagnoseAgreeing(t, { token: `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.c2ln`, ...ROOM })
  t.match(check(none, 'signature').detail, /Not checked: alg "none" is not an algorithm Prosody can verify/)
})

t.test('the signature: which key, and why it cannot be checked', async t => {
  const hsJwt = decoded(hs(HS_HEADER, claims()))
  t.match(signatureCheck(hsJwt, {}), { ok: false, detail: /no secret is known\. Pass Prosody's app_secret as prosody.secret/ })
  const short = hs(HS_HEADER, claims()).slice(0, -10)
  t.match(signatureCheck(decoded(short), { secret: { key: 'anything', from: 'the test secret' } }), { ok: false, detail: /does not match the test secret/ }, 'a cut signature never matches')

  const rsJwt = decoded(rs(RS_HEADER, claims()))
  const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString()
  const supplied = async (key: string) => {
    const keys = { publicKey: { key, from: 'the supplied key' } }
    return signatureCheck(rsJwt, keys, await verifyRsaSignature(rsJwt, keys))
  }
  t.match(await supplied(PUBLIC_PEM), { ok: true })
  t.match(await supplied(pem(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey)), { ok: false, detail: /does not verify with the supplied key.*signed with another private key.*new kid/ })
  t.match(await supplied(PRIVATE_PEM), { ok: false, detail: /the supplied key is a private key: supply only the public key/ })
  t.match(await supplied('-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n'), { ok: false, detail: /is not a PEM public key; supply the SPKI PEM/ })
  t.match(await supplied('-----BEGIN PUBLIC KEY-----\nA\n-----END PUBLIC KEY-----\n'), { ok: false, detail: /is not a PEM public key/ }, 'not base64')
  t.match(await supplied(PUBLIC_PEM.replace(/.{8}\n-----END/, '\n-----END')), { ok: false, detail: /is not a PEM public key/ }, 'an RSA key cut short')
  t.match(await supplied('ssh-rsa AAAA'), { ok: false, detail: /is not a PEM public key/ })
  t.match(await supplied(pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)), { ok: false, detail: /is a ec key, but Prosody only verifies RSA signatures/ })
  t.match(await supplied(pem(generateKeyPairSync('ed25519').publicKey)), { ok: false, detail: /is a ed25519 key/ })
  t.match(signatureCheck(rsJwt, { publicKey: { key: PUBLIC_PEM, from: 'k' } }), { ok: false, detail: /was not verified: run the doctor with diagnoseAsync/ }, 'the synchronous doctor says it did not verify RS*')
  t.equal(await verifyRsaSignature(decoded(hs(HS_HEADER, claims())), {}), undefined, 'nothing to verify for HS*')

  const noKid = decoded(rs({ alg: 'RS256', typ: 'JWT' }, claims()))
  t.match(signatureCheck(noKid, { publicKeyFor: () => undefined }), { ok: false, detail: /the header has no kid to find a public key by\. Supply the public key as prosody.publicKeyPem \(CLI: --public-key-file\);/ })
})

t.test('a token for another algorithm family: the alg check fails, and the signature says why it is unchecked', async t => {
  const diagnosis = diagnose({ token: rs(RS_HEADER, claims()), ...ROOM }, hsHost, { secret: { key: 's', from: 'x' } }, NOW)
  t.equal(diagnosis.reason, 'Invalid or incorrect alg')
  t.match(check(diagnosis, 'signature').detail, /no public key for kid "my_app\/2026-01" is known here/)
})
