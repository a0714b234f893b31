/** Turns Ajv's errors into one problem entry per bad field, named by its dotted path. */
import type { FieldProblem } from './problem.js'

interface AjvError {
  keyword: string
  instancePath: string
  message?: string
  params: Record<string, unknown>
}

function dotted (instancePath: string, child?: unknown): string {
  const parts = instancePath.split('/').slice(1).map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'))
  if (typeof child === 'string') parts.push(child)
  return parts.join('.') || '(body)'
}

function describe (error: AjvError): { path: string, message: string } {
  const { keyword, params, instancePath } = error
  switch (keyword) {
    case 'required':
      return { path: dotted(instancePath, params.missingProperty), message: 'is required' }
    case 'additionalProperties':
      return {
        path: dotted(instancePath, params.additionalProperty),
        message: instancePath.endsWith('/features') ? 'is not a known feature name' : 'is not a known field'
      }
    case 'enum':
      return { path: dotted(instancePath), message: `must be one of ${(params.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')}` }
    case 'propertyNames':
      return { path: dotted(instancePath, params.propertyName), message: 'is not an allowed key' }
    default:
      return { path: dotted(instancePath), message: error.message ?? 'is invalid' }
  }
}

export function validationProblems (errors: readonly AjvError[]): FieldProblem[] {
  const byPath = new Map<string, string>()
  for (const error of errors) {
    const { path, message } = describe(error)
    // propertyNames reports the key twice (the pattern, then the wrapper); keep the first message per field.
    if (!byPath.has(path)) byPath.set(path, message)
  }
  return [...byPath].map(([path, message]) => ({ path, message }))
}
