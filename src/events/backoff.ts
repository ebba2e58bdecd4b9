/**
 * How long to wait before retrying a webhook: exponential backoff from 1 s, doubled per retry, up
 * to 60 s, with jitter so that many failed deliveries do not all come back at the same moment. A
 * receiver's `Retry-After` takes the place of the backoff (still at most 60 s, so that a run's
 * deliveries end in bounded time).
 */

export const BACKOFF_BASE_MS = 1000
export const BACKOFF_CAP_MS = 60_000

/**
 * The wait before retry number `retry` (1 for the first retry). "Equal jitter": half the backoff
 * fixed, half random, so waits grow from retry to retry while two senders still spread out.
 */
export function backoffDelay(retry: number, random: () => number = Math.random, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), BACKOFF_CAP_MS)
  const full = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1))
  return Math.round(full / 2 + random() * (full / 2))
}

/**
 * A `Retry-After` header in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3);
 * undefined when absent or not understood.
 */
export function parseRetryAfter(header: string | null, now: Date): number | undefined {
  if (header === null) return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime())
}
