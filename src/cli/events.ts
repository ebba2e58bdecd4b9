/**
 * The project's EventActions for one CLI command (docs/events.md): the dispatcher the command's run
 * emits into, and `finish`, which waits for the mails and webhooks the run caused and says which
 * failed. The dispatcher writes every delivery to its run's log itself; `finish` only reports.
 */
import type { ValidatedProject } from '../config/index.ts'
import { type Delivery, type DispatchSummary, EventDispatcher } from '../events/index.ts'
import type { SqlDriver } from '../vault/index.ts'
import type { CliContext } from './context.ts'

export interface CliEvents {
  readonly events: EventDispatcher
  /** Waits for every delivery; notes each one that failed (stderr), and how many were carried out. */
  finish(): Promise<DispatchSummary>
}

export function cliEvents(ctx: CliContext, db: SqlDriver, project: ValidatedProject): CliEvents {
  const failed: Delivery[] = []
  const events = new EventDispatcher({
    db,
    project,
    onDelivery: (delivery) => {
      if (!delivery.ok) failed.push(delivery)
    },
  })
  return {
    events,
    finish: async () => {
      const summary = await events.drain()
      for (const d of failed)
        ctx.out.note(
          `warning: event action ${d.action} (${d.eventType}) failed after ${d.attempts} attempt(s): ${d.error?.code ?? ''}: ${d.error?.message ?? ''}`,
        )
      if (summary.sent > 0)
        ctx.out.note(`${summary.sent} event action(s) carried out (mail, webhooks): see \`provisio runs show\`.`)
      return summary
    },
  }
}
