/**
 * `provisio serve`: the scheduler as a long-running process (docs/tasks.md). It validates the
 * project (and refuses to start with errors), resumes the tasks whose last run was interrupted,
 * then starts every enabled task with a schedule whenever it is due, printing a line per run (one
 * JSON object per line with --json). SIGINT or SIGTERM stops it gracefully: nothing new starts,
 * the runs going on let their in-flight operations finish and end `interrupted`, and the next
 * start runs those tasks again. A second signal quits at once. Beside the scheduler it serves the
 * HTTPS API (docs/server.md) unless --no-api; at a signal the API closes first, then the scheduler.
 */
import type { Command } from 'commander'
import type { FastifyInstance } from 'fastify'
import { type EventSink, type Logger, systemClock, toProvisioError, zonedParts } from '../../core/index.ts'
import type { TaskConfig, ValidatedProject } from '../../config/index.ts'
import { type SchedulerEvent, type TaskRun, Scheduler, runTask, tasksToResume } from '../../jobs/index.ts'
import { type Delivery, EventDispatcher } from '../../events/index.ts'
import {
  ALL_ROUTES,
  type RunRegistry,
  type ServerContext,
  buildServer,
  projectLoader,
  runRegistryOf,
  serveTls,
} from '../../server/index.ts'
import { type SqlDriver, withJoinIndexes } from '../../vault/index.ts'
import { type CliContext, contextOf } from '../context.ts'
import { positiveInteger } from '../parse-options.ts'

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

export interface ServeOptions {
  readonly port: number
  readonly host: string
  readonly cert?: string | undefined
  readonly key?: string | undefined
  readonly api: boolean
}

/** `https://127.0.0.1:8443`; an IPv6 address in brackets. */
function urlOf(host: string, port: number): string {
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/** Starts the HTTPS API; prints its URL and the certificate's fingerprint. */
async function startApi(
  ctx: CliContext,
  out: ServeOutput,
  db: SqlDriver,
  events: EventDispatcher,
  options: ServeOptions,
): Promise<{ app: FastifyInstance; registry: RunRegistry; url: string; fingerprint: string }> {
  const tls = await serveTls({
    projectDir: ctx.projectDir,
    certFile: options.cert ?? process.env['PROVISIO_TLS_CERT'],
    keyFile: options.key ?? process.env['PROVISIO_TLS_KEY'],
  })
  // Unexpected errors of API requests are worth a line on stderr; the rest is answered as data.
  const logger: Logger = {
    debug() {},
    info() {},
    warn: (message) => ctx.out.note(message),
    error: (message, fields) => ctx.out.note(`${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`),
  }
  const serverCtx: ServerContext = {
    db,
    projectDir: ctx.projectDir,
    project: withJoinIndexes(db, projectLoader(ctx.projectDir), (e) => logger.warn(`Join indexes: ${String(e)}`)),
    events,
    clock: systemClock,
    logger,
  }
  const app = await buildServer({
    ctx: serverCtx,
    routes: ALL_ROUTES,
    tls: { cert: tls.cert, key: tls.key },
  })
  await app.listen({ port: options.port, host: options.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : options.port
  const url = urlOf(options.host, port)
  out.json({ event: 'listening', url, fingerprint: tls.fingerprint, certificate: tls.source, certFile: tls.certFile })
  out.line(`API listening on ${url} (docs: ${url}/api/openapi.json).`)
  out.line(
    tls.source === 'files'
      ? `TLS certificate ${tls.certFile}, SHA-256 fingerprint ${tls.fingerprint}.`
      : `Self-signed TLS certificate ${tls.certFile}${tls.source === 'generated' ? ' (made now)' : ''}, SHA-256 fingerprint ${tls.fingerprint}.`,
  )
  return { app, registry: runRegistryOf(serverCtx), url, fingerprint: tls.fingerprint }
}

/**
 * Runs a scheduled task. With the API, the run is registered with the API's runs, so that
 * POST /api/runs/:id/cancel stops it and GET /api/runs/:id/progress follows it as it does theirs.
 */
export function scheduledRun(
  db: SqlDriver,
  project: ValidatedProject,
  events: EventSink | undefined,
  registry: () => RunRegistry | undefined,
): (task: string, signal: AbortSignal) => Promise<TaskRun> {
  return (task, signal) => {
    const options = { actor: 'scheduler', whenBusy: 'wait' as const, events }
    const runs = registry()
    if (runs === undefined) return runTask(db, project, task, { ...options, signal })
    const running = runs.begin(task, signal)
    const work = runTask(db, project, task, {
      ...options,
      signal: running.signal,
      ...running.callbacks,
      onRun: running.onRun,
    })
    return running.settle(work, (run) => run.status)
  }
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'Run the scheduler and the HTTPS API: start each enabled task with a schedule whenever it is due, until stopped.',
    )
    .option('--port <n>', 'the port of the HTTPS API (0: any free port)', positiveInteger, 8443)
    .option('--host <address>', 'the address the API listens on (0.0.0.0: every interface)', '127.0.0.1')
    .option('--cert <file>', 'the TLS certificate (PEM); default: PROVISIO_TLS_CERT, else a self-signed one')
    .option('--key <file>', 'the TLS private key (PEM); default: PROVISIO_TLS_KEY')
    .option('--no-api', 'run the scheduler only, without the API')
    .addHelpText(
      'after',
      `
The project is validated first; with errors, serve does not start. Tasks whose last run was
interrupted run again at once. Each run started and finished is printed as a line (--json: one
JSON object per line). SIGINT (Ctrl+C) or SIGTERM stops gracefully: nothing new starts, the runs
going on finish their in-flight operations and are recorded as interrupted, and the next start runs
them again. A second signal quits at once (exit code 130). Runs are recorded with actor 'scheduler'.

The HTTPS API (docs/server.md) listens on 127.0.0.1:8443 unless --no-api. Without --cert/--key a
self-signed certificate is made at the first start and kept in <project>/.provisio/tls/; its
SHA-256 fingerprint is printed at every start. Users log in with accounts from \`provisio users add\`.

Examples:
  $ provisio serve -p examples/hr500
  $ provisio serve --host 0.0.0.0 --port 443 --cert /etc/provisio/cert.pem --key /etc/provisio/key.pem
  $ provisio serve --no-api   # the scheduler only
  $ provisio serve --json --database postgres://provisio@db/provisio
  $ provisio task list -p examples/hr500   # what serve would schedule, and when`,
    )
    .action(async (options: ServeOptions, command: Command) => {
      await serveProject(contextOf(command), options)
    })
}

/** Where the API listens, for `provisio demo --serve` to print with the first admin's password. */
export interface Listening {
  readonly url: string
  readonly fingerprint: string
}

/**
 * What `provisio serve` does, also used by `provisio demo --serve`: the scheduler and (unless
 * `options.api` is false) the HTTPS API, until SIGINT or SIGTERM. `onListening` runs once the API
 * listens and before the scheduler starts (undefined without the API).
 */
export async function serveProject(
  ctx: CliContext,
  options: ServeOptions,
  onListening?: (api: Listening | undefined) => Promise<void> | void,
): Promise<void> {
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
    // The API starts before the scheduler does: every scheduled run finds its registry.
    run: scheduledRun(db, project, events, () => api?.registry),
    onEvent: (event) => out.event(event),
  })
  const stopped = firstSignal(() => {
    out.json({ event: 'exiting', running: scheduler.runningTasks() })
    ctx.out.note('Quitting at once: the runs going on are marked interrupted at the next start, and run again then.')
  })
  const resume = await tasksToResume(db, project)
  const api = options.api ? await startApi(ctx, out, db, events, options) : undefined
  out.line(`Serving project ${project.dir}.`)
  await onListening?.(api === undefined ? undefined : { url: api.url, fingerprint: api.fingerprint })
  scheduler.start(resume)
  const next = scheduler.nextRuns()
  out.json({
    event: 'serving',
    project: project.dir,
    resumed: resume,
    nextRuns: next.map((n) => ({ task: n.task, at: n.at.toISOString() })),
  })
  if (next.length === 0)
    out.line('No enabled task has a schedule: nothing runs by itself (restart serve after giving one a schedule).')
  for (const { task, at } of next) {
    const schedule = tasks.get(task)!.schedule!
    out.line(`Task ${task} (${schedule.cron}): next run ${inZone(at, schedule.timeZone)}.`)
  }
  const signal = await stopped
  out.json({ event: 'signal', signal })
  await api?.app.close() // no new requests; those going on are answered first
  await scheduler.stop()
  await events.drain() // the notifications of the last runs are still sent
  out.json({ event: 'stopped' })
  out.line('Stopped.')
}
