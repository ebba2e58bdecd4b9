/**
 * The runs going on in this server process (started through the API, or by the scheduler of
 * `provisio serve` beside it): each with the controller
 * that cancels it gracefully and its live progress. One registry per server (per ServerContext), so
 * the route that starts a run and the routes that cancel it or stream its progress find it.
 */
import type { Clock } from '../core/index.ts'
import type { ServerContext } from './context.ts'
import { type ProgressCallbacks, RunProgress } from './run-progress.ts'

export interface RunningRun {
  readonly runId: number
  readonly controller: AbortController
  readonly progress: RunProgress
  /** Resolves with the run's status once it has ended (never rejects). */
  readonly done: Promise<string>
}

/** A run about to start: pass its parts to the work, then `settle` it with the work's promise. */
export interface StartingRun {
  readonly signal: AbortSignal
  /** The run's progress callbacks (options of runTask, runJob, approveRun, executeStoredPlan). */
  readonly callbacks: ProgressCallbacks
  /** The work's `onRun`: from then on the run is registered (cancel, progress). */
  readonly onRun: (runId: number) => void
  /** Ends the run's registration when `work` settles; `status` reads how it ended from its result. */
  settle<T>(work: Promise<T>, status: (result: T) => string): Promise<T>
}

export class RunRegistry {
  private readonly runs = new Map<number, RunningRun>()

  constructor(private readonly clock: Clock) {}

  /**
   * A run to start; `label` names its evaluate and execute stages (a job, `run 12`). `outer` aborts
   * it as well: the scheduler's own stop, for a run the scheduler started (cancellable here too).
   */
  begin(label: string, outer?: AbortSignal): StartingRun {
    const controller = new AbortController()
    if (outer !== undefined) {
      if (outer.aborted) controller.abort()
      else outer.addEventListener('abort', () => controller.abort(), { once: true })
    }
    const progress = new RunProgress(this.clock)
    let ended: (status: string) => void = () => {}
    const done = new Promise<string>((resolve) => (ended = resolve))
    let runId: number | undefined
    return {
      signal: controller.signal,
      callbacks: progress.callbacks(label),
      onRun: (id) => {
        runId = id
        progress.runId = id
        this.runs.set(id, { runId: id, controller, progress, done })
      },
      settle: (work, status) => {
        const finish = (s: string, stopped: boolean) => {
          progress.finish(s, stopped)
          if (runId !== undefined && this.runs.get(runId)?.controller === controller) this.runs.delete(runId)
          ended(s)
        }
        work.then(
          (result) => finish(status(result), false),
          () => finish(controller.signal.aborted ? 'interrupted' : 'failed', true),
        )
        return work
      },
    }
  }

  get(runId: number): RunningRun | undefined {
    return this.runs.get(runId)
  }

  /** Ids of the runs going on here. */
  ids(): number[] {
    return [...this.runs.keys()]
  }
}

const registries = new WeakMap<ServerContext, RunRegistry>()

/** The registry of the server `ctx` belongs to. */
export function runRegistryOf(ctx: ServerContext): RunRegistry {
  let registry = registries.get(ctx)
  if (registry === undefined) {
    registry = new RunRegistry(ctx.clock)
    registries.set(ctx, registry)
  }
  return registry
}
