/**
 * The two links /meetings hands out, minted like every other token (grant → claims → signer):
 * the signed-in person's own, moderator only when their identity provider makes them one (as the login
 * does); and a guest invitation: a participant token for this room only, not valid before the start nor
 * after the end, with no moderator, no wildcard, no pattern, and features within the person's grant.
 */
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import { applyCallerGrant } from '../clients/caller-grant.js'
import type { Caller } from '../clients/caller.js'
import type { IssuedToken } from '../plugins/token-issuer.js'
import type { FieldProblem } from '../schemas/problem.js'
import type { TokenRequest } from '../schemas/token-request.js'
import type { MeetingForm } from './meeting-form.js'

export interface MeetingLinks {
  host: IssuedToken
  guest: IssuedToken
}

/** Outside the person's grant: the fields that are, for the form to show beside them. */
export class OutsideGrant {
  constructor (readonly problems: FieldProblem[]) {}
}

export async function meetingLinks (fastify: FastifyInstance, config: Config, person: Caller, form: MeetingForm, now: number): Promise<MeetingLinks | OutsideGrant> {
  const place = { room: form.room, ...(form.tenant !== undefined ? { tenant: form.tenant } : {}), ttl: form.end - now }
  const features = form.features ? { features: form.features } : {}
  const host = applyCallerGrant({
    ...place,
    context: { user: { moderator: person.identity!.moderator }, ...(form.lobby ? { room: { lobby: true } } : {}), ...features }
  } as TokenRequest, person, config.jwt)
  // The guest is nobody the identity provider knows, with the person's grant but never a moderator's.
  const guestCaller: Caller = { id: person.id, kind: 'oidc', grants: { ...person.grants, moderator: false } }
  const guest = applyCallerGrant({ ...place, notBefore: form.start, context: { user: { name: form.guestName }, ...features } } as TokenRequest, guestCaller, config.jwt)
  const outside = [host, guest].flatMap(grant => grant.outside ?? [])
  if (outside.length > 0) return new OutsideGrant(outside)
  return { host: await fastify.tokenIssuer.issue(host.granted!), guest: await fastify.tokenIssuer.issue(guest.granted!) }
}
