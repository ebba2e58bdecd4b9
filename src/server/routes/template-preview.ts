/**
 * A Template rendered for a sample event, as the events layer renders it for a mail (the same Liquid
 * engine, variables and `{% filter_table %}` / `{% plan_report %}` renderers, on the server's vault),
 * with what goes wrong answered as positioned issues instead of an error: a misspelt variable under
 * strict variables, a filter that cannot run. Nothing is sent and nothing is written.
 *
 * A sample event's run and plans are usually not in the vault: the template then sees a `run` made
 * from the event, and `{% plan_report %}` says which plans it cannot show instead of failing.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { type ProvisioEvent, isProvisioError } from '../../core/index.ts'
import {
  type LoadedDocument,
  type TemplateConfig,
  type TemplateFormat,
  type ValidatedProject,
  parseDocuments,
  templateTextPosition,
} from '../../config/index.ts'
import {
  type PartRender,
  type RenderLimits,
  type TemplatePart,
  TEMPLATE_PARTS,
  eventPlanIds,
  renderPlanReport,
  templatePartRenderer,
  templateVariables,
} from '../../events/index.ts'
import { type SqlExecutor, getPlan, getRun } from '../../vault/index.ts'
import type { EditIssue } from './config-edit.ts'

/**
 * Any reader may preview a text they typed: bounded, so that a loop cannot hold the server. One part
 * renders for at most 2 s, within liquidjs's memoryLimit, into at most 256 KiB: a mail, not a data dump.
 */
export const PREVIEW_LIMITS: RenderLimits = { renderMs: 2_000, memory: 10_000_000, maxChars: 256 * 1024 }

export interface TemplatePreview {
  /** null when the part could not be rendered (see `issues`). */
  readonly subject: string | null
  /** null when the template has no such part, or it could not be rendered. */
  readonly text: string | null
  readonly html: string | null
  readonly issues: EditIssue[]
}

export interface PlacedPosition {
  readonly line: number
  readonly column: number
  /** The project file (a saved Template); absent: the position is in the sent text. */
  readonly file?: string | undefined
  /** False when only the value's start is known (a folded or escaped scalar). */
  readonly exact: boolean
}

/**
 * Maps line/column of one part's text to where the user sees it: in the project file the saved
 * Template is in, or in the YAML text typed in the editor (an unsaved preview: positions count from
 * its first line). The mapping is config's (templateTextPosition).
 */
export type PlacePosition = (part: TemplatePart, text: string, line: number, column: number) => PlacedPosition

/** Positions in the project file of a saved Template (`dir`: the project folder). */
export async function filePlacement(template: TemplateConfig, dir: string): Promise<PlacePosition> {
  const fileText = await readFile(path.join(dir, ...template.file.split('/')), 'utf8').catch(() => undefined)
  return (part, text, line, column) => ({
    ...templateTextPosition(template.document, [part], text, line, column, fileText),
    file: template.file,
  })
}

/** Positions in `source`, the YAML text of one Template document as typed (line 1 is its first line). */
export function sourcePlacement(source: string): PlacePosition {
  const document: LoadedDocument | undefined = parseDocuments(source, 'source').documents[0]
  return (part, text, line, column) =>
    document === undefined
      ? { line: 1, column: 1, exact: false }
      : templateTextPosition(document, [part], text, line, column, source)
}

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

/**
 * Renders `template` for `event` on the vault, as a mail would be but within {@link PREVIEW_LIMITS}.
 * Problems of the template with this event are answered as issues placed by `place`; a renderer's
 * own failure that is not a ProvisioError (a bug) is thrown.
 */
export async function previewTemplate(
  db: SqlExecutor,
  project: ValidatedProject,
  template: TemplateConfig,
  event: ProvisioEvent,
  now: Date,
  place: PlacePosition,
): Promise<TemplatePreview> {
  const render = await templatePartRenderer(template, event, {
    db,
    project,
    now,
    variables: await variablesOf(db, event, now),
    planReport: (format) => samplePlanReport(db, project, event, format),
    limits: PREVIEW_LIMITS,
  })
  const issues: EditIssue[] = []
  const rendered: Partial<Record<TemplatePart, string | null>> = {}
  for (const part of TEMPLATE_PARTS) {
    const result = await render(part)
    if (result === undefined || 'output' in result) {
      rendered[part] = result?.output ?? null
      continue
    }
    rendered[part] = null
    issues.push(issueOf(result, part, template[part]?.text ?? '', place))
  }
  return { subject: rendered.subject ?? null, text: rendered.text ?? null, html: rendered.html ?? null, issues }
}

function issueOf(
  failure: Exclude<PartRender, { output: string }>,
  part: TemplatePart,
  text: string,
  place: PlacePosition,
): EditIssue {
  const { error, line, column } = failure
  // Without a position (rare), the issue points at the part's start.
  const at = place(part, text, line ?? 1, column ?? 1)
  const where =
    line !== undefined && column !== undefined && !at.exact
      ? ` (template line ${String(line)}, column ${String(column)})`
      : ''
  return {
    code: error.code,
    // A tag's own error keeps its message; the template's failure ends as a sentence.
    message: failure.byTag ? `${error.message}${where}` : `${error.message}${where}.`,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    path: [part],
    line: at.line,
    column: at.column,
    ...(at.file === undefined ? {} : { file: at.file }),
    inSource: at.file === undefined,
  }
}
