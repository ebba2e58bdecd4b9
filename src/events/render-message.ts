/**
 * A Template rendered for one event. Its variables are the event's fields at the top level
 * (`{{ name }}`, `{{ status }}`), the whole event as `event`, the run it happened in as `run` (when
 * it has one) and `now`. `{% filter_table %}` runs a filter on the vault (filter-table.ts),
 * `{% plan_report %}` reports the event's plans (plan-report.ts). The subject is rendered as text
 * on one line, the bodies in their own format (html escapes every output).
 */
import type { Clock, ProvisioEvent } from '../core/index.ts'
import { ProvisioError, toProvisioError } from '../core/index.ts'
import type { TemplateConfig, TemplateFormat, TemplateText, ValidatedProject } from '../config/index.ts'
import { createTemplateEngine, renderTemplateText } from '../config/index.ts'
import { type SqlExecutor, getRun } from '../vault/index.ts'
import { eventError } from './errors.ts'
import { renderFilterTable } from './filter-table.ts'
import { renderPlanReport } from './plan-report.ts'

export interface RenderedMessage {
  readonly subject: string
  readonly text?: string | undefined
  readonly html?: string | undefined
}

export interface RenderContext {
  readonly db: SqlExecutor
  readonly project: ValidatedProject
  readonly clock: Clock
}

/** The variables a template sees for `event`. */
export async function templateVariables(
  event: ProvisioEvent,
  db: SqlExecutor,
  now: Date,
): Promise<Record<string, unknown>> {
  const run =
    event.runId === undefined
      ? undefined
      : await getRun(db, event.runId).then((r) => ({
          id: r.id,
          status: r.status,
          startedAt: r.startedAt,
          finishedAt: r.finishedAt ?? null,
          counts: r.counts,
        }))
  return { ...event, event, ...(run === undefined ? {} : { run }), now: now.toISOString() }
}

/** The error a tag threw, from under liquidjs's RenderError wrapping. */
function originalError(error: unknown): unknown {
  let current = error
  for (let depth = 0; depth < 5; depth++) {
    const inner = (current as { originalError?: unknown } | null)?.originalError
    if (inner === undefined || inner === current) break
    current = inner
  }
  return current
}

/** Renders `template` for `event`; throws EVT_TEMPLATE_FAILED, or the filter's own error (FLT_NOT_COLLECTED…). */
export async function renderMessage(
  template: TemplateConfig,
  event: ProvisioEvent,
  context: RenderContext,
): Promise<RenderedMessage> {
  const now = context.clock.now()
  // A renderer's own failure that is not a ProvisioError is a bug, not a template problem: marked
  // here, before liquidjs wraps it.
  const guarded =
    <A extends unknown[]>(render: (...args: A) => Promise<string>) =>
    (...args: A) =>
      render(...args).catch((error: unknown) => {
        throw toProvisioError(error)
      })
  const engine = createTemplateEngine({
    filterTable: guarded((request, format) => renderFilterTable(context.db, context.project, request, format, now)),
    planReport: guarded((format) => renderPlanReport(context.db, context.project, event, format)),
  })
  const variables = await templateVariables(event, context.db, now)
  const render = async (part: string, text: TemplateText | undefined, format: TemplateFormat) => {
    if (text === undefined) return undefined
    try {
      return await renderTemplateText(engine, text.text, variables, format)
    } catch (error) {
      const original = originalError(error)
      if (original instanceof ProvisioError) throw original
      const message = (original instanceof Error ? original.message : String(original)).replace(
        /, line:\d+, col:\d+$/,
        '',
      )
      throw eventError(
        'EVT_TEMPLATE_FAILED',
        `Template '${template.name}' (${part}) cannot be rendered for ${event.type}: ${message}`,
        {
          details: { template: template.name, part, file: template.file },
        },
      )
    }
  }
  const subject = await render('subject', template.subject, 'text')
  return {
    subject: (subject ?? '').replace(/\s*[\r\n]+\s*/g, ' ').trim(),
    text: await render('text', template.text, 'text'),
    html: await render('html', template.html, 'html'),
  }
}
