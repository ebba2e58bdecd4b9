/**
 * An export task's file: a filter's rows written as CSV (header = the filter's output columns,
 * values as text, null as empty) to a temporary file that is then renamed over the target, so a
 * reader never sees half a file; then rotation keeps the newest `keep` files of the pattern.
 */
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import Papa from 'papaparse'
import { type Clock, type Value, zonedParts } from '../core/index.ts'
import type { ExportTaskConfig, ValidatedProject } from '../config/index.ts'
import { compileFilter, runFilter } from '../filters/index.ts'
import type { SqlDriver } from '../vault/index.ts'

export interface ExportResult {
  /** The file written, relative to the project folder (with `/`). */
  readonly file: string
  readonly rows: number
  /** Older files of the pattern removed by rotation, relative to the project folder. */
  readonly removed: readonly string[]
}

/**
 * The pattern with its placeholders filled in: {date} `2026-12-01`, {datetime} `20261201-020000`,
 * {task} the task's name; dates in the task's schedule time zone, else the machine's.
 */
export function exportFileName(task: ExportTaskConfig, at: Date): string {
  const d = zonedParts(at, task.schedule?.timeZone)
  const values: Record<string, string> = {
    date: `${d.year}-${d.month}-${d.day}`,
    datetime: `${d.year}${d.month}${d.day}-${d.hour}${d.minute}${d.second}`,
    task: task.name,
  }
  return task.filePattern.replace(/\{(date|datetime|task)\}/g, (_, name: string) => values[name]!)
}

/** A regular expression for the file names the pattern's last segment gives, whatever the date. */
function namePattern(task: ExportTaskConfig): RegExp {
  const parts = path.posix.basename(task.filePattern.replaceAll('\\', '/')).split(/(\{(?:date|datetime|task)\})/)
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const source = parts
    .map((part) =>
      part === '{date}'
        ? '\\d{4}-\\d{2}-\\d{2}'
        : part === '{datetime}'
          ? '\\d{8}-\\d{6}'
          : part === '{task}'
            ? escape(task.name)
            : escape(part),
    )
    .join('')
  return new RegExp(`^${source}$`)
}

/** A value as CSV text: lists joined with `|` (as `filter run --csv` does), null empty. */
function cell(value: Value | undefined): string | number | boolean {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.join('|')
  return value as string | number | boolean
}

/** Writes the export of `task` and rotates its files; returns what was written and removed. */
export async function writeExport(
  db: SqlDriver,
  project: ValidatedProject,
  task: ExportTaskConfig,
  options: { readonly clock: Clock; readonly signal?: AbortSignal | undefined },
): Promise<ExportResult> {
  const filter = project.filters.find((f) => f.name === task.filter)!
  const compiled = compileFilter(
    filter,
    { systems: project.systems, links: project.links },
    db.dialect.name,
    task.parameters,
  )
  const columns = compiled.columns.map((c) => c.name)
  const relative = exportFileName(task, options.clock.now())
  const target = path.resolve(project.dir, relative)
  await mkdir(path.dirname(target), { recursive: true })
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`)
  const handle = await open(temporary, 'w')
  let rows = 0
  try {
    // escapeFormulae: a text starting with = + - @ is prefixed with ' so that a spreadsheet shows it instead of running it.
    const unparse = (data: unknown[][]) =>
      Papa.unparse(data, { delimiter: task.delimiter, escapeFormulae: true, newline: '\r\n' })
    await handle.write(`${unparse([columns])}\r\n`)
    for await (const page of runFilter(db, compiled)) {
      options.signal?.throwIfAborted()
      if (page.length === 0) continue
      await handle.write(`${unparse(page.map((row) => columns.map((c) => cell(row[c]))))}\r\n`)
      rows += page.length
    }
    await handle.sync()
  } catch (error) {
    await handle.close()
    await rm(temporary, { force: true })
    throw error
  }
  await handle.close()
  await rename(temporary, target)
  return { file: relative.replaceAll('\\', '/'), rows, removed: await rotate(project.dir, task, target) }
}

/** Deletes the files of the pattern beyond the newest `keep` (by modification time, then name). */
async function rotate(projectDir: string, task: ExportTaskConfig, written: string): Promise<string[]> {
  if (task.keep === undefined) return []
  const folder = path.dirname(written)
  const pattern = namePattern(task)
  const files = await Promise.all(
    (await readdir(folder))
      .filter((name) => pattern.test(name))
      .map(async (name) => ({ name, mtime: (await stat(path.join(folder, name))).mtimeMs })),
  )
  files.sort((a, b) => {
    // The file just written is the newest, whatever the clock of the file system says.
    if (a.name === path.basename(written)) return -1
    if (b.name === path.basename(written)) return 1
    return b.mtime - a.mtime || b.name.localeCompare(a.name)
  })
  const removed: string[] = []
  for (const { name } of files.slice(task.keep)) {
    await rm(path.join(folder, name), { force: true })
    removed.push(path.relative(projectDir, path.join(folder, name)).split(path.sep).join('/'))
  }
  return removed
}
