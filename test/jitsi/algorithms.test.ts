import t from 'tap'
import { algorithmProblem, HMAC_ALGORITHMS, isHmacAlgorithm, isRsaAlgorithm, RSA_ALGORITHMS } from '../../src/jitsi/algorithms.js'

// luajwtjitsi.lib.lua L38–54: the only algorithms Prosody verifies (docs/jitsi.md §0 rule 2).
const PROSODY = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512']

t.test('exactly the algorithms Prosody verifies are accepted', async t => {
  t.same([...HMAC_ALGORITHMS, ...RSA_ALGORITHMS], PROSODY)
  for (const alg of PROSODY) t.equal(algorithmProblem(alg), undefined, alg)
})

t.test('HMAC and RSA families', async t => {
  for (const alg of ['HS256', 'HS384', 'HS512']) t.ok(isHmacAlgorithm(alg) && !isRsaAlgorithm(alg), alg)
  for (const alg of ['RS256', 'RS384', 'RS512']) t.ok(isRsaAlgorithm(alg) && !isHmacAlgorithm(alg), alg)
  for (const alg of ['hs256', 'ES256', 'none', '']) t.ok(!isHmacAlgorithm(alg) && !isRsaAlgorithm(alg), JSON.stringify(alg))
})

t.test('unsigned tokens are refused with a message saying why', async t => {
  for (const alg of ['none', 'NONE', 'None', '']) {
    t.match(algorithmProblem(alg), /unsigned tokens are rejected by Prosody/, JSON.stringify(alg))
    t.match(algorithmProblem(alg), /supported: HS256, HS384, HS512, RS256, RS384, RS512/)
  }
})

t.test('ES*, PS* and EdDSA: Prosody cannot verify them', async t => {
  for (const alg of ['ES256', 'ES384', 'ES512', 'PS256', 'PS512', 'EdDSA', 'es256']) {
    t.match(algorithmProblem(alg), new RegExp(`^is ${alg}, which Prosody cannot verify`), alg)
  }
})

t.test('anything else is not a known algorithm; names are case-sensitive like Prosody\'s comparison', async t => {
  for (const alg of ['HS257', 'hs256', 'RSA', 'HS256 ', 'ES']) {
    t.match(algorithmProblem(alg), /^is not a known algorithm \(supported: HS256/, JSON.stringify(alg))
  }
})
