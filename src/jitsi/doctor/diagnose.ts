/**
 * The token doctor: every check Prosody runs on a token, in the order it runs them, then the web
 * client's hints. Unlike Prosody it does not stop at the first failure, so one run shows every problem;
 * `reason` is still what Prosody reports first. Pure: the clock and keys are passed in.
 */
import { summarize, type CheckResult, type Diagnosis } from './check.js'
import { contextCheck, featuresCheck, jaasCheck, moderatorCheck } from './client-hints.js'
import { audCheck, issCheck } from './claim-checks.js'
import { contextClaimsCheck } from './context-checks.js'
import type { DoctorKeys, ProsodyDeployment } from './deployment.js'
import { algCheck, kidCheck, typCheck } from './header-checks.js'
import { roomCheck, subCheck, tenantCheck, type JoinTarget } from './room-checks.js'
import { signatureCheck, verifyRsaSignature, type RsaVerdict } from './signature.js'
import { expCheck, nbfCheck } from './time-checks.js'
import { parseToken } from './token-format.js'

export type { Check, Diagnosis } from './check.js'
export type { JoinTarget } from './room-checks.js'

export interface DoctorInput extends JoinTarget {
  token: string
}

/**
 * `rsaVerdict`: an RS* signature already verified with WebCrypto, which is asynchronous (diagnoseAsync);
 * without it only HS* signatures are verified.
 */
export function diagnose (input: DoctorInput, deployment: ProsodyDeployment, keys: DoctorKeys, now = Math.floor(Date.now() / 1000), rsaVerdict?: RsaVerdict): Diagnosis {
  const parsed = parseToken(input.token)
  // A key-server host reads kid before it parses the rest (token/util.lib.lua L278–308).
  const kid = kidCheck(input.token, deployment)
  if (!parsed.ok) return summarize([parsed.check, ...(kid.ok ? [] : [kid])])
  const { header, payload } = parsed.jwt
  const results: CheckResult[] = [
    parsed.check,
    kid,
    typCheck(header),
    algCheck(header, deployment),
    signatureCheck(parsed.jwt, keys, rsaVerdict),
    expCheck(payload, now),
    nbfCheck(payload, now),
    issCheck(payload, deployment),
    audCheck(payload, deployment),
    roomCheck(payload, input, deployment),
    subCheck(payload, input, deployment),
    tenantCheck(payload, input),
    contextCheck(payload),
    featuresCheck(payload),
    moderatorCheck(payload),
    contextClaimsCheck(payload),
    jaasCheck(header, payload)
  ]
  return summarize(results)
}

/** diagnose, with the RSA verification (Node's thread pool, or the browser's): what the API, CLI and page run. */
export async function diagnoseAsync (input: DoctorInput, deployment: ProsodyDeployment, keys: DoctorKeys, now = Math.floor(Date.now() / 1000)): Promise<Diagnosis> {
  const parsed = parseToken(input.token)
  const rsaVerdict = parsed.ok ? await verifyRsaSignature(parsed.jwt, keys) : undefined
  return diagnose(input, deployment, keys, now, rsaVerdict)
}

/** The check names in report order, for documentation and clients. */
export const CHECK_NAMES = ['token', 'kid', 'typ', 'alg', 'signature', 'exp', 'nbf', 'iss', 'aud', 'room', 'sub', 'tenant', 'context', 'features', 'moderator', 'claims', 'jaas'] as const
