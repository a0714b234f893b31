/**
 * A free-form JSON value with bounded nesting, as a schema: Ajv refuses a deeper value with the other
 * bad fields, before anything is signed or serialised (JSON.stringify of a value nested a few thousand
 * levels deep overflows the stack).
 */
import { Type, type TSchema } from '@sinclair/typebox'

/** The scalar types, in the order Ajv names them when a value nested too deeply is refused. */
export const JSON_SCALAR_TYPES = ['null', 'boolean', 'number', 'string'] as const

/** Ajv's `type` error parameter for a value nested deeper than the limit (validation-problems.ts). */
export const TOO_DEEP_TYPE = JSON_SCALAR_TYPES.join(',')

/**
 * Any JSON value with at most `depth` levels of arrays and objects. Each level names the next twice
 * (items, additionalProperties), so the schema grows as 2^depth: keep depth small.
 */
export function boundedJsonValue (depth: number): TSchema {
  if (depth === 0) return Type.Unsafe({ type: [...JSON_SCALAR_TYPES] })
  const inner = boundedJsonValue(depth - 1)
  return Type.Unsafe({ type: [...JSON_SCALAR_TYPES, 'array', 'object'], items: inner, additionalProperties: inner })
}
