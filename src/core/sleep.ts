/**
 * Waiting: the one timer-based wait of Provisio (retries, webhook backoff, a queued run polling for
 * its task). Callers take a `Sleep` option so tests can pass one that does not wait.
 */

/** Waits `ms`; an abort of `signal` ends the wait early by rejecting with the signal's reason. */
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
