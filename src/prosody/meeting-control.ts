/**
 * The calls Prosody's meeting modules answer, each with the address form its module wants (docs/jitsi.md
 * §13): mod_muc_end_meeting takes the room's JID (a tenant's room as `room@<muc prefix>.<tenant>.<domain>`,
 * which it rewrites to `[tenant]room`); mod_muc_kick_participant takes the room name, which it
 * URL-encodes again itself, and the tenant as `prefix`; mod_muc_size takes the room as emitted, the XMPP
 * domain and the tenant as `subdomain`. Their answers become problems that say which side refused.
 */
import type { MeetingControlConfig } from '../config/meeting-control-config.js'
import { ProblemError } from '../problems.js'
import { callProsody } from './prosody-http.js'

export interface RoomAddress {
  /** The room claim as emitted (percent-encoded, lower-case). */
  room: string
  /** The tenant as emitted (lower-case). */
  tenant?: string
}

export interface Participant {
  /** The occupant's nick: Jitsi's endpoint id, what DELETE …/participants/{id} takes. */
  id: string
  displayName: string
}

const KEY_REPOSITORY_HINT = 'check that Prosody\'s prosody_password_public_key_repo_url points at this service\'s /system-keys and that its main VirtualHost verifies RS256 (docs/meeting-control.md)'

function refusedToken (status: number, module: string): ProblemError {
  return new ProblemError(502, 'prosody_refused_token', `Prosody's ${module} refused this service's system token (${status}): ${KEY_REPOSITORY_HINT}.`)
}

function unexpected (status: number, module: string): ProblemError {
  return new ProblemError(502, 'prosody_error', `Prosody's ${module} answered ${status}: is the module loaded (docs/meeting-control.md)?`)
}

function mucHost (control: MeetingControlConfig, xmppDomain: string, tenant: string | undefined): string {
  if (tenant === undefined) return control.mucDomain
  const prefix = control.mucDomain.split('.')[0]!
  return `${prefix}.${tenant}.${xmppDomain}`
}

export async function endMeeting (control: MeetingControlConfig, xmppDomain: string, address: RoomAddress, systemToken: string): Promise<void> {
  const query = new URLSearchParams({ conference: `${address.room}@${mucHost(control, xmppDomain, address.tenant)}` })
  const answer = await callProsody(`${control.prosodyUrl}/end-meeting?${query}`, { method: 'POST', headers: { authorization: `Bearer ${systemToken}` } }, control.timeoutMs)
  if (answer.status === 200) return
  if (answer.status === 401) throw refusedToken(401, 'mod_muc_end_meeting')
  if (answer.status === 404) throw new ProblemError(404, 'no_such_room', 'Prosody has no such room: the meeting is not running (or has already ended).')
  throw unexpected(answer.status, 'mod_muc_end_meeting')
}

export async function removeParticipant (control: MeetingControlConfig, address: RoomAddress, participantId: string, systemToken: string): Promise<void> {
  // The module URL-encodes the room name itself, so it gets the name decoded. Its encoding differs from the
  // web client's only for ! ' ( ) *, which room names never hold (jitsi/room-name.ts refuses them).
  const query = new URLSearchParams({ room: decodeURIComponent(address.room) })
  if (address.tenant !== undefined) query.set('prefix', address.tenant)
  const answer = await callProsody(`${control.prosodyUrl}/kick-participant?${query}`, {
    method: 'PUT',
    // Exactly this content type: the module compares the header with "application/json".
    headers: { authorization: `Bearer ${systemToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ participantId })
  }, control.timeoutMs)
  if (answer.status === 200) return
  if (answer.status === 403) throw refusedToken(403, 'mod_muc_kick_participant')
  if (answer.status === 404) throw new ProblemError(404, 'no_such_participant', 'Prosody has no such room, or no participant with this id in it.')
  throw unexpected(answer.status, 'mod_muc_kick_participant')
}

/** @param loginToken a token for this room, for deployments with enable_roomsize_token_verification. */
export async function readRoom (control: MeetingControlConfig, xmppDomain: string, address: RoomAddress, loginToken: string): Promise<Participant[]> {
  const query = new URLSearchParams({ room: address.room, domain: xmppDomain })
  if (address.tenant !== undefined) query.set('subdomain', address.tenant)
  query.set('token', loginToken)
  const answer = await callProsody(`${control.prosodyUrl}/room?${query}`, { method: 'GET' }, control.timeoutMs)
  if (answer.status === 404) throw new ProblemError(404, 'no_such_room', 'Prosody has no such room: nobody is in this meeting.')
  if (answer.status === 403) {
    throw new ProblemError(502, 'prosody_refused_token', 'Prosody\'s mod_muc_size refused the room token (enable_roomsize_token_verification): it must accept this service\'s login tokens.')
  }
  if (answer.status !== 200) throw unexpected(answer.status, 'mod_muc_size')
  let occupants: unknown
  try {
    occupants = JSON.parse(answer.body)
  } catch {
    throw unexpected(answer.status, 'mod_muc_size (not JSON)')
  }
  if (!Array.isArray(occupants)) throw unexpected(answer.status, 'mod_muc_size (not a list)')
  return occupants.map((occupant: { jid?: unknown, display_name?: unknown }) => {
    const jid = typeof occupant.jid === 'string' ? occupant.jid : ''
    return { id: jid.slice(jid.indexOf('/') + 1), displayName: typeof occupant.display_name === 'string' ? occupant.display_name : '' }
  })
}
