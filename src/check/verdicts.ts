/**
 * The live check's expectations, judged from what Prosody and jicofo did with each token. A verdict
 * that fails names the settings that usually cause it (src/jitsi/deployment-roles.ts).
 */
import { JICOFO_OWNS_ALL, NOTHING_READS_CLAIM, WAIT_FOR_HOST_OWNS_ALL } from '../jitsi/deployment-roles.js'
import type { CheckTokenKind } from './check-tokens.js'
import type { JoinOutcome } from './xmpp-join.js'

export interface Verdict {
  expectation: string
  met: boolean
  observed: string
  /** Why it failed and the setting to change. */
  why?: string
}

export type Outcomes = Record<CheckTokenKind, JoinOutcome>

export function describeOutcome (outcome: JoinOutcome): string {
  if (!outcome.authenticated) return `refused at login (${outcome.refusal})`
  if (outcome.lobby) return `held in the lobby (${outcome.refusal})`
  if (!outcome.joined) return `refused at join (${outcome.refusal})`
  return `joined as ${outcome.role ?? 'no role'} (affiliation ${outcome.affiliation ?? 'none'})`
}

const isModerator = (outcome: JoinOutcome) => outcome.joined && outcome.role === 'moderator'

function moderatorVerdict (outcome: JoinOutcome): Verdict {
  const verdict = { expectation: 'moderator token → moderator', met: isModerator(outcome), observed: describeOutcome(outcome) }
  if (verdict.met) return verdict
  const why = !outcome.authenticated
    ? 'Prosody refused this service\'s token: run `jitsi-token-service doctor --env <.env>` on a token to see which setting differs'
    : outcome.lobby
      ? 'the lobby held the moderator: Jitsi\'s token_affiliation does nothing while the lobby is on; load token_lobby_bypass (XMPP_MUC_MODULES)'
      : outcome.joined ? NOTHING_READS_CLAIM : 'Prosody refused the join: see the reason above'
  return { ...verdict, why }
}

function guestVerdict (outcome: JoinOutcome): Verdict {
  const met = outcome.lobby || (outcome.joined && outcome.role !== 'moderator')
  const verdict = { expectation: 'guest token → participant, not moderator', met, observed: describeOutcome(outcome) }
  if (met) return verdict
  const why = isModerator(outcome)
    ? `the deployment made a guest moderator: ${JICOFO_OWNS_ALL}; or ${WAIT_FOR_HOST_OWNS_ALL}`
    : outcome.authenticated ? 'Prosody refused the guest\'s join: see the reason above' : 'Prosody refused this service\'s token: see the reason above'
  return { ...verdict, why }
}

function refusedVerdict (expectation: string, outcome: JoinOutcome, why: string): Verdict {
  const met = !outcome.joined && !outcome.lobby
  return { expectation, met, observed: describeOutcome(outcome), ...(met ? {} : { why }) }
}

export function judge (outcomes: Outcomes): Verdict[] {
  return [
    moderatorVerdict(outcomes.moderator),
    guestVerdict(outcomes.guest),
    refusedVerdict('token for another room → refused', outcomes.otherRoom, 'Prosody does not compare the room claim: keep token_verification (JWT_TOKEN_AUTH_MODULE) loaded on the MUC component'),
    refusedVerdict('expired token → refused', outcomes.expired, 'Prosody accepted an expired token: its token authentication is not Jitsi\'s (AUTH_TYPE=jwt, JWT_AUTH_TYPE=token)')
  ]
}
