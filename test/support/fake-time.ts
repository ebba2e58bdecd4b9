/**
 * A fake clock with fake timers that move together, for code that takes a Clock and setTimeout /
 * clearTimeout (the scheduler): a test advances time and the timers due fire in order, each with
 * the clock set to its due time — or jumps the clock (a machine that slept), and the timers fire late.
 */
import type { Clock } from '../../src/core/index.ts'

interface FakeTimer {
  readonly id: number
  readonly at: number
  readonly fn: () => void
}

export class FakeTime implements Clock {
  private current: number
  private timers: FakeTimer[] = []
  private nextId = 1

  constructor(start: Date | string) {
    this.current = new Date(start).getTime()
  }

  now(): Date {
    return new Date(this.current)
  }

  readonly setTimeout = (fn: () => void, ms: number): number => {
    const timer = { id: this.nextId++, at: this.current + Math.max(0, ms), fn }
    this.timers.push(timer)
    return timer.id
  }

  readonly clearTimeout = (handle: unknown): void => {
    this.timers = this.timers.filter((t) => t.id !== handle)
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.timers.length
  }

  /** Moves the clock forward by `ms`, firing every timer that falls due on the way at its due time. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(new Date(this.current + ms))
  }

  /** Moves the clock forward to `to`, firing every timer that falls due on the way at its due time. */
  async advanceTo(to: Date | string): Promise<void> {
    const target = new Date(to).getTime()
    for (;;) {
      const timer = this.earliest()
      if (timer === undefined || timer.at > target) break
      this.current = Math.max(this.current, timer.at)
      await this.fire(timer)
    }
    this.current = Math.max(this.current, target)
    await settle()
  }

  /**
   * Sets the clock `ms` ahead at once, as after a suspend or a clock change, then fires the timers
   * that are due by then: late, with the clock already moved on.
   */
  async jump(ms: number): Promise<void> {
    this.current += ms
    for (;;) {
      const timer = this.earliest()
      if (timer === undefined || timer.at > this.current) break
      await this.fire(timer)
    }
    await settle()
  }

  private earliest(): FakeTimer | undefined {
    return this.timers.reduce<FakeTimer | undefined>(
      (first, t) => (first === undefined || t.at < first.at || (t.at === first.at && t.id < first.id) ? t : first),
      undefined,
    )
  }

  private async fire(timer: FakeTimer): Promise<void> {
    this.timers = this.timers.filter((t) => t !== timer)
    timer.fn()
    await settle()
  }
}

/** Lets every promise callback that is ready run (a macrotask turn drains the microtask queue). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
