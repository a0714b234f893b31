import { Type, type Static } from '@sinclair/typebox'

export const TokenResponseSchema = Type.Object({
  token: Type.String({ description: 'The signed JWT' }),
  url: Type.Optional(Type.String({ description: 'Meeting link carrying the token; absent for a wildcard room' })),
  room: Type.String({ description: 'The room claim: the backend-safe room name Prosody compares' }),
  expiresAt: Type.String({ format: 'date-time' }),
  notes: Type.Optional(Type.Array(Type.String(), { description: 'How Jitsi will read this token where it may surprise, e.g. that Prosody applies a room pattern only with domain verification on' }))
}, { $id: 'TokenResponse' })

export type TokenResponse = Static<typeof TokenResponseSchema>
