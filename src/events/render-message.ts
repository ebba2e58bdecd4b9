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
import { createTemplateEngine, renderTemplateText, templateErrorPosition } from '../config/index.ts'
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

/** The three Liquid texts of a Template, in the order a mail renders them (html in HTML, the others as text). */
export type TemplatePart = 'subject' | 'text' | 'html'
export const TEMPLATE_PARTS: readonly TemplatePart[] = ['subject', 'text', 'html']

/** Bounds of a render that anyone may start with a text they typed (a preview), so a loop cannot hold the server. */
export interface RenderLimits {
  /** liquidjs's renderLimit: how long one part may render, in milliseconds. */
  readonly renderMs: number
  /** liquidjs's memoryLimit: the elements of ranges and the characters of strings a render makes. */
  readonly memory: number
  /** The most characters one rendered part may have. */
  readonly maxChars: number
}

/** What a render of a template sees besides the template and the event. */
export interface TemplateRendering {
  readonly db: SqlExecutor
  readonly project: ValidatedProject
  readonly now: Date
  /** The template's variables; default: {@link templateVariables} of the event. */
  readonly variables?: Record<string, unknown> | undefined
  /** What `{% plan_report %}` renders; default: the event's plans ({@link renderPlanReport}). */
  readonly planReport?: ((format: TemplateFormat) => Promise<string>) | undefined
  readonly limits?: RenderLimits | undefined
}

/**
 * One part rendered (the subject on one line), or why it could not be: the error a tag threw
 * (`byTag`, FLT_NOT_COLLECTED…) or EVT_TEMPLATE_FAILED, with Liquid's line and column in the part's
 * text when it names them.
 */
export type PartRender =
  | { readonly output: string }
  | { readonly error: ProvisioError; readonly byTag: boolean; readonly line?: number; readonly column?: number }

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

/**
 * Renders the parts of `template` for `event`, one at a time (undefined: the template has no such
 * part). A renderer's own failure that is not a ProvisioError is a bug, not a template problem: it
 * is thrown (as BUG_UNEXPECTED) instead of answered.
 */
export async function templatePartRenderer(
  template: TemplateConfig,
  event: ProvisioEvent,
  rendering: TemplateRendering,
): Promise<(part: TemplatePart) => Promise<PartRender | undefined>> {
  const { db, project, now, limits } = rendering
  // Marked here, before liquidjs wraps it.
  let bug: unknown
  const guarded =
    <A extends unknown[]>(render: (...args: A) => Promise<string>) =>
    (...args: A) =>
      render(...args).catch((error: unknown) => {
        if (!(error instanceof ProvisioError)) bug ??= error
        throw toProvisioError(error)
      })
  const engine = createTemplateEngine({
    filterTable: guarded((request, format) => renderFilterTable(db, project, request, format, now)),
    planReport: guarded(rendering.planReport ?? ((format) => renderPlanReport(db, project, event, format))),
  })
  if (limits !== undefined) {
    engine.options.renderLimit = limits.renderMs
    engine.options.memoryLimit = limits.memory
  }
  const variables = rendering.variables ?? (await templateVariables(event, db, now))
  return async (part) => {
    const text: TemplateText | undefined = template[part]
    if (text === undefined) return undefined
    const format: TemplateFormat = part === 'html' ? 'html' : 'text'
    try {
      const output = await renderTemplateText(engine, text.text, variables, format)
      if (limits !== undefined && output.length > limits.maxChars) {
        throw new Error(
          `the rendered text has ${output.length} characters, more than a preview shows (${limits.maxChars})`,
        )
      }
      return { output: part === 'subject' ? output.replace(/\s*[\r\n]+\s*/g, ' ').trim() : output }
    } catch (error) {
      if (bug !== undefined) throw toProvisioError(bug)
      const { line, column } = templateErrorPosition(error)
      const position = { ...(line === undefined ? {} : { line }), ...(column === undefined ? {} : { column }) }
      const original = originalError(error)
      if (original instanceof ProvisioError) return { error: original, byTag: true, ...position }
      const message = (original instanceof Error ? original.message : String(original)).replace(
        /, line:\d+, col:\d+$/,
        '',
      )
      const failed = eventError(
        'EVT_TEMPLATE_FAILED',
        `Template '${template.name}' (${part}) cannot be rendered for ${event.type}: ${message}`,
        { details: { template: template.name, part, file: template.file } },
      )
      return { error: failed, byTag: false, ...position }
    }
  }
}

/** Renders `template` for `event`; throws EVT_TEMPLATE_FAILED, or the filter's own error (FLT_NOT_COLLECTED…). */
export async function renderMessage(
  template: TemplateConfig,
  event: ProvisioEvent,
  context: RenderContext,
): Promise<RenderedMessage> {
  const renderPart = await templatePartRenderer(template, event, {
    db: context.db,
    project: context.project,
    now: context.clock.now(),
  })
  const render = async (part: TemplatePart): Promise<string | undefined> => {
    const rendered = await renderPart(part)
    if (rendered !== undefined && 'error' in rendered) throw rendered.error
    return rendered?.output
  }
  const subject = await render('subject')
  return { subject: subject ?? '', text: await render('text'), html: await render('html') }
}
