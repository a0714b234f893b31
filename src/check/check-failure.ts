/**
 * Why `check` could not reach a verdict, as one line for a person and a distinct exit code for a script.
 * 0 and 1 are the verdicts (every expectation met / one was not), 2 a usage error (cli/main.ts).
 */
export const CHECK_EXIT = {
  unreachable: 3,
  tls: 4,
  notJitsi: 5,
  xmppClosed: 6,
  timeout: 7
} as const

export type CheckFailureKind = keyof typeof CHECK_EXIT

export class CheckFailure extends Error {
  constructor (readonly kind: CheckFailureKind, message: string) {
    super(message)
  }

  get exitCode (): number {
    return CHECK_EXIT[this.kind]
  }
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/

/** Node's fetch and ws errors carry the system error as `cause` (fetch) or on the error itself (ws). */
export function networkFailure (error: unknown, what: string): CheckFailure {
  const cause = (error as { cause?: { code?: string, message?: string } }).cause ?? error as { code?: string, message?: string }
  const code = cause?.code ?? ''
  if (TLS_CODES.test(code) || TLS_CODES.test(cause?.message ?? '')) {
    return new CheckFailure('tls', `${what}: TLS failed (${code || cause?.message}); check the site's certificate, or for a private CA run with NODE_EXTRA_CA_CERTS=<its CA file>`)
  }
  return new CheckFailure('unreachable', `${what}: cannot connect (${code || cause?.message || 'no answer'})`)
}
