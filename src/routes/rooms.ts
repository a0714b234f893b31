/**
 * Meeting control for API clients, through Prosody's own modules (prosody/meeting-control.ts):
 * POST /rooms/{room}/end, DELETE /rooms/{room}/participants/{id}, GET /rooms/{room},
 * POST /rooms/{room}/messages (refused: see below), and GET /system-keys/<sha256(kid)>.pem, the key
 * repository Prosody verifies system tokens with. Each call: caller → control grant on the room as
 * emitted → system token → Prosody → answer → audit line and metric. Refused calls never reach Prosody.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { Counter } from 'prom-client'
import { randomUUID } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { controlGrantProblems } from '../clients/control-grant.js'
import type { ControlAction } from '../clients/grants.js'
import { roomClaim, roomNameProblem, tenantClaim, WILDCARD_ROOM } from '../jitsi/room-name.js'
import { endMeeting, readRoom, removeParticipant, type RoomAddress } from '../prosody/meeting-control.js'
import { systemToken } from '../prosody/system-token.js'
import { sendProblem } from '../plugins/error-handler.js'
import { invalidFields, outsideGrant, ProblemError } from '../problems.js'
import { ProblemSchema } from '../schemas/problem.js'
import { PEM_FILE } from './keys.js'
import { ControlDoneSchema, ParticipantParamsSchema, RoomParamsSchema, RoomStateSchema, TenantQuerySchema } from '../schemas/rooms.js'
import { buildClaims } from '../jitsi/claims.js'
import { issuerSettings } from '../plugins/token-issuer.js'

declare module 'fastify' {
  interface FastifyRequest { control?: { action: ControlAction, room?: string, tenant?: string, participant?: string, event?: string } }
}

const ERRORS = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 429: ProblemSchema, 502: ProblemSchema, 504: ProblemSchema }

const rooms: FastifyPluginAsyncTypebox<{ config: Config }> = async (fastify, opts) => {
  const { config } = opts
  const control = config.meetingControl
  const tokenSettings = { issuer: config.jwt.appId, audience: config.jwt.audience, xmppDomain: config.xmppDomain, nbfSkew: config.jwt.nbfSkew }
  const done = new Counter({
    name: 'jitsi_meeting_control_total',
    help: 'Meeting-control calls, by API client, action and outcome (done, or the refusal reason)',
    labelNames: ['client', 'action', 'outcome'] as const,
    registers: [fastify.metricsRegistry]
  })

  /** The checks every control call makes before anything reaches Prosody. */
  function authorise (request: FastifyRequest, action: ControlAction, room: string, tenant: string | undefined): RoomAddress {
    request.control = { action }
    if (!control) throw new ProblemError(409, 'meeting_control_off', 'Meeting control is off: set PROSODY_HTTP_URL, SYSTEM_PRIVATE_KEY and SYSTEM_KID (docs/meeting-control.md).')
    const caller = request.caller!
    if (caller.kind !== 'api-key') throw new ProblemError(403, 'api_clients_only', 'Meeting control is for API clients (an API key with a control grant).')
    const nameProblem = room === WILDCARD_ROOM ? 'must name one room, not "*"' : roomNameProblem(room)
    if (nameProblem) throw invalidFields([{ path: 'room', message: nameProblem }])
    const outside = controlGrantProblems(action, room, tenant, caller)
    if (outside.length > 0) throw outsideGrant(outside)
    const address = { room: roomClaim(room), ...(tenant !== undefined ? { tenant: tenantClaim(tenant) } : {}) }
    request.control = { action, ...address }
    return address
  }

  fastify.addHook('onResponse', async (request, reply) => {
    if (!request.control) return
    const refused = reply.statusCode >= 400
    const outcome = refused ? request.refusal!.reason : 'done'
    done.inc({ client: request.caller?.kind === 'api-key' ? request.caller.id : 'none', action: request.control.action, outcome })
    request.log.info({
      event: refused ? 'meeting.refused' : request.control.event,
      requestId: request.id,
      client: request.caller?.id,
      ip: request.ip,
      action: request.control.action,
      room: request.control.room,
      tenant: request.control.tenant,
      participant: request.control.participant,
      status: reply.statusCode,
      ...(refused ? { reason: outcome } : {})
    }, refused ? 'meeting control refused' : 'meeting control done')
  })

  const common = { onRequest: fastify.authenticate, config: { rateLimit: { hook: 'preHandler' as const, keyGenerator: (request: FastifyRequest) => `client:${request.caller!.id}` } } }

  fastify.post('/rooms/:room/end', {
    ...common,
    schema: {
      summary: 'End a meeting',
      description: 'Prosody\'s mod_muc_end_meeting destroys the room: everyone is disconnected. Needs the `end` control grant on the room.',
      tags: ['meetings'],
      security: [{ apiKey: [] }],
      params: RoomParamsSchema,
      querystring: TenantQuerySchema,
      response: { 200: ControlDoneSchema, ...ERRORS }
    }
  }, async (request) => {
    const address = authorise(request, 'end', request.params.room, request.query.tenant)
    await endMeeting(control!, config.xmppDomain, address, systemToken(control!.systemKey, tokenSettings))
    request.control!.event = 'meeting.ended'
    return { ...address, done: 'ended' as const }
  })

  fastify.delete('/rooms/:room/participants/:id', {
    ...common,
    schema: {
      summary: 'Remove a participant',
      description: 'Prosody\'s mod_muc_kick_participant removes the participant with this id (GET /rooms/{room} lists them). Needs the `kick` control grant on the room.',
      tags: ['meetings'],
      security: [{ apiKey: [] }],
      params: ParticipantParamsSchema,
      querystring: TenantQuerySchema,
      response: { 200: ControlDoneSchema, ...ERRORS }
    }
  }, async (request) => {
    const address = authorise(request, 'kick', request.params.room, request.query.tenant)
    request.control!.participant = request.params.id
    await removeParticipant(control!, address, request.params.id, systemToken(control!.systemKey, tokenSettings))
    request.control!.event = 'participant.removed'
    return { ...address, done: 'removed' as const }
  })

  fastify.get('/rooms/:room', {
    ...common,
    schema: {
      summary: 'Who is in a meeting',
      description: 'From Prosody\'s mod_muc_size: the participants (jicofo not counted) with their ids and display names. Needs the `read` control grant on the room.',
      tags: ['meetings'],
      security: [{ apiKey: [] }],
      params: RoomParamsSchema,
      querystring: TenantQuerySchema,
      response: { 200: RoomStateSchema, ...ERRORS }
    }
  }, async (request) => {
    const address = authorise(request, 'read', request.params.room, request.query.tenant)
    // With enable_roomsize_token_verification the module wants a login token valid for this room.
    const claims = buildClaims({ room: request.params.room, ...(request.query.tenant !== undefined ? { tenant: request.query.tenant } : {}), ttl: 60 }, issuerSettings(config), Date.now(), randomUUID())
    const participants = await readRoom(control!, config.xmppDomain, address, await fastify.signer.sign(claims))
    request.control!.event = 'meeting.read'
    return { ...address, count: participants.length, participants }
  })

  fastify.post('/rooms/:room/messages', {
    ...common,
    schema: {
      summary: 'Send a system message (not possible)',
      description: 'Prosody\'s mod_system_chat_message delivers only to participants\' real XMPP addresses, which none of Jitsi\'s HTTP modules report; a message sent to anything else is answered 200 and silently dropped. This route therefore always refuses with 409.',
      tags: ['meetings'],
      security: [{ apiKey: [] }],
      params: RoomParamsSchema,
      querystring: TenantQuerySchema,
      response: ERRORS
    }
  }, async (request) => {
    authorise(request, 'message', request.params.room, request.query.tenant)
    throw new ProblemError(409, 'messages_undeliverable', 'Jitsi\'s mod_system_chat_message needs participants\' real XMPP addresses, and no Jitsi HTTP module reports them; a message would be accepted and never delivered, so none is sent.')
  })

  fastify.get('/system-keys/:file', {
    schema: {
      summary: 'System public key for Prosody\'s prosody_password_public_key_repo_url',
      description: 'The SPKI PEM of the system key whose kid hashes (SHA-256, lower-case hex) to the file name. Only the system key: login keys are never served here.',
      tags: ['keys'],
      params: Type.Object({ file: Type.String({ description: '<sha256 hex of SYSTEM_KID>.pem' }) }),
      response: {
        200: { description: 'SPKI public key', content: { 'application/x-pem-file': { schema: { type: 'string' } } } },
        404: ProblemSchema
      }
    }
  }, async (request, reply) => {
    const pathId = PEM_FILE.exec(request.params.file)?.[1]
    if (!control || pathId !== control.systemKey.pathId) {
      return sendProblem(request, reply, { status: 404, reason: 'unknown_key', detail: 'No system key has this id; the file name is the SHA-256 hex of SYSTEM_KID, then .pem.' })
    }
    return reply.type('application/x-pem-file').header('cache-control', 'public, max-age=300').send(control.systemKey.publicPem)
  })
}

export default rooms
