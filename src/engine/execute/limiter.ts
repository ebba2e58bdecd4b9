/**
 * Bounded concurrency per system (DESIGN.md §8): at most `limit` operations run against one target
 * at a time, whatever the plan holds; the others wait their turn in plan order.
 */
export class Limiter {
  private running = 0
  private readonly waiting: (() => void)[] = []

  constructor(readonly limit: number) {
    if (!(Number.isInteger(limit) && limit >= 1))
      throw new RangeError(`A concurrency limit is at least 1, got ${limit}`)
  }

  /** Runs `work` when a slot is free, in the order of the calls. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running++
    // The slot is handed over by the one finishing (release): it is never free in between, for a newcomer to take.
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    try {
      return await work()
    } finally {
      this.release()
    }
  }

  private release(): void {
    const next = this.waiting.shift()
    if (next === undefined) this.running--
    else next()
  }
}
