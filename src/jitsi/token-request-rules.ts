/** Checks on a token request that a JSON schema cannot express. Each returns the offending fields. */
import type { FieldProblem } from '../schemas/problem.js'
import { roomNameProblem, WILDCARD_ROOM } from './room-name.js'

export interface TokenLimits {
  defaultTtl: number
  maxTtl: number
}

export function ttlProblem (ttl: number, limits: TokenLimits): FieldProblem | undefined {
  if (ttl > limits.maxTtl) return { path: 'ttl', message: `must be at most ${limits.maxTtl} seconds (JWT_MAX_TTL)` }
  return undefined
}

export function roomProblem (room: string): FieldProblem | undefined {
  if (room === WILDCARD_ROOM) return undefined
  const problem = roomNameProblem(room)
  return problem ? { path: 'room', message: problem } : undefined
}

export function tokenRequestProblems (request: { room: string, ttl?: number }, limits: TokenLimits): FieldProblem[] {
  return [roomProblem(request.room), ttlProblem(request.ttl ?? limits.defaultTtl, limits)]
    .filter((problem): problem is FieldProblem => problem !== undefined)
}
