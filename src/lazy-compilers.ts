/**
 * Fastify's own schema compilers (ajv for request validation, fast-json-stringify for responses),
 * run when a route first needs them instead of when it is registered: compiling every route's
 * schemas is the largest part of start-up, and routes a deployment never calls (the doctor, the key
 * server, the docs) then cost nothing. The first request to a route pays its compilation once.
 */
import ValidatorSelector from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

type Validate = ((data: unknown) => unknown) & { errors?: unknown }

/** A validator compiled on its first call; Fastify reads `.errors` off it after a failed call. */
export function lazyValidator (compile: () => Validate): Validate {
  let validate: Validate | undefined
  const lazy: Validate = (data) => {
    validate ??= compile()
    const valid = validate(data)
    lazy.errors = validate.errors
    return valid
  }
  return lazy
}

export function lazySerializer (compile: () => (data: unknown) => string): (data: unknown) => string {
  let serialize: ((data: unknown) => string) | undefined
  return (data) => (serialize ??= compile())(data)
}

type Builder = (externalSchemas: unknown, options: unknown) => (route: unknown) => unknown

export const lazySchemaController: FastifyServerOptions['schemaController'] = {
  compilersFactory: {
    buildValidator: ((externalSchemas, options) => {
      const compilerFor = (ValidatorSelector() as unknown as Builder)(externalSchemas, options)
      return (route: unknown) => lazyValidator(() => compilerFor(route) as Validate)
    }) as Builder as never,
    buildSerializer: ((externalSchemas, options) => {
      const compilerFor = (SerializerSelector() as unknown as Builder)(externalSchemas, options)
      return (route: unknown) => lazySerializer(() => compilerFor(route) as (data: unknown) => string)
    }) as Builder as never
  }
}
