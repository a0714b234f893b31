/** The meeting-control API's request and answer shapes (routes/rooms.ts). */
import { Type } from '@sinclair/typebox'
import { TENANT_PATTERN } from '../jitsi/room-name.js'

export const RoomParamsSchema = Type.Object({
  room: Type.String({ minLength: 1, maxLength: 200, description: 'The room as people see it (as in POST /tokens); turned into the room as emitted' })
})

export const ParticipantParamsSchema = Type.Object({
  room: RoomParamsSchema.properties.room,
  id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'The participant\'s id (Jitsi\'s endpoint id, as GET /rooms/{room} lists it)' })
})

export const TenantQuerySchema = Type.Object({
  tenant: Type.Optional(Type.String({ pattern: TENANT_PATTERN, description: 'Tenant (https://host/<tenant>/<room>)' }))
}, { additionalProperties: false })

export const ControlDoneSchema = Type.Object({
  room: Type.String({ description: 'The room as emitted, as Prosody knows it' }),
  tenant: Type.Optional(Type.String()),
  done: Type.Union([Type.Literal('ended'), Type.Literal('removed')], { description: 'What Prosody did' })
})

export const RoomStateSchema = Type.Object({
  room: Type.String({ description: 'The room as emitted' }),
  tenant: Type.Optional(Type.String()),
  count: Type.Integer({ description: 'Participants, jicofo not counted' }),
  participants: Type.Array(Type.Object({ id: Type.String(), displayName: Type.String() }))
})
