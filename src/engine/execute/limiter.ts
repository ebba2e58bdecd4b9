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

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve))
    this.running++
    try {
      return await work()
    } finally {
      this.running--
      this.waiting.shift()?.()
    }
  }
}
