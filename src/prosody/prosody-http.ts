/**
 * One call to a Prosody HTTP module, bounded by PROSODY_HTTP_TIMEOUT and never retried (ending a meeting
 * twice is not the same as once). What went wrong becomes a problem that says which side failed:
 * Prosody unreachable (502) or too slow (504), both with Retry-After; its own status otherwise.
 */
import { ProblemError } from '../problems.js'

export interface ProsodyAnswer {
  status: number
  body: string
}

const RETRY_AFTER = { 'retry-after': '5' }

export async function callProsody (url: string, init: RequestInit, timeoutMs: number): Promise<ProsodyAnswer> {
  let response: Response
  try {
    response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) })
    return { status: response.status, body: await response.text() }
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') {
      throw new ProblemError(504, 'prosody_timeout', `Prosody did not answer within ${timeoutMs} ms (PROSODY_HTTP_TIMEOUT); nothing was retried.`, undefined, RETRY_AFTER)
    }
    const cause = (error as { cause?: { code?: string } }).cause
    throw new ProblemError(502, 'prosody_unreachable', `Prosody's HTTP port (PROSODY_HTTP_URL) cannot be reached (${String(cause?.code)}).`, undefined, RETRY_AFTER)
  }
}
