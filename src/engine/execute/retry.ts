/**
 * Retrying a retryable failure with exponential backoff (DESIGN.md §8). A connector marks a failure
 * retryable (`retry: 'safe'`: a lost connection, a busy server, a throttled API) and may say how long
 * to wait (`retryAfterMs`, from a Retry-After header); anything else fails at once.
 */
import { type ProvisioError, type Sleep, sleep, toProvisioError } from '../../core/index.ts'

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly maxAttempts: number
  /** Wait before the second try; doubled for each further try. */
  readonly retryDelayMs: number
  /** The longest wait between two tries. */
  readonly maxRetryDelayMs: number
}

export type { Sleep } from '../../core/index.ts'

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

/** Options of {@link withRetry}. */
export interface RetryOptions<T> {
  /** Aborting it ends the retries: {@link RetryInterrupted} is thrown instead of trying again. */
  readonly signal?: AbortSignal | undefined
  readonly sleep?: Sleep | undefined
  /**
   * Asked after the wait and before try `attempt`: a value ends the retries with that value as the
   * result, because an earlier try turned out to have taken effect (a create whose connection broke
   * off after the insert committed). Undefined: try again.
   */
  readonly beforeRetry?: ((attempt: number) => Promise<T | undefined>) | undefined
}

/**
 * The retries of a retryable failure were cut short by the signal: the work was not refused, it
 * was stopped. `failure` is the last try's error; `attempts` the tries made.
 */
export class RetryInterrupted extends Error {
  constructor(
    readonly failure: ProvisioError,
    readonly attempts: number,
  ) {
    super(`Stopped before trying again: ${failure.message}`, { cause: failure })
    this.name = 'RetryInterrupted'
  }
}

/**
 * Runs `work` until it succeeds, fails for good, or the tries are used up; reports the tries made.
 * A failure that is not retryable, or the last try's, is thrown as a ProvisioError; an abort of
 * `signal` between tries throws {@link RetryInterrupted}.
 */
export async function withRetry<T>(
  work: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  options: RetryOptions<T> = {},
): Promise<{ readonly value: T; readonly attempts: number }> {
  const wait = options.sleep ?? sleep
  const aborted = () => options.signal?.aborted === true
  for (let attempt = 1; ; attempt++) {
    let failure: ProvisioError
    try {
      return { value: await work(attempt), attempts: attempt }
    } catch (error) {
      failure = toProvisioError(error)
    }
    if (failure.retry !== 'safe' || attempt >= policy.maxAttempts) throw Object.assign(failure, { attempts: attempt })
    if (aborted()) throw new RetryInterrupted(failure, attempt)
    try {
      await wait(backoffDelay(policy, attempt, failure.retryAfterMs), options.signal)
    } catch (error) {
      if (!aborted()) throw error
    }
    if (aborted()) throw new RetryInterrupted(failure, attempt)
    const settled = await options.beforeRetry?.(attempt + 1)
    if (settled !== undefined) return { value: settled, attempts: attempt + 1 }
  }
}
