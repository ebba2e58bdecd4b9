/**
 * A one-slot hand-over between a producer that must stay inside a callback (a paged search runs
 * inside `LdapSession.use`, which holds its client for as long as the callback runs) and a consumer
 * that pulls at its own pace (an async generator). The producer waits until each item is taken, so
 * at most one page is in flight; when the consumer stops early, the producer's next `put` says so.
 */
export class Handoff<T> {
  private item: { value: T; taken: (more: boolean) => void } | undefined
  private waiting: ((step: { value: T } | { end: true; error?: unknown }) => void) | undefined
  private ended: { error?: unknown } | undefined
  private stopped = false

  /** Offers `value`; resolves true once taken, false when the consumer has stopped (then stop producing). */
  put(value: T): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false)
    return new Promise((taken) => {
      this.item = { value, taken }
      this.wake()
    })
  }

  /** The producer is done: `error` when it failed. */
  end(error?: unknown): void {
    this.ended = error === undefined ? {} : { error }
    this.wake()
  }

  /** The next item, or `undefined` at the end; rejects with the producer's error. */
  async take(): Promise<T | undefined> {
    const step = await new Promise<{ value: T } | { end: true; error?: unknown }>((resolve) => {
      this.waiting = resolve
      this.wake()
    })
    if ('value' in step) return step.value
    if (step.error !== undefined) throw step.error as Error
    return undefined
  }

  /** The consumer stops: a pending and every later `put` resolves false. */
  stop(): void {
    this.stopped = true
    this.item?.taken(false)
    this.item = undefined
  }

  private wake(): void {
    const waiting = this.waiting
    if (waiting === undefined) return
    if (this.item !== undefined) {
      const { value, taken } = this.item
      this.item = undefined
      this.waiting = undefined
      taken(true)
      waiting({ value })
    } else if (this.ended !== undefined) {
      this.waiting = undefined
      waiting({ end: true, ...this.ended })
    }
  }
}
