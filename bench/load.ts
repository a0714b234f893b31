/**
 * Load with autocannon used as a library: short rounds whose raw results are merged afterwards, so
 * the servers can be interleaved and still get one latency histogram each.
 */
import autocannon from 'autocannon'

export interface Target {
  url: string
  body: string
  headers: Record<string, string>
}

/** What autocannon returns with skipAggregateResult: counters and an encoded latency histogram. */
export interface Round {
  latencies: string
  totalCompletedRequests: number
  duration: number
  errors: number
  timeouts: number
  non2xx: number
}

export interface LoadSummary {
  /** Completed requests divided by the measured seconds, over every round. */
  requestsPerSecond: number
  /** Latency percentiles in ms, from the merged histogram of every round. */
  p50: number
  p99: number
  requests: number
  /** Socket errors plus timeouts seen by the load generator. */
  errors: number
  non2xx: number
}

export async function fire (target: Target, connections: number, seconds: number): Promise<Round> {
  const result = await autocannon({
    url: `${target.url}/tokens`,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    skipAggregateResult: true
  })
  return result as unknown as Round
}

type Aggregate = (rounds: Round[], opts: { url: string, connections: number }) => autocannon.Result

export function summarize (rounds: Round[], url: string, connections: number): LoadSummary {
  const merged = (autocannon as unknown as { aggregateResult: Aggregate }).aggregateResult(rounds, { url, connections })
  const requests = rounds.reduce((sum, r) => sum + r.totalCompletedRequests, 0)
  const seconds = rounds.reduce((sum, r) => sum + r.duration, 0)
  return {
    requestsPerSecond: requests / seconds,
    p50: merged.latency.p50,
    p99: merged.latency.p99,
    requests,
    // autocannon counts timeouts among errors.
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0)
  }
}
