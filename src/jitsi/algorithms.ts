/** Signature algorithms Prosody verifies (docs/jitsi.md §0 rule 2, §1.2). */

export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const
export const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512'] as const
export type HmacAlgorithm = typeof HMAC_ALGORITHMS[number]
export type RsaAlgorithm = typeof RSA_ALGORITHMS[number]
export type SigningAlgorithm = HmacAlgorithm | RsaAlgorithm

export function isHmacAlgorithm (alg: string): alg is HmacAlgorithm {
  return (HMAC_ALGORITHMS as readonly string[]).includes(alg)
}

export function isRsaAlgorithm (alg: string): alg is RsaAlgorithm {
  return (RSA_ALGORITHMS as readonly string[]).includes(alg)
}

/** Why Prosody would never accept tokens signed with `alg`, or undefined when it would. */
export function algorithmProblem (alg: string): string | undefined {
  if (isHmacAlgorithm(alg) || isRsaAlgorithm(alg)) return undefined
  const supported = [...HMAC_ALGORITHMS, ...RSA_ALGORITHMS].join(', ')
  if (alg === '' || alg.toLowerCase() === 'none') return `must name a signature algorithm: unsigned tokens are rejected by Prosody (supported: ${supported})`
  if (/^(ES|PS)\d+$|^EdDSA$/i.test(alg)) return `is ${alg}, which Prosody cannot verify (luajwtjitsi supports only ${supported})`
  return `is not a known algorithm (supported: ${supported})`
}
