/**
 * The scheduler (DESIGN.md §9, docs/tasks.md): starts each enabled task with a schedule when its
 * cron pattern fires, read in the task's time zone by croner (nextTaskRun). It keeps one due time
 * per task and one timer for the earliest; on waking it compares the clock with the due times, so
 * a timer that fires late or early changes nothing but when the check happens.
 *
 * - A task still running when it is due again is not started twice: that occurrence is skipped.
 * - The next due time follows the one that fired, so a late wake does not lose an occurrence; but
 *   occurrences missed while the machine slept fire once, not once each.
 * - stop() starts nothing more, aborts the runs going on (they let in-flight operations finish and
 *   end `interrupted`) and waits for them.
 */
import type { Clock, Logger } from '../core/index.ts'
import { silentLogger, systemClock } from '../core/index.ts'
import { type TaskConfig, type TaskSchedule, nextTaskRun } from '../config/index.ts'

/** Why a run was started: its schedule fired, or it resumes a run a stop or a crash interrupted. */
export type RunReason = 'schedule' | 'resume'

export type SchedulerEvent =
  | { readonly type: 'scheduled'; readonly task: string; readonly at: Date }
  | { readonly type: 'started'; readonly task: string; readonly reason: RunReason; readonly at: Date }
  | {
      readonly type: 'finished'
      readonly task: string
      readonly reason: RunReason
      /** What `run` returned, or undefined when it threw. */
      readonly result?: unknown
      /** What `run` threw. */
      readonly error?: unknown
    }
  /** Due at `at` while its earlier run was still going on: this occurrence is coalesced into it. */
  | { readonly type: 'skipped'; readonly task: string; readonly at: Date }
  | { readonly type: 'stopping'; readonly running: readonly string[] }

/** Timers as the scheduler uses them; tests inject fake ones that move with a fake clock. */
export interface SchedulerTimers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface SchedulerOptions {
  /** The project's tasks; the enabled ones with a schedule are scheduled. */
  readonly tasks: readonly TaskConfig[]
  /** Runs a task once; `signal` aborts it (gracefully). What it returns is reported as `finished`. */
  run(task: string, signal: AbortSignal, reason: RunReason): Promise<unknown>
  /** @default systemClock */
  readonly clock?: Clock | undefined
  /** @default the global timers (not unref'd: a scheduler keeps its process alive) */
  readonly timers?: SchedulerTimers | undefined
  readonly logger?: Logger | undefined
  readonly onEvent?: ((event: SchedulerEvent) => void) | undefined
}

/**
 * The longest single sleep: setTimeout overflows past 24.8 days, and a long sleep drifts from the
 * wall clock (suspend, clock changes); waking hourly to compare with the clock keeps it honest.
 * With nothing due at all the scheduler still wakes this often, which also keeps its process alive.
 */
export const MAX_SLEEP_MS = 3_600_000

const globalTimers: SchedulerTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

interface Running {
  readonly controller: AbortController
  readonly settled: Promise<void>
}

export class Scheduler {
  private readonly schedules: ReadonlyMap<string, TaskSchedule>
  private readonly clock: Clock
  private readonly timers: SchedulerTimers
  private readonly logger: Logger
  /** The next due time of every scheduled task that fires again. */
  private readonly due = new Map<string, Date>()
  private readonly running = new Map<string, Running>()
  private timer: unknown
  private state: 'new' | 'started' | 'stopped' = 'new'
  private stopped: Promise<void> | undefined

  constructor(private readonly options: SchedulerOptions) {
    this.schedules = new Map(
      options.tasks.filter((t) => t.enabled && t.schedule !== undefined).map((t) => [t.name, t.schedule!]),
    )
    this.clock = options.clock ?? systemClock
    this.timers = options.timers ?? globalTimers
    this.logger = options.logger ?? silentLogger
  }

  /** Runs the `resume` tasks at once, then every scheduled task whenever it is due, until stop(). */
  start(resume: readonly string[] = []): void {
    if (this.state !== 'new') throw new Error('A scheduler starts once.')
    this.state = 'started'
    const now = this.clock.now()
    for (const task of resume) this.launch(task, 'resume', now)
    for (const [task, schedule] of this.schedules) this.plan(task, nextTaskRun(schedule, now))
    this.arm()
  }

  /** The next run of every scheduled task that fires again, earliest first. */
  nextRuns(): { task: string; at: Date }[] {
    return [...this.due]
      .map(([task, at]) => ({ task, at }))
      .sort((a, b) => a.at.getTime() - b.at.getTime() || a.task.localeCompare(b.task))
  }

  /** The tasks running now. */
  runningTasks(): string[] {
    return [...this.running.keys()]
  }

  /** Starts nothing more, aborts the runs going on and waits until they have ended. Safe to call twice. */
  stop(): Promise<void> {
    this.stopped ??= this.shutDown()
    return this.stopped
  }

  private async shutDown(): Promise<void> {
    this.state = 'stopped'
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer)
    this.timer = undefined
    this.due.clear()
    this.emit({ type: 'stopping', running: this.runningTasks() })
    const runs = [...this.running.values()]
    for (const run of runs) run.controller.abort()
    await Promise.all(runs.map((r) => r.settled))
  }

  private plan(task: string, at: Date | undefined): void {
    if (at === undefined) {
      this.due.delete(task)
      return
    }
    this.due.set(task, at)
    this.emit({ type: 'scheduled', task, at })
  }

  private arm(): void {
    if (this.state !== 'started') return
    const now = this.clock.now().getTime()
    const earliest = Math.min(...[...this.due.values()].map((d) => d.getTime()))
    const delay = Math.max(0, Math.min(earliest - now, MAX_SLEEP_MS))
    this.timer = this.timers.setTimeout(() => this.wake(), delay)
  }

  private wake(): void {
    this.timer = undefined
    if (this.state !== 'started') return
    const now = this.clock.now()
    for (const [task, at] of [...this.due]) {
      if (at.getTime() > now.getTime()) continue
      if (this.running.has(task)) this.emit({ type: 'skipped', task, at })
      else this.launch(task, 'schedule', at)
      const schedule = this.schedules.get(task)!
      let next = nextTaskRun(schedule, at)
      // Missed more than one occurrence (asleep, or the clock jumped): the run just started covers them all.
      if (next !== undefined && next.getTime() <= now.getTime()) next = nextTaskRun(schedule, now)
      this.plan(task, next)
    }
    this.arm()
  }

  private launch(task: string, reason: RunReason, at: Date): void {
    if (this.running.has(task)) {
      this.emit({ type: 'skipped', task, at })
      return
    }
    const controller = new AbortController()
    this.emit({ type: 'started', task, reason, at })
    const settled = Promise.resolve()
      .then(() => this.options.run(task, controller.signal, reason))
      .then(
        (result) => this.emit({ type: 'finished', task, reason, result }),
        (error: unknown) => this.emit({ type: 'finished', task, reason, error }),
      )
      .finally(() => this.running.delete(task))
    this.running.set(task, { controller, settled })
  }

  private emit(event: SchedulerEvent): void {
    try {
      this.options.onEvent?.(event)
    } catch (error) {
      // A listener's failure must not stop the schedule.
      this.logger.warn('A scheduler event listener failed.', { event: event.type, error: String(error) })
    }
  }
}
