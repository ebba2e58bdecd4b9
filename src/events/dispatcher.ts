/**
 * The EventSink a run emits into (docs/events.md): each event is matched against the project's
 * enabled EventActions — event type, `source` (the event's name), `on` (success, failure, always)
 * and `filter` — and every match is queued as a delivery: a mail made from a Template, or a
 * webhook call. Deliveries run in the background (4 at a time, at most 10,000 waiting); `emit`
 * never waits and never throws, so a slow or broken mail server cannot hold up or break a run.
 * Each outcome is reported through `onDelivery`, for the caller to write to the run's log.
 */
import type { Clock, EventSink, EventType, Logger, ProvisioEvent } from '../core/index.ts'
import { silentLogger, systemClock, toProvisioError } from '../core/index.ts'
import type { EmailAction, EventActionConfig, ValidatedProject } from '../config/index.ts'
import { compileEventFilter } from '../config/index.ts'
import { type SqlExecutor, appendRunLog } from '../vault/index.ts'
import { type Sleep, callWebhook } from './call-webhook.ts'
import { DeliveryQueue } from './delivery-queue.ts'
import { eventError } from './errors.ts'
import { renderMessage } from './render-message.ts'
import { sendMail } from './send-mail.ts'

/** Deliveries running at once. */
export const DELIVERY_CONCURRENCY = 4
/** Deliveries waiting or running at most; events matching beyond it are dropped (EVT_QUEUE_FULL, reported once). */
export const DELIVERY_QUEUE_LIMIT = 10_000

/** One outcome: a delivery carried out or failed, an event filter that failed, or deliveries dropped. */
export interface Delivery {
  /** The EventAction's name. */
  readonly action: string
  readonly eventType: EventType
  readonly ok: boolean
  /** The run the event happened in; the delivery is written to its log. */
  readonly runId?: number | undefined
  /** Requests made (webhook retries included); 0 when nothing was sent. */
  readonly attempts: number
  /** Never holds a secret: no password, no webhook secret, no URL query. */
  readonly error?: { readonly code: string; readonly message: string } | undefined
}

export interface DispatchSummary {
  /** Deliveries carried out. */
  readonly sent: number
  /** Deliveries that failed. */
  readonly failed: number
  /** Matching events dropped because the queue was full. */
  readonly dropped: number
  /** Events for which an action's filter failed (counted as not matching). */
  readonly filterErrors: number
}

export interface EventDispatcherOptions {
  /** The vault: templates read runs, plans and filter rows from it. */
  readonly db: SqlExecutor
  readonly project: ValidatedProject
  /** Where `${env:NAME}` references (SMTP password, webhook secret and headers) are resolved. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  /** @default silent */
  readonly logger?: Logger | undefined
  /** @default the system clock */
  readonly clock?: Clock | undefined
  /** Waits between webhook attempts. @default setTimeout */
  readonly sleep?: Sleep | undefined
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch | undefined
  /** Each outcome; an exception thrown here is logged and otherwise ignored. */
  readonly onDelivery?: ((delivery: Delivery) => void) | undefined
  /** @default DELIVERY_CONCURRENCY */
  readonly concurrency?: number | undefined
  /** @default DELIVERY_QUEUE_LIMIT */
  readonly queueLimit?: number | undefined
}

type EventFilter = (event: ProvisioEvent) => boolean

export class EventDispatcher implements EventSink {
  private readonly options: EventDispatcherOptions
  private readonly logger: Logger
  private readonly clock: Clock
  private readonly queue: DeliveryQueue
  /** Enabled actions by the event type they listen to. */
  private readonly byType = new Map<EventType, EventActionConfig[]>()
  /** Compiled once per action, on first use; an Error when it could not be compiled. */
  private readonly filters = new Map<EventActionConfig, EventFilter | Error>()
  /** Actions whose filter failed already: reported once, counted always (a million events, one report). */
  private readonly filterFailed = new Set<EventActionConfig>()
  /** The run-log lines of deliveries, written one after the other (drain waits for them). */
  private logs: Promise<void> = Promise.resolve()
  private full = false
  private sent = 0
  private failed = 0
  private dropped = 0
  private filterErrors = 0

  constructor(options: EventDispatcherOptions) {
    this.options = options
    this.logger = options.logger ?? silentLogger
    this.clock = options.clock ?? systemClock
    this.queue = new DeliveryQueue(
      options.concurrency ?? DELIVERY_CONCURRENCY,
      options.queueLimit ?? DELIVERY_QUEUE_LIMIT,
    )
    for (const action of options.project.eventActions) {
      if (!action.enabled) continue
      const list = this.byType.get(action.event) ?? []
      list.push(action)
      this.byType.set(action.event, list)
    }
  }

  wants(type: EventType): boolean {
    return this.byType.has(type)
  }

  emit(event: ProvisioEvent): void {
    try {
      for (const action of this.byType.get(event.type) ?? []) {
        if (!this.matches(action, event)) continue
        if (this.queue.push(() => this.deliver(action, event))) {
          // The backlog cleared completely since the last overflow: a later one is reported again.
          if (this.queue.size === 1) this.full = false
          continue
        }
        this.dropped++
        if (!this.full) {
          this.full = true
          const error = eventError(
            'EVT_QUEUE_FULL',
            `${this.queue.size} deliveries are waiting; events for EventAction '${action.name}' and others are dropped until there is room.`,
          )
          this.report(event, { action: action.name, eventType: event.type, ok: false, attempts: 0, error })
        }
      }
    } catch (error) {
      this.logger.error('Event dispatch failed', { type: event.type, error: toProvisioError(error).message })
    }
  }

  /** Waits for every queued delivery (and its line in the run's log); the counts are since the dispatcher was made. */
  async drain(): Promise<DispatchSummary> {
    await this.queue.drain()
    await this.logs
    return { sent: this.sent, failed: this.failed, dropped: this.dropped, filterErrors: this.filterErrors }
  }

  private matches(action: EventActionConfig, event: ProvisioEvent): boolean {
    if (action.source !== undefined && action.source !== event.name) return false
    if (action.on === 'success' && !event.success) return false
    if (action.on === 'failure' && event.success) return false
    if (action.filter === undefined) return true
    let filter = this.filters.get(action)
    if (filter === undefined) {
      try {
        filter = compileEventFilter(action)
      } catch (error) {
        filter = error instanceof Error ? error : new Error(String(error))
      }
      this.filters.set(action, filter)
    }
    try {
      if (filter instanceof Error) throw filter
      return filter(event) === true
    } catch (error) {
      this.filterErrors++
      if (!this.filterFailed.has(action)) {
        this.filterFailed.add(action)
        const cause = toProvisioError(error)
        const failure = eventError(
          'EVT_FILTER_FAILED',
          `The filter of EventAction '${action.name}' failed for ${event.type} '${event.name}': ${cause.message} (reported once; the action does not fire while it fails).`,
        )
        this.report(event, { action: action.name, eventType: event.type, ok: false, attempts: 0, error: failure })
      }
      return false
    }
  }

  private async deliver(action: EventActionConfig, event: ProvisioEvent): Promise<void> {
    const target = action.action
    let attempts = 0
    try {
      if (target.type === 'email') {
        attempts = 1
        await this.sendEmail(target, event)
      } else {
        const result = await callWebhook(target, event, {
          env: this.options.env,
          fetch: this.options.fetch,
          sleep: this.options.sleep,
          clock: this.clock,
        })
        attempts = result.attempts
      }
      this.sent++
      this.report(event, { action: action.name, eventType: event.type, ok: true, attempts })
    } catch (raw) {
      const error = toProvisioError(raw)
      const tried = error.details?.['attempts']
      this.failed++
      this.report(event, {
        action: action.name,
        eventType: event.type,
        ok: false,
        attempts: typeof tried === 'number' ? tried : attempts,
        error,
      })
    }
  }

  private async sendEmail(action: EmailAction, event: ProvisioEvent): Promise<void> {
    const { project, db } = this.options
    const template = project.templates.find((t) => t.name === action.template)
    const server = project.mailServers.find((s) => s.name === action.server)
    // Validation guarantees both; a project loaded without validation may still lack them.
    if (template === undefined)
      throw eventError('EVT_TEMPLATE_FAILED', `There is no valid Template '${action.template}'.`)
    if (server === undefined) {
      throw eventError('EVT_MAIL_REJECTED', `There is no valid MailServer '${action.server}'.`, {
        hint: '`provisio validate` lists the problems of the project.',
      })
    }
    const message = await renderMessage(template, event, { db, project, clock: this.clock })
    await sendMail(
      server,
      { from: action.from, to: action.to, cc: action.cc, bcc: action.bcc, ...message },
      { projectDir: project.dir, env: this.options.env, clock: this.clock },
    )
  }

  private report(
    event: ProvisioEvent,
    delivery: Omit<Delivery, 'error' | 'runId'> & { readonly error?: Error & { code?: string } },
  ): void {
    const { error, ...rest } = delivery
    const base = event.runId === undefined ? rest : { ...rest, runId: event.runId }
    const outcome: Delivery =
      error === undefined ? base : { ...base, error: { code: error.code ?? 'BUG_UNEXPECTED', message: error.message } }
    if (outcome.runId !== undefined) this.logInRun(outcome.runId, outcome)
    if (outcome.ok) this.logger.debug('Event action carried out', { ...outcome })
    else this.logger.warn('Event action failed', { ...outcome })
    try {
      this.options.onDelivery?.(outcome)
    } catch (failure) {
      this.logger.error('onDelivery failed', { error: toProvisioError(failure).message })
    }
  }

  /** Writes a delivery to its run's log: a run's record says which mails and webhooks it caused. */
  private logInRun(runId: number, delivery: Delivery): void {
    const what = `Event action ${delivery.action} (${delivery.eventType})`
    const entry = delivery.ok
      ? { level: 'info' as const, message: `${what} carried out.`, details: { attempts: delivery.attempts } }
      : {
          level: 'warn' as const,
          message: `${what} failed after ${delivery.attempts} attempt(s): ${delivery.error?.code}: ${delivery.error?.message}`,
          details: { attempts: delivery.attempts, code: delivery.error?.code },
        }
    this.logs = this.logs.then(() =>
      appendRunLog(this.options.db, runId, [{ ...entry, at: this.clock.now().toISOString() }], this.clock).catch(
        (error: unknown) =>
          this.logger.warn('A delivery could not be written to the run log', {
            runId,
            error: toProvisioError(error).message,
          }),
      ),
    )
  }
}
