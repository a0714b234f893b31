/**
 * exp and nbf: JSON numbers of seconds, compared with os.time() without leeway (luajwtjitsi
 * L219–238; docs/jitsi.md §0 rules 6–7, §7 on the wiki's "milliseconds").
 */
import { STEP, hint, pass, reject, show, type CheckResult } from './check.js'

/** 10^11 s is the year 5138; a NumericDate that large is almost certainly milliseconds. */
const MILLISECONDS = 1e11

export function duration (seconds: number): string {
  const s = Math.abs(seconds)
  if (s < 120) return `${Math.round(s)} s`
  if (s < 7200) return `${Math.round(s / 60)} min`
  if (s < 172_800) return `${Math.round(s / 3600)} h`
  return `${Math.round(s / 86_400)} days`
}

/**
 * JavaScript dates reach ±8.64e15 ms (ECMA-262 §21.4.1.1); beyond that toISOString throws. Values
 * that far ahead are reported as milliseconds before any date is shown, so only the past needs this.
 */
const FIRST_DATE_SECONDS = -8.64e12

function date (seconds: number): string {
  if (seconds < FIRST_DATE_SECONDS) return 'before the year -271821'
  return new Date(seconds * 1000).toISOString()
}

/** Lua truthiness: `false` and an absent key are "no claim"; JSON null (cjson.null) is a value. */
const absent = (value: unknown) => value === undefined || value === false

function notANumber (name: 'exp' | 'nbf', value: unknown, step: number): CheckResult {
  const message = `${name} must be number`
  const fix = typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
    ? 'remove the quotes around it (jitsi-meet#1871)'
    : `send ${name} as a number of seconds since 1970`
  return reject(name, step, message, `${name} is ${show(value)}, not a JSON number, so Prosody answers "${message}": ${fix}.`)
}

export function expCheck (payload: Record<string, unknown>, now: number): CheckResult {
  const { exp, iat } = payload
  if (absent(exp)) {
    return hint('exp', 'There is no exp: Prosody accepts the token and it never expires, and the web client flags "invalid exp". Always send exp = now + TTL in seconds.')
  }
  if (typeof exp !== 'number') return notANumber('exp', exp, STEP.expType)
  if (exp >= MILLISECONDS) {
    return hint('exp', `exp ${exp} looks like milliseconds: read as seconds it is thousands of years ahead, so Prosody accepts the token but it never expires. Send seconds (Math.floor(Date.now() / 1000) + ttl); the wiki's "milliseconds" is wrong.`)
  }
  if (now >= exp) {
    const validFor = typeof iat === 'number' ? `, valid for:${exp - iat} sec` : ''
    const message = `Not acceptable by exp (${now - exp} sec since expired${validFor})`
    return reject('exp', STEP.expTime, message, `The token expired ${duration(now - exp)} ago (exp ${exp}, ${date(exp)}), so Prosody answers "Not acceptable by exp". Mint a new one; if it should still be valid, check the issuer's and Prosody's clocks (Prosody allows no leeway).`)
  }
  return pass('exp', `exp is in seconds: the token expires in ${duration(exp - now)} (${date(exp)}). After that Prosody refuses joins and reconnects with it; a meeting in progress goes on.`)
}

export function nbfCheck (payload: Record<string, unknown>, now: number): CheckResult {
  const { nbf } = payload
  if (absent(nbf)) return pass('nbf', 'There is no nbf: the token is valid from the moment it is issued.')
  if (typeof nbf !== 'number') return notANumber('nbf', nbf, STEP.nbfType)
  const message = 'Not acceptable by nbf'
  if (nbf >= MILLISECONDS) {
    return reject('nbf', STEP.nbfTime, message, `nbf ${nbf} looks like milliseconds: read as seconds it lies far in the future, so Prosody answers "${message}". Send seconds (Math.floor(Date.now() / 1000) - 30).`)
  }
  if (now < nbf) {
    return reject('nbf', STEP.nbfTime, message, `nbf lies ${duration(nbf - now)} in the future (${date(nbf)}), so Prosody answers "${message}"; it allows no clock skew. Set nbf a little in the past (now - 30 s, JWT_NBF_SKEW) and keep the issuer's and Prosody's clocks in sync (NTP).`)
  }
  return pass('nbf', `nbf is in seconds and lies ${duration(now - nbf)} in the past.`)
}
