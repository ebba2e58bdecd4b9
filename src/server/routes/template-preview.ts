/**
 * A Template rendered for a sample event, as the events layer renders it for a mail (the same Liquid
 * engine, variables and `{% filter_table %}` / `{% plan_report %}` renderers, on the server's vault),
 * with what goes wrong answered as positioned issues instead of an error: a misspelt variable under
 * strict variables, a filter that cannot run. Nothing is sent and nothing is written.
 *
 * A sample event's run and plans are usually not in the vault: the template then sees a `run` made
 * from the event, and `{% plan_report %}` says which plans it cannot show instead of failing.
 */
import { type ProvisioEvent, ProvisioError, isProvisioError, toProvisioError } from '../../core/index.ts'
import {
  type TemplateConfig,
  type TemplateFormat,
  type ValidatedProject,
  createTemplateEngine,
  renderTemplateText,
  templateErrorPosition,
} from '../../config/index.ts'
import { eventError, eventPlanIds, renderFilterTable, renderPlanReport, templateVariables } from '../../events/index.ts'
import { type SqlExecutor, getPlan, getRun } from '../../vault/index.ts'
import type { EditIssue } from './config-edit.ts'
import type { PlacePosition, TemplatePart } from './template-issue-positions.ts'

/** How long one part of a preview may render, in milliseconds (liquidjs's renderLimit). */
export const PREVIEW_RENDER_MS = 2_000
/** liquidjs's memoryLimit: the elements of ranges and the characters of strings a render makes. */
export const PREVIEW_MEMORY = 10_000_000
/** The most characters one rendered part may have: a mail, not a data dump. */
export const PREVIEW_MAX_CHARS = 256 * 1024

export interface TemplatePreview {
  /** null when the part could not be rendered (see `issues`). */
  readonly subject: string | null
  /** null when the template has no such part, or it could not be rendered. */
  readonly text: string | null
  readonly html: string | null
  readonly issues: EditIssue[]
}

const PARTS: readonly { part: TemplatePart; format: TemplateFormat }[] = [
  { part: 'subject', format: 'text' },
  { part: 'text', format: 'text' },
  { part: 'html', format: 'html' },
]

/** Whether `lookup` finds the row: false on the vault's not-found code, any other error thrown. */
async function found(lookup: () => Promise<unknown>, notFound: string): Promise<boolean> {
  try {
    await lookup()
    return true
  } catch (error) {
    if (isProvisioError(error) && error.code === notFound) return false
    throw error
  }
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
}

async function runInVault(db: SqlExecutor, runId: unknown): Promise<boolean> {
  return isId(runId) && found(() => getRun(db, runId), 'VLT_UNKNOWN_RUN')
}

/** The template's variables; for a run the vault does not have, `run` is made from the event. */
async function variablesOf(db: SqlExecutor, event: ProvisioEvent, now: Date): Promise<Record<string, unknown>> {
  if (event.runId === undefined || (await runInVault(db, event.runId))) return templateVariables(event, db, now)
  const { runId, ...withoutRun } = event
  const variables = await templateVariables(withoutRun as ProvisioEvent, db, now)
  const { counts, status } = event as { counts?: unknown; status?: unknown }
  const run = {
    id: runId,
    status: typeof status === 'string' ? status : event.success ? 'succeeded' : 'failed',
    startedAt: event.at,
    finishedAt: event.at,
    counts: counts ?? {},
  }
  return { ...variables, runId, event, run }
}

function note(text: string, format: TemplateFormat): string {
  return format === 'text' ? `(${text})` : `<p><em>(${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')})</em></p>`
}

/** `{% plan_report %}` for a sample: the event's plans the vault has, and a note for those it has not. */
async function samplePlanReport(
  db: SqlExecutor,
  project: ValidatedProject,
  event: ProvisioEvent,
  format: TemplateFormat,
): Promise<string> {
  // A sample's fields are whatever the client sent: only whole numbers are looked up.
  const listed: unknown = eventPlanIds(event)
  const ids = (Array.isArray(listed) ? (listed as unknown[]) : []).filter(isId)
  const present: number[] = []
  for (const id of ids) if (await found(() => getPlan(db, id), 'VLT_UNKNOWN_PLAN')) present.push(id)
  const missing = ids.filter((id) => !present.includes(id))
  const parts: string[] = []
  if (present.length > 0) {
    // The event with only the plans the vault has, whether it lists plans or names one.
    const reported = { ...event, planIds: present, planId: present[0] } as unknown as ProvisioEvent
    parts.push(await renderPlanReport(db, project, reported, format))
  }
  if (missing.length > 0) {
    const plans = `plan${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`
    parts.push(
      note(`plan report: ${plans} of the sample event ${missing.length === 1 ? 'is' : 'are'} not in the vault`, format),
    )
  }
  if (parts.length > 0) return parts.join(format === 'text' ? '\n\n' : '\n')
  if (event.runId !== undefined && !(await runInVault(db, event.runId))) {
    return note(
      `plan report: run ${String(event.runId)} is not in the vault; a real run's mail shows its plans here`,
      format,
    )
  }
  return note('no plans', format)
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

/**
 * Renders `template` for `event` on the vault. Problems of the template with this event are answered
 * as issues placed by `place`; a renderer's own failure that is not a ProvisioError (a bug) is thrown.
 */
export async function previewTemplate(
  db: SqlExecutor,
  project: ValidatedProject,
  template: TemplateConfig,
  event: ProvisioEvent,
  now: Date,
  place: PlacePosition,
): Promise<TemplatePreview> {
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
    planReport: guarded((format) => samplePlanReport(db, project, event, format)),
  })
  // Any reader may preview a text they typed: bounded, so that a loop cannot hold the server.
  engine.options.renderLimit = PREVIEW_RENDER_MS
  engine.options.memoryLimit = PREVIEW_MEMORY
  const variables = await variablesOf(db, event, now)
  const issues: EditIssue[] = []
  const rendered: Partial<Record<TemplatePart, string | null>> = {}
  for (const { part, format } of PARTS) {
    const text = template[part]
    if (text === undefined) {
      rendered[part] = null
      continue
    }
    try {
      const output = await renderTemplateText(engine, text.text, variables, format)
      if (output.length > PREVIEW_MAX_CHARS) {
        throw new Error(
          `the rendered text has ${output.length} characters, more than a preview shows (${PREVIEW_MAX_CHARS})`,
        )
      }
      rendered[part] = output
    } catch (error) {
      if (bug !== undefined) throw toProvisioError(bug)
      rendered[part] = null
      issues.push(issueOf(error, template, part, text.text, event, place))
    }
  }
  return {
    subject: rendered.subject == null ? null : rendered.subject.replace(/\s*[\r\n]+\s*/g, ' ').trim(),
    text: rendered.text ?? null,
    html: rendered.html ?? null,
    issues,
  }
}

function issueOf(
  error: unknown,
  template: TemplateConfig,
  part: TemplatePart,
  text: string,
  event: ProvisioEvent,
  place: PlacePosition,
): EditIssue {
  const { message, line, column } = templateErrorPosition(error)
  // Without a position (rare), the issue points at the part's start.
  const at = place(part, text, line ?? 1, column ?? 1)
  const where =
    line !== undefined && column !== undefined && !at.exact
      ? ` (template line ${String(line)}, column ${String(column)})`
      : ''
  const position = { line: at.line, column: at.column, ...(at.file === undefined ? {} : { file: at.file }) }
  const original = originalError(error)
  if (original instanceof ProvisioError) {
    return {
      code: original.code,
      message: `${original.message}${where}`,
      ...(original.hint === undefined ? {} : { hint: original.hint }),
      path: [part],
      ...position,
      inSource: at.file === undefined,
    }
  }
  const failed = eventError(
    'EVT_TEMPLATE_FAILED',
    `Template '${template.name}' (${part}) cannot be rendered for ${event.type}: ${message}${where}.`,
  )
  return {
    code: failed.code,
    message: failed.message,
    ...(failed.hint === undefined ? {} : { hint: failed.hint }),
    path: [part],
    ...position,
    inSource: at.file === undefined,
  }
}
