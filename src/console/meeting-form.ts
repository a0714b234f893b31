/**
 * The /meetings form, read and checked: a room (as people see it), an optional tenant, start and end (the
 * browser's local time, with its UTC offset from the page's script; UTC without it), lobby, features and
 * a guest's display name. Pure; the route turns problems into messages beside their fields.
 */
import { KNOWN_FEATURES, type FeatureFlags } from '../jitsi/features.js'
import { roomNameProblem, TENANT_PATTERN, WILDCARD_ROOM } from '../jitsi/room-name.js'
import type { FieldProblem } from '../schemas/problem.js'

export interface MeetingForm {
  room: string
  tenant?: string
  /** Seconds since 1970. */
  start: number
  end: number
  lobby: boolean
  features?: FeatureFlags
  guestName: string
}

export type FormValues = Record<string, string | string[] | undefined>

const TENANT = new RegExp(TENANT_PATTERN)
const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() ?? ''

/** `2026-12-05T10:00` in the browser's zone; `offset` is Date#getTimezoneOffset() (minutes, UTC − local). */
function time (value: string, offset: number): number | undefined {
  const match = LOCAL_TIME.exec(value)
  if (!match) return undefined
  const [, year, month, day, hour, minute] = match.map(Number) as number[]
  return Math.floor(Date.UTC(year!, month! - 1, day!, hour!, minute!) / 1000) + offset * 60
}

export function readMeetingForm (values: FormValues, now: number, maxTtl: number): { form: MeetingForm } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = []
  const room = one(values.room)
  const roomProblem = room === '' ? 'is required' : room === WILDCARD_ROOM ? 'must name one room' : roomNameProblem(room)
  if (roomProblem) problems.push({ path: 'room', message: roomProblem })
  const tenant = one(values.tenant)
  if (tenant !== '' && !TENANT.test(tenant)) problems.push({ path: 'tenant', message: 'must be letters, digits, _ or - (at most 63)' })
  const offset = Number(one(values.tz) || '0')
  const zone = Number.isInteger(offset) && Math.abs(offset) <= 14 * 60 ? offset : 0
  const start = time(one(values.start), zone)
  const end = time(one(values.end), zone)
  if (start === undefined) problems.push({ path: 'start', message: 'is required, as a date and time' })
  if (end === undefined) problems.push({ path: 'end', message: 'is required, as a date and time' })
  else if (end <= now) problems.push({ path: 'end', message: 'is in the past' })
  else if (start !== undefined && end <= start) problems.push({ path: 'end', message: 'must be after the start' })
  else if (end - now > maxTtl) problems.push({ path: 'end', message: `is too far ahead: your links can be valid for at most ${Math.round(maxTtl / 60)} minutes from now` })
  const chosen = [values.features ?? []].flat().filter(feature => (KNOWN_FEATURES as readonly string[]).includes(feature))
  const guestName = one(values.guestName) || 'Guest'
  if (guestName.length > 100) problems.push({ path: 'guestName', message: 'must be at most 100 characters' })
  if (problems.length > 0) return { problems }
  return {
    form: {
      room,
      ...(tenant !== '' ? { tenant } : {}),
      start: start!,
      end: end!,
      lobby: one(values.lobby) === 'on',
      ...(chosen.length > 0 ? { features: Object.fromEntries(chosen.map(feature => [feature, true])) as FeatureFlags } : {}),
      guestName
    }
  }
}
