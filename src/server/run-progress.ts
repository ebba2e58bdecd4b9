/**
 * The live progress of one run going on in the server, as the events `--json` progress prints
 * (stage.started, progress, stage.finished) and a last `finished`, fed by the same callbacks the
 * CLI's reporter gets. Events are kept, so a client that subscribes late (the SSE stream of a run
 * started a moment ago) gets the stages so far first.
 */
import type { Clock, ProgressListener } from '../core/index.ts'
import type { TaskStage } from '../jobs/index.ts'

export type RunProgressEvent =
  | {
      readonly event: 'stage.started' | 'progress' | 'stage.finished'
      readonly stage: string
      readonly name: string
      readonly unit: string
      readonly done?: number | undefined
      readonly total?: number | undefined
      readonly rate?: number | undefined
      readonly elapsedSeconds?: number | undefined
      readonly stopped?: boolean | undefined
      readonly at: string
    }
  | { readonly event: 'finished'; readonly runId: number; readonly status: string; readonly at: string }

/** The callbacks runTask, runJob, approveRun and executeStoredPlan report progress through. */
export interface ProgressCallbacks {
  readonly onStage: (stage: TaskStage, name: string) => void
  readonly onCollectProgress: ProgressListener
  readonly onEvaluateProgress: (step: number, rows: number) => void
  readonly onExecuteProgress: (done: number, total: number) => void
}

/** `progress` events of one stage come at most this often (the CLI's --json does the same). */
const PROGRESS_EVERY_MS = 250
/** A run's kept events: its stages, and the last progress of each (older progress events are dropped). */
const KEPT = 2000

interface Current {
  readonly stage: string
  readonly name: string
  readonly unit: string
  readonly startedMs: number
  done: number
  total?: number | undefined
  lastEventMs: number
}

export class RunProgress {
  private readonly events: RunProgressEvent[] = []
  private readonly listeners = new Set<(event: RunProgressEvent) => void>()
  private current: Current | undefined
  private ended = false

  /** Known once the run is recorded (its work reports progress only after that). */
  runId = 0

  constructor(private readonly clock: Clock) {}

  /** The events so far, then each new one; returns how to stop listening. */
  subscribe(listener: (event: RunProgressEvent) => void): () => void {
    for (const event of this.events) listener(event)
    if (this.ended) return () => {}
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The progress callbacks of a run; `label` names execute and evaluate stages until a task stage names its job. */
  callbacks(label: string): ProgressCallbacks {
    // The callbacks of evaluate and execute do not name the job: the stage before them did.
    let name = label
    return {
      onStage: (_stage, stageName) => {
        this.endStage(false)
        name = stageName
      },
      onCollectProgress: (event) => {
        const space = event.task.indexOf(' ')
        const [stage, what] = space < 0 ? [event.task, ''] : [event.task.slice(0, space), event.task.slice(space + 1)]
        this.update(stage, what, event.done, event.total, event.unit ?? '')
      },
      onEvaluateProgress: (step, rows) => this.update('evaluate', `${name} step ${step + 1}`, rows, undefined, 'rows'),
      onExecuteProgress: (done, total) => this.update('execute', name, done, total, 'operations'),
    }
  }

  /** The run ended with `status`: the stage going on finishes (stopped unless it succeeded), then `finished`. */
  finish(status: string, stopped = false): void {
    if (this.ended) return
    this.endStage(stopped)
    this.emit({ event: 'finished', runId: this.runId, status, at: this.clock.now().toISOString() })
    this.ended = true
    this.listeners.clear()
  }

  private update(stage: string, name: string, done: number, total: number | undefined, unit: string): void {
    const now = this.clock.now().getTime()
    let current = this.current
    if (current === undefined || current.stage !== stage || current.name !== name) {
      this.endStage(false)
      current = { stage, name, unit, startedMs: now, done, lastEventMs: now }
      this.current = current
      this.emit({ event: 'stage.started', stage, name, unit, at: new Date(now).toISOString() })
    }
    current.done = done
    current.total = total
    if (now - current.lastEventMs < PROGRESS_EVERY_MS) return
    current.lastEventMs = now
    this.emit({ event: 'progress', ...this.figures(current, now), at: new Date(now).toISOString() })
  }

  private endStage(stopped: boolean): void {
    const current = this.current
    if (current === undefined) return
    this.current = undefined
    const now = this.clock.now().getTime()
    const figures = this.figures(current, now)
    this.emit({
      event: 'stage.finished',
      ...figures,
      elapsedSeconds: (now - current.startedMs) / 1000,
      ...(stopped ? { stopped: true } : {}),
      at: new Date(now).toISOString(),
    })
  }

  private figures(current: Current, now: number) {
    const elapsed = now - current.startedMs
    return {
      stage: current.stage,
      name: current.name,
      unit: current.unit,
      done: current.done,
      ...(current.total === undefined ? {} : { total: current.total }),
      rate: elapsed > 0 ? Math.round((current.done * 10000) / elapsed) / 10 : 0,
    }
  }

  private emit(event: RunProgressEvent): void {
    if (event.event === 'progress') {
      // Only the last progress of a stage is worth replaying to a late subscriber.
      const last = this.events.at(-1)
      if (last?.event === 'progress') this.events.pop()
    }
    if (this.events.length < KEPT) this.events.push(event)
    for (const listener of this.listeners) listener(event)
  }
}
