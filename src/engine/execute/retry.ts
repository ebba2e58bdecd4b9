/**
 * Retrying a retryable failure with exponential backoff (DESIGN.md §8). A connector marks a failure
 * retryable (`retry: 'safe'`: a lost connection, a busy server, a throttled API) and may say how long
 * to wait (`retryAfterMs`, from a Retry-After header); anything else fails at once.
 */
import { toProvisioError } from '../../core/index.ts'

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly maxAttempts: number
  /** Wait before the second try; doubled for each further try. */
  readonly retryDelayMs: number
  /** The longest wait between two tries. */
  readonly maxRetryDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, retryDelayMs: 1000, maxRetryDelayMs: 60_000 }

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(signal.reason as Error)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason as Error)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })

/**
 * The wait before try `attempt + 1` (attempt counts from 1): the target's own Retry-After when it
 * gave one (capped), else the doubled delay with up to 20% random jitter so that many operations
 * that failed together do not all come back at the same moment.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, policy.maxRetryDelayMs)
  const base = Math.min(policy.retryDelayMs * 2 ** (attempt - 1), policy.maxRetryDelayMs)
  return Math.round(base * (0.8 + Math.random() * 0.2))
}

/** Runs `work` until it succeeds, fails for good, or the tries are used up; reports the tries made. */
export async function withRetry<T>(
  work: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  options: { readonly signal?: AbortSignal | undefined; readonly sleep?: Sleep | undefined } = {},
): Promise<{ readonly value: T; readonly attempts: number }> {
  const wait = options.sleep ?? sleep
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await work(attempt), attempts: attempt }
    } catch (error) {
      const failure = toProvisioError(error)
      if (failure.retry !== 'safe' || attempt >= policy.maxAttempts || options.signal?.aborted === true)
        throw Object.assign(failure, { attempts: attempt })
      await wait(backoffDelay(policy, attempt, failure.retryAfterMs), options.signal)
    }
  }
}
