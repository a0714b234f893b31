/**
 * Security headers. The API answers JSON only, so the strictest content security policy fits it.
 * helmet works the values out once at start-up; the request pipeline gives every answer the same headers.
 * (@fastify/helmet runs helmet(options) – thirteen middlewares, the policy parsed again – on every
 * request: ~8 % of an issuance's CPU in bench/profile.ts.) Routes that serve a page (the docs) set
 * their own content-security-policy header, which replaces this one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet, { type HelmetOptions } from 'helmet'

export const SECURITY_HEADER_OPTIONS: Readonly<HelmetOptions> = {
  // useDefaults: false, or helmet merges in its page defaults (script-src 'self', inline styles…).
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginResourcePolicy: { policy: 'cross-origin' }
}

/** The headers helmet writes for `options`, captured from a stand-in response. Static policies only. */
export function securityHeaderValues (options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader (name: string, value: string) { headers[name.toLowerCase()] = value },
    removeHeader (name: string) { delete headers[name.toLowerCase()] }
  }
  // An invalid policy throws here, at start-up.
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {})
  return headers
}
