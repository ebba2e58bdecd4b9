/**
 * Progress of long work (collect, evaluate, execute) as the command's output mode wants it: a bar
 * rewritten in place on a terminal, a few plain lines when stderr is a log or a pipe, JSON events
 * with --json, nothing with --quiet (docs/cli.md). Always on stderr: stdout keeps the command's
 * result (with --json, one JSON document). One reporter per command; a stage ends when the next one
 * starts, when the command calls `end()`, or when the work `track()` waits for ends.
 */
import { type Clock, type ProgressEvent, type ProgressListener, systemClock } from '../core/index.ts'
import { type StageFigures, stageFigures } from './progress-format.ts'
import {
  type ProgressMode,
  type ProgressStream,
  type Stage,
  type StageRenderer,
  stageRenderer,
} from './progress-render.ts'

export type { ProgressMode, ProgressStream } from './progress-render.ts'

/** --quiet wins (nothing but errors), then --json, then whether stderr is a terminal. */
export function progressMode(
  options: { readonly json: boolean; readonly quiet: boolean },
  stream: ProgressStream,
): ProgressMode {
  if (options.quiet) return 'quiet'
  if (options.json) return 'json'
  return stream.isTTY === true ? 'tty' : 'plain'
}

interface Current extends Stage {
  readonly startedMs: number
  done: number
  total?: number | undefined
}

export class ProgressReporter {
  private readonly renderer: StageRenderer
  private current: Current | undefined
  /**
   * When the work last moved: the last update, or when the work began. Producers report after each
   * page, so a stage began when the work before it last moved, not at its own first report.
   */
  private lastMs: number

  constructor(
    readonly mode: ProgressMode,
    stream: ProgressStream = process.stderr,
    private readonly clock: Clock = systemClock,
  ) {
    this.renderer = stageRenderer(mode, stream)
    this.lastMs = clock.now().getTime()
  }

  /** Moves stage `stage` of `name` to `done` (of `total`), starting it (and ending another) first. */
  update(stage: string, name: string, done: number, total?: number, unit = ''): void {
    const now = this.clock.now()
    let current = this.current
    if (current === undefined || current.stage !== stage || current.name !== name) {
      // The stage before ended with its last update.
      this.finish(new Date(this.lastMs), false)
      current = { stage, name, unit, startedMs: this.lastMs, done }
      this.current = current
      this.renderer.start(current, new Date(current.startedMs))
    }
    current.done = done
    current.total = total
    this.lastMs = now.getTime()
    this.renderer.update(current, this.figures(current, now), now)
  }

  /** Ends the stage going on, if any: its final line or event. `stopped`: the work failed before its end. */
  end(stopped = false): void {
    const now = this.clock.now()
    this.lastMs = now.getTime()
    this.finish(now, stopped)
  }

  /** Waits for `work` (begun just now), then ends the stage it left going on: done, or stopped when it throws. */
  async track<T>(work: Promise<T>): Promise<T> {
    this.begin()
    try {
      const result = await work
      this.end()
      return result
    } catch (error) {
      this.end(true)
      throw error
    }
  }

  /** Work begins now: the next stage is timed from here (not from whatever the command did before). */
  begin(): void {
    this.lastMs = this.clock.now().getTime()
  }

  private finish(at: Date, stopped: boolean): void {
    const current = this.current
    if (current === undefined) return
    this.current = undefined
    this.renderer.end(current, this.figures(current, at), at, stopped)
  }

  private figures(current: Current, at: Date): StageFigures {
    return stageFigures(current.done, current.total, at.getTime() - current.startedMs)
  }

  /** For producers of ProgressEvents (a collection): `collect hr500.employees` is stage `collect` of `hr500.employees`. */
  listener(): ProgressListener {
    return (event: ProgressEvent) => {
      const space = event.task.indexOf(' ')
      const [stage, name] = space < 0 ? [event.task, ''] : [event.task.slice(0, space), event.task.slice(space + 1)]
      this.update(stage, name, event.done, event.total, event.unit ?? '')
    }
  }

  /** A job's onEvaluateProgress: rows planned so far in step `step` (from 0). */
  evaluated(job: string, step: number, rows: number): void {
    this.update('evaluate', `${job} step ${step + 1}`, rows, undefined, 'rows')
  }

  /** An onExecuteProgress: operations of `name` (a job, a plan) executed so far, of all. */
  executed(name: string, done: number, total: number): void {
    this.update('execute', name, done, total, 'operations')
  }
}

/** The progress callbacks of a task run: each stage ends the one before, evaluate and execute are named by their job. */
export function taskProgress(progress: ProgressReporter): {
  onStage: (stage: string, name: string) => void
  onCollectProgress: ProgressListener
  onEvaluateProgress: (step: number, rows: number) => void
  onExecuteProgress: (done: number, total: number) => void
} {
  // The callbacks of evaluate and execute do not name the job: the stage before them did.
  let job = ''
  return {
    onStage: (_stage, name) => {
      progress.end()
      job = name
    },
    onCollectProgress: progress.listener(),
    onEvaluateProgress: (step, rows) => progress.evaluated(job, step, rows),
    onExecuteProgress: (done, total) => progress.executed(job, done, total),
  }
}

/** The reporter for a command's global options, on stderr. */
export function progressReporter(
  options: { readonly json: boolean; readonly quiet: boolean },
  stream: ProgressStream = process.stderr,
  clock: Clock = systemClock,
): ProgressReporter {
  return new ProgressReporter(progressMode(options, stream), stream, clock)
}

/**
 * The terminal progress of commands that show no progress off a terminal (dataset, vault load,
 * mapping evaluate, roles): one reporter per stream, ended by `endProgress`.
 */
const terminalReporters = new WeakMap<ProgressStream, ProgressReporter>()

export function progressPrinter(stream: ProgressStream): ProgressListener {
  let reporter = terminalReporters.get(stream)
  if (reporter === undefined) {
    reporter = new ProgressReporter(stream.isTTY === true ? 'tty' : 'quiet', stream)
    terminalReporters.set(stream, reporter)
  }
  // Callers ask for a printer right before their work.
  reporter.begin()
  return reporter.listener()
}

/** Ends the stage a `progressPrinter` of `stream` showed, if any. */
export function endProgress(stream: ProgressStream): void {
  terminalReporters.get(stream)?.end()
}
