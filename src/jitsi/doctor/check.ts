/**
 * What the token doctor reports. A check either passes, fails as a hint (Prosody still accepts the
 * token, but something will go wrong later or in the web client), or is a rejection: Prosody refuses
 * the token and says `message` in its log and in the SASL <not-allowed/> text (docs/jitsi.md §0).
 */

/** One line of the report, as the API returns it. */
export interface Check {
  name: string
  ok: boolean
  /** True when this failure alone makes Prosody reject the token. */
  blocking: boolean
  /** A sentence a person can act on. */
  detail: string
}

export interface Diagnosis {
  /** Prosody's verdict: no blocking check failed. */
  valid: boolean
  /** What Prosody reports for the first failure it runs into (its log line and <text>), when invalid. */
  reason?: string
  checks: Check[]
}

/**
 * Where each rejection happens in Prosody, in the order it runs: process_and_verify_token
 * (token/util.lib.lua L264–382) calls luajwtjitsi M.verify (L184–261), then verify_room (L394–523)
 * runs at join time. Several failures can be found at once; Prosody reports the earliest.
 */
export const STEP = {
  keyServerHeader: 1,
  kid: 2,
  parse: 3,
  typ: 4,
  alg: 5,
  signature: 6,
  expType: 7,
  nbfType: 8,
  expTime: 9,
  nbfTime: 10,
  iss: 11,
  aud: 12,
  roomPresent: 13,
  subPresent: 14,
  roomMatch: 15,
  domainMatch: 16
} as const

export interface CheckResult {
  name: string
  ok: boolean
  detail: string
  rejection?: { step: number, message: string }
}

export const pass = (name: string, detail: string): CheckResult => ({ name, ok: true, detail })

/** Prosody accepts the token, but this will bite: the web client's hints, tokens that never expire. */
export const hint = (name: string, detail: string): CheckResult => ({ name, ok: false, detail })

export const reject = (name: string, step: number, message: string, detail: string): CheckResult =>
  ({ name, ok: false, detail, rejection: { step, message } })

export function summarize (results: CheckResult[]): Diagnosis {
  const rejections = results.filter(result => result.rejection !== undefined)
  const first = rejections.sort((a, b) => a.rejection!.step - b.rejection!.step)[0]
  return {
    valid: first === undefined,
    ...(first ? { reason: first.rejection!.message } : {}),
    checks: results.map(({ name, ok, detail, rejection }) => ({ name, ok, blocking: rejection !== undefined, detail }))
  }
}

/** A claim value as it appears in a sentence: JSON, cut short so a huge claim cannot flood the report. */
export function show (value: unknown, max = 80): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value)
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** Lua's string.lower in the C locale: only ASCII letters (docs/jitsi.md §0 rule 12, jitsi-meet#16206). */
export function luaLower (text: string): string {
  return text.replace(/[A-Z]+/g, letters => letters.toLowerCase())
}
