/**
 * The soak's verdicts beyond the answers themselves (bench/soak-mix.ts): memory stays flat once warm,
 * and the audit log holds exactly one token.issued line per token issued.
 */

export interface RssSummary {
  /** MB, sampled once a second under load after the warm-up. */
  start: number
  middle: number
  end: number
  max: number
}

export function rssSummary (samplesMb: number[]): RssSummary {
  if (samplesMb.length === 0) throw new Error('no RSS sample taken')
  return {
    start: samplesMb[0]!,
    middle: samplesMb[Math.floor((samplesMb.length - 1) / 2)]!,
    end: samplesMb.at(-1)!,
    max: Math.max(...samplesMb)
  }
}

export interface FlatMemory {
  /** The end may exceed the middle by this factor… */
  factor: number
  /** …plus this many MB (V8 grows its heap in steps, the allocator returns pages lazily). */
  slackMb: number
}

export const FLAT: FlatMemory = { factor: 1.2, slackMb: 10 }

/**
 * Why the RSS is not flat, or undefined when it is. Middle against end, not start against end: the
 * first half of the run still sees V8 settle (optimised code, heap sizing); a leak keeps growing.
 */
export function memoryProblem (rss: RssSummary, flat: FlatMemory = FLAT): string | undefined {
  const limit = rss.middle * flat.factor + flat.slackMb
  if (rss.end <= limit) return undefined
  return `RSS grew from ${rss.middle.toFixed(1)} MB (middle) to ${rss.end.toFixed(1)} MB (end), above ${limit.toFixed(1)} MB`
}

/** Why the audit log does not match what was issued, or undefined when every token has its line. */
export function auditProblem (issuedLines: number, issued: number): string | undefined {
  if (issuedLines === issued) return undefined
  return `${issuedLines} token.issued lines for ${issued} tokens issued`
}

/** The sum of a Prometheus counter over all its labels, from GET /metrics's text. */
export function counterTotal (metrics: string, name: string): number {
  return metrics.split('\n')
    .filter(line => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0)
}
