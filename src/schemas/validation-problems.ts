/** Turns Ajv's errors into one problem entry per bad field, named by its dotted path. */
import type { FieldProblem } from './problem.js'
import { formatProblem } from './formats.js'
import { ttlHint, unknownFeatureHint, unknownFieldHint } from './problem-hints.js'
import { TOO_DEEP_TYPE } from './json-value.js'

interface AjvError {
  keyword: string
  instancePath: string
  message?: string
  params: Record<string, unknown>
  /** Set on the errors of a propertyNames subschema: the key that failed it. */
  propertyName?: string
}

function dotted (instancePath: string, child?: unknown): string {
  const parts = instancePath.split('/').slice(1).map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'))
  if (typeof child === 'string') parts.push(child)
  return parts.join('.') || '(body)'
}

/** The value at a JSON pointer, to explain a custom format failure. */
function valueAt (data: unknown, instancePath: string): unknown {
  let value = data
  for (const part of instancePath.split('/').slice(1)) {
    value = value !== null && typeof value === 'object' && Object.hasOwn(value, part) ? (value as Record<string, unknown>)[part] : undefined
  }
  return value
}

function describe (error: AjvError, data: unknown): { path: string, message: string } {
  const { keyword, params, instancePath } = error
  // A key that fails propertyNames: Ajv reports the subschema's error (pattern…) on the parent object.
  if (error.propertyName !== undefined) return { path: dotted(instancePath, error.propertyName), message: 'is not an allowed key' }
  // Only a bounded free-form value (json-value.ts) allows exactly the scalars: it nests too deeply.
  if (keyword === 'type' && String(params.type) === TOO_DEEP_TYPE) {
    return { path: dotted(instancePath), message: 'is nested too deeply (arrays and objects inside arrays and objects, beyond the documented depth)' }
  }
  switch (keyword) {
    case 'required':
      return { path: dotted(instancePath, params.missingProperty), message: 'is required' }
    case 'additionalProperties': {
      const path = dotted(instancePath, params.additionalProperty)
      if (instancePath.endsWith('/features')) return { path, message: `is not a known feature name: ${unknownFeatureHint(String(params.additionalProperty))}` }
      const hint = instancePath === '' ? unknownFieldHint(path) : undefined
      return { path, message: hint ? `is not a field: ${hint}` : 'is not a known field' }
    }
    case 'enum':
      return { path: dotted(instancePath), message: `must be one of ${(params.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')}` }
    case 'maximum': {
      const hint = ttlHint(instancePath, valueAt(data, instancePath), Number(params.limit))
      return { path: dotted(instancePath), message: `must be at most ${String(params.limit)}${hint ? `; ${hint}` : ''}` }
    }
    case 'format':
      return { path: dotted(instancePath), message: formatProblem(String(params.format), valueAt(data, instancePath)) ?? error.message ?? 'is invalid' }
    case 'propertyNames':
      return { path: dotted(instancePath, params.propertyName), message: 'is not an allowed key' }
    default:
      return { path: dotted(instancePath), message: error.message ?? 'is invalid' }
  }
}

export function validationProblems (errors: readonly AjvError[], data?: unknown): FieldProblem[] {
  const byPath = new Map<string, string>()
  for (const error of errors) {
    // if/then/else (room as a name or a pattern) adds 'must match "then" schema' on top of the field's own error.
    if (error.keyword === 'if') continue
    const { path, message } = describe(error, data)
    // propertyNames reports a key twice (its subschema's error, then the wrapper); keep the first message per field.
    if (!byPath.has(path)) byPath.set(path, message)
  }
  return [...byPath].map(([path, message]) => ({ path, message }))
}
