/**
 * Background work with bounded concurrency and a bounded backlog: events are emitted synchronously
 * by a run that must not wait for mail servers and webhooks, yet a run of a million failed
 * operations must not pile up a million deliveries in memory. `push` refuses work beyond the
 * bound; the dispatcher counts and reports what was dropped.
 */

export class DeliveryQueue {
  private readonly waiting: (() => Promise<void>)[] = []
  private running = 0
  private idle: (() => void)[] = []

  /**
   * @param concurrency deliveries running at once
   * @param limit deliveries waiting or running at most; `push` refuses more
   */
  constructor(
    private readonly concurrency: number,
    private readonly limit: number,
  ) {}

  /** Deliveries waiting or running. */
  get size(): number {
    return this.waiting.length + this.running
  }

  /** Queues `work` (which must not reject); false when the queue is full and `work` was not taken. */
  push(work: () => Promise<void>): boolean {
    if (this.size >= this.limit) return false
    this.waiting.push(work)
    this.next()
    return true
  }

  /** Resolves once nothing waits or runs (at once when the queue is empty). */
  drain(): Promise<void> {
    if (this.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.idle.push(resolve))
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const work = this.waiting.shift()!
      this.running++
      void work()
        .catch(() => undefined)
        .finally(() => {
          this.running--
          this.next()
          if (this.size === 0) {
            const idle = this.idle
            this.idle = []
            for (const resolve of idle) resolve()
          }
        })
    }
  }
}
