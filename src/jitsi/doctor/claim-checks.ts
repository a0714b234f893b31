/**
 * iss and aud: present, and equal (Lua `==`, type-strict) to an accepted value or `*`
 * (luajwtjitsi verify_claim L112–123, L240–258; docs/jitsi.md §0 rules 9–10).
 */
import { STEP, hint, pass, reject, show, type CheckResult } from './check.js'
import type { ProsodyDeployment } from './deployment.js'

const accepts = (accepted: string[], claim: unknown) => accepted.some(value => value === '*' || value === claim)
const list = (accepted: string[]) => accepted.map(value => show(value)).join(', ')

export function issCheck (payload: Record<string, unknown>, deployment: ProsodyDeployment): CheckResult {
  const { iss } = payload
  const accepted = deployment.acceptedIssuers
  if (iss === undefined) {
    return reject('iss', STEP.iss, "'iss' claim is missing", `There is no iss, so Prosody answers "'iss' claim is missing". Set iss to Prosody's app_id (JWT_APP_ID) or another accepted issuer: ${list(accepted)}.`)
  }
  if (!accepts(accepted, iss)) {
    return reject('iss', STEP.iss, "invalid 'iss' claim", `iss is ${show(iss)}, but Prosody accepts only ${list(accepted)} (asap_accepted_issuers: app_id / JWT_APP_ID unless JWT_ACCEPTED_ISSUERS is set, which then replaces it) and answers "invalid 'iss' claim". Set iss to one of them, or add it to JWT_ACCEPTED_ISSUERS.`)
  }
  return pass('iss', `iss ${show(iss)} is an accepted issuer (${list(accepted)}).`)
}

export function audCheck (payload: Record<string, unknown>, deployment: ProsodyDeployment): CheckResult {
  const { aud } = payload
  const accepted = deployment.acceptedAudiences
  if (aud === undefined) {
    return reject('aud', STEP.aud, "'aud' claim is missing", 'There is no aud, so Prosody answers "\'aud\' claim is missing": aud is required even when every audience is accepted. Add aud: "jitsi" (JWT_AUDIENCE).')
  }
  if (!accepts(accepted, aud)) {
    const why = Array.isArray(aud)
      ? `aud is the array ${show(aud)}; Prosody compares aud to each accepted audience (${list(accepted)}) with ==, so an array only passes when JWT_ACCEPTED_AUDIENCES contains "*"`
      : `aud is ${show(aud)}, but Prosody accepts only ${list(accepted)} (asap_accepted_audiences, JWT_ACCEPTED_AUDIENCES)`
    return reject('aud', STEP.aud, "invalid 'aud' claim", `${why}, and answers "invalid 'aud' claim". Send aud as one of those strings.`)
  }
  if (Array.isArray(aud)) {
    return hint('aud', `aud is the array ${show(aud)}: it passes only because every audience is accepted ("*"), and fails with "invalid 'aud' claim" as soon as JWT_ACCEPTED_AUDIENCES is set. Send one string, e.g. "jitsi".`)
  }
  return pass('aud', `aud ${show(aud)} is accepted (${list(accepted)}).`)
}
