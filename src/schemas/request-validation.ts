/**
 * How request bodies are validated: Fastify's Ajv for every route, and the login's own check of the
 * room it mints for, with the same options so both refuse the same things with the same words.
 */
import { FORMATS } from './formats.js'

export const REQUEST_AJV_OPTIONS = {
  // Refuse what is wrong instead of quietly fixing it: no coercion, no stripping.
  coerceTypes: false,
  removeAdditional: false,
  allErrors: true,
  useDefaults: true,
  // Bounded free-form values say their types as one list (schemas/json-value.ts).
  allowUnionTypes: true,
  formats: FORMATS
} as const
