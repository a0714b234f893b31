/**
 * The schema's (Ajv's) errors in an operator's words: the variable, what it must be, and what was
 * given, never a raw regular expression, and never a secret's value (only its length).
 */
import type { TSchema } from '@sinclair/typebox'

export interface SchemaError { instancePath: string, keyword: string, message?: string, params: Record<string, unknown> }

/** What a value matching the schema's pattern looks like. */
const EXPECTED_FORM: Record<string, string> = {
  PUBLIC_URL: 'an http(s) URL without query or fragment, e.g. https://meet.example.org',
  XMPP_DOMAIN: 'a domain name of letters, digits, "." and "-", e.g. meet.jitsi',
  JAAS_APP_ID: 'a JaaS AppID, vpaas-magic-cookie-<32 hex digits>',
  RATE_LIMIT_REDIS_URL: 'a redis:// or rediss:// URL',
  OIDC_ISSUER: 'an http(s) URL, e.g. https://sso.example.org/realms/example',
  OIDC_JWKS_URL: 'an http(s) URL'
}

/** Variables whose value must never be repeated back: secrets, keys and URLs that may carry a password. */
export const isSecretVariable = (name: string) => /SECRET|TOKEN|PASSWORD|PRIVATE_KEY|REDIS_URL/.test(name)

export function given (variable: string, value: unknown): string {
  const text = String(value)
  if (isSecretVariable(variable)) return `given: ${text.length} characters`
  return `given: ${JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text)}`
}

function expectation (variable: string, error: SchemaError, schema: TSchema | undefined): string {
  const limit = error.params.limit
  switch (error.keyword) {
    case 'type': return schema?.type === 'integer' ? 'must be a whole number' : `must be a ${String(error.params.type)}`
    case 'minimum': return `must be at least ${String(limit)}`
    case 'maximum': return `must be at most ${String(limit)}`
    case 'minLength': return limit === 1 ? 'must not be empty' : `must be at least ${String(limit)} characters`
    case 'maxLength': return `must be at most ${String(limit)} characters`
    case 'enum': return `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`
    case 'pattern': return `must be ${EXPECTED_FORM[variable] ?? `of the documented form${schema?.description ? ` (${schema.description})` : ''}`}`
  }
  // A union of literals (e.g. JWT_PROFILE): Ajv reports each branch; the choices say it better.
  const choices = (schema?.anyOf as TSchema[] | undefined)?.map(branch => branch.const)
  return choices?.every(choice => typeof choice === 'string') ? `must be one of ${choices.join(', ')}` : `${error.message}`
}

/** One problem per variable, in schema order of the errors. */
export function envProblems (errors: SchemaError[], properties: Record<string, TSchema>, env: Record<string, unknown>): Array<{ variable: string, problem: string }> {
  const byVariable = new Map<string, SchemaError>()
  for (const error of errors) {
    const variable = error.instancePath.slice(1)
    // A union's summary error comes last and names the choices: it wins over its branches.
    if (!byVariable.has(variable) || error.keyword === 'anyOf') byVariable.set(variable, error)
  }
  return [...byVariable].map(([variable, error]) => ({
    variable,
    problem: `${expectation(variable, error, properties[variable])} (${given(variable, env[variable])})`
  }))
}
