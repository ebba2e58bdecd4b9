/**
 * `{% filter_table 'name' limit: 50, param: 'x' %}`: a filter of the project run on the vault with
 * the tag's parameter values, at most `limit` rows shown, and how many more there are.
 */
import type { FilterTableRequest, TemplateFormat, ValidatedProject } from '../config/index.ts'
import { compileFilter, countFilter, runFilter } from '../filters/index.ts'
import type { SqlExecutor } from '../vault/index.ts'
import { eventError } from './errors.ts'
import { type Cell, formatTable } from './table-format.ts'

export async function renderFilterTable(
  db: SqlExecutor,
  project: ValidatedProject,
  request: FilterTableRequest,
  format: TemplateFormat,
  now: Date,
): Promise<string> {
  // Names match regardless of case, as validation resolved the tag's filter.
  const wanted = request.filter.toLowerCase()
  const filter = project.filters.find((f) => f.name.toLowerCase() === wanted)
  if (filter === undefined) {
    throw eventError(
      'EVT_TEMPLATE_FAILED',
      `{% filter_table %} names filter '${request.filter}', which the project does not have.`,
    )
  }
  const compiled = compileFilter(
    filter,
    { systems: project.systems, links: project.links, now },
    db.dialect.name,
    request.parameters,
  )
  const columns = compiled.columns.map((c) => c.name)
  const rows: Cell[][] = []
  // One row past the limit says whether there are more, without counting when there are not.
  for await (const page of runFilter(db, compiled, { limit: request.limit + 1 })) {
    for (const row of page) rows.push(columns.map((c) => row[c]))
  }
  const more = rows.length > request.limit ? (await countFilter(db, compiled)) - request.limit : 0
  return formatTable(columns, rows.slice(0, request.limit), format, more)
}
