/**
 * Custom JSON Schema formats, registered with Fastify's Ajv, so rules that a pattern cannot say well
 * are still checked with every other field and reported together with them.
 */
import { roomNameProblem, WILDCARD_ROOM } from '../jitsi/room-name.js'
import { roomPatternProblem } from '../jitsi/room-pattern.js'
import { xmlTextProblem } from '../jitsi/xml-text.js'

/** A room name the web client keeps intact in a URL (docs/jitsi.md §3.4), or the wildcard. */
function jitsiRoomProblem (value: string): string | undefined {
  return value === WILDCARD_ROOM ? undefined : roomNameProblem(value)
}

const PROBLEMS: Record<string, (value: string) => string | undefined> = {
  'jitsi-room': jitsiRoomProblem,
  // `room` with context.room.regex: a Lua pattern as Prosody bounds it (jitsi/room-pattern.ts).
  'lua-room-pattern': roomPatternProblem,
  // Values mod_presence_identity puts into every participant's presence (jitsi/xml-text.ts).
  'xml-text': xmlTextProblem
}

/** Ajv `formats` option. */
export const FORMATS = Object.fromEntries(
  Object.entries(PROBLEMS).map(([name, problem]) => [name, (value: string) => problem(value) === undefined])
)

/** The sentence for a value that failed a custom format, or undefined for Ajv's own formats. */
export function formatProblem (format: string, value: unknown): string | undefined {
  const problem = PROBLEMS[format]
  return problem && typeof value === 'string' ? problem(value) : undefined
}
