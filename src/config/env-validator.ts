/**
 * The configuration's validator: env-schema's rules (strings coerced, defaults filled in, unknown
 * variables dropped, every error) on an Ajv of our own. env-schema itself builds an Ajv at import and
 * compiles a meta-schema for a keyword we never use; compiling ours still costs ~60 ms of a start, so
 * the production bundle (scripts/server-bundle.mjs) puts in its place the same validator, generated
 * at build time by Ajv's standalone code generator from these options and this schema.
 */
import { Ajv, type ValidateFunction } from 'ajv'
import { EnvSchema, type Env } from './env-schema.js'

export const ENV_AJV_OPTIONS = { allErrors: true, removeAdditional: true, useDefaults: true, coerceTypes: true, allowUnionTypes: true, validateSchema: false } as const

/** The schema is ours (TypeBox), so it is not re-validated. */
export const ENV_VALIDATION_SCHEMA = { ...EnvSchema, additionalProperties: false }

export function envValidator (): ValidateFunction<Env> {
  return new Ajv(ENV_AJV_OPTIONS).compile<Env>(ENV_VALIDATION_SCHEMA)
}
