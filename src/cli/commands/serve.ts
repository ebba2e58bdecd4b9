/**
 * `provisio serve`: the scheduler as a long-running process (docs/tasks.md). It validates the
 * project (and refuses to start with errors), resumes the tasks whose last run was interrupted,
 * then starts every enabled task with a schedule whenever it is due, printing a line per run (one
 * JSON object per line with --json). SIGINT or SIGTERM stops it gracefully: nothing new starts,
 * the runs going on let their in-flight operations finish and end `interrupted`, and the next
 * start runs those tasks again. A second signal quits at once. The HTTP API joins in a later issue.
 */
import type { Command } from 'commander'
import { toProvisioError, zonedParts } from '../../core/index.ts'
import type { TaskConfig } from '../../config/index.ts'
import { type SchedulerEvent, type TaskRun, Scheduler, runTask, tasksToResume } from '../../jobs/index.ts'
import { type Delivery, EventDispatcher } from '../../events/index.ts'
import { type CliContext, contextOf } from '../context.ts'

/** Exit code of a process quit by a second signal while runs were still finishing. */
const EXIT_INTERRUPTED = 130

/** `2026-12-06 02:00:00 Europe/Amsterdam`: a time as the task's zone reads it. */
function inZone(at: Date, timeZone: string | undefined): string {
  const p = zonedParts(at, timeZone)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${timeZone ?? p.zoneName}`
}

/** What serve prints: plain lines for a log, or one JSON object per line on stdout with --json. */
class ServeOutput {
  constructor(
    private readonly ctx: CliContext,
    private readonly tasks: ReadonlyMap<string, TaskConfig>,
  ) {}

  json(event: Record<string, unknown>): void {
    if (this.ctx.options.json) process.stdout.write(`${JSON.stringify({ ...event, time: new Date().toISOString() })}\n`)
  }

  line(text: string): void {
    this.ctx.out.line(text)
  }

  when(task: string, at: Date): string {
    return inZone(at, this.tasks.get(task)?.schedule?.timeZone)
  }

  event(event: SchedulerEvent): void {
    switch (event.type) {
      case 'scheduled':
        // Plain output lists the schedule once at the start; every next time would be noise in a log.
        this.json({ event: 'scheduled', task: event.task, at: event.at.toISOString() })
        return
      case 'started':
        this.json({ event: 'started', task: event.task, reason: event.reason, at: event.at.toISOString() })
        this.line(
          event.reason === 'resume'
            ? `Task ${event.task} started again: its last run was interrupted.`
            : `Task ${event.task} started (due ${this.when(event.task, event.at)}).`,
        )
        return
      case 'skipped':
        this.json({ event: 'skipped', task: event.task, at: event.at.toISOString() })
        this.line(
          `Task ${event.task} skipped its run due ${this.when(event.task, event.at)}: the previous run is still going on.`,
        )
        return
      case 'finished':
        this.finished(event)
        return
      case 'stopping':
        this.json({ event: 'stopping', running: event.running })
        this.line(
          event.running.length === 0
            ? 'Stopping.'
            : `Stopping: waiting for the in-flight operations of ${event.running.join(', ')} to finish (press Ctrl+C again to quit at once).`,
        )
    }
  }

  /** A notification that could not be delivered is worth a line; one that was, only in JSON. */
  delivery(delivery: Delivery): void {
    this.json({ event: 'delivery', ...delivery })
    if (!delivery.ok)
      this.ctx.out.note(
        `Event action ${delivery.action} (${delivery.eventType}) failed after ${delivery.attempts} attempt(s): ${delivery.error?.message ?? 'unknown error'}`,
      )
  }

  private finished(event: Extract<SchedulerEvent, { type: 'finished' }>): void {
    if (event.error !== undefined) {
      const error = toProvisioError(event.error)
      if (error.code === 'JOB_TASK_RUNNING') {
        this.json({ event: 'skipped', task: event.task, reason: 'running elsewhere' })
        this.line(`Task ${event.task} skipped: it is already running.`)
        return
      }
      this.json({ event: 'finished', task: event.task, status: 'failed', error: error.toJSON() })
      this.line(`Task ${event.task} could not run.`)
      if (!this.ctx.options.json) this.ctx.out.error(error)
      return
    }
    const run = event.result as TaskRun
    this.json({
      event: 'finished',
      task: event.task,
      runId: run.runId,
      status: run.status,
      counts: run.counts,
      ...(run.error === undefined ? {} : { error: toProvisioError(run.error).toJSON() }),
    })
    const note =
      run.status === 'interrupted'
        ? '; it runs again at the next start'
        : run.error === undefined
          ? ''
          : `: ${run.error.message}`
    this.line(`Task ${event.task} ${run.status} (run ${run.runId})${note}.`)
  }
}

/** Resolves at the first SIGINT or SIGTERM; a second one quits the process at once. */
function firstSignal(onSecond: () => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = 0
    const handler = (signal: NodeJS.Signals) => {
      received += 1
      if (received === 1) resolve(signal)
      else {
        onSecond()
        process.exit(EXIT_INTERRUPTED)
      }
    }
    process.on('SIGINT', handler)
    process.on('SIGTERM', handler)
  })
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the scheduler: start each enabled task with a schedule whenever it is due, until stopped.')
    .addHelpText(
      'after',
      `
The project is validated first; with errors, serve does not start. Tasks whose last run was
interrupted run again at once. Each run started and finished is printed as a line (--json: one
JSON object per line). SIGINT (Ctrl+C) or SIGTERM stops gracefully: nothing new starts, the runs
going on finish their in-flight operations and are recorded as interrupted, and the next start runs
them again. A second signal quits at once (exit code 130). Runs are recorded with actor 'scheduler'.

Examples:
  $ provisio serve -p examples/hr500
  $ provisio serve --json --database postgres://provisio@db/provisio
  $ provisio task list -p examples/hr500   # what serve would schedule, and when`,
    )
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const project = await ctx.project()
      const db = await ctx.vault()
      const tasks = new Map(project.tasks.map((t) => [t.name, t]))
      const out = new ServeOutput(ctx, tasks)
      // The project's EventActions (mail, webhooks) for every run; delivered in the background.
      const events = new EventDispatcher({
        db,
        project,
        onDelivery: (delivery) => out.delivery(delivery),
      })
      const scheduler = new Scheduler({
        tasks: project.tasks,
        run: (task, signal) => runTask(db, project, task, { actor: 'scheduler', whenBusy: 'wait', signal, events }),
        onEvent: (event) => out.event(event),
      })
      const stopped = firstSignal(() => {
        out.json({ event: 'exiting', running: scheduler.runningTasks() })
        ctx.out.note(
          'Quitting at once: the runs going on are marked interrupted at the next start, and run again then.',
        )
      })
      const resume = await tasksToResume(db, project)
      out.line(`Serving project ${project.dir}.`)
      scheduler.start(resume)
      const next = scheduler.nextRuns()
      out.json({
        event: 'serving',
        project: project.dir,
        resumed: resume,
        nextRuns: next.map((n) => ({ task: n.task, at: n.at.toISOString() })),
      })
      if (next.length === 0) out.line('No enabled task has a schedule: nothing will run until the project changes.')
      for (const { task, at } of next) {
        const schedule = tasks.get(task)!.schedule!
        out.line(`Task ${task} (${schedule.cron}): next run ${inZone(at, schedule.timeZone)}.`)
      }
      const signal = await stopped
      out.json({ event: 'signal', signal })
      await scheduler.stop()
      await events.drain() // the notifications of the last runs are still sent
      out.json({ event: 'stopped' })
      out.line('Stopped.')
    })
}
