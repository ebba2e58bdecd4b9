/**
 * A filter's `output:` list: each entry is `alias.column`, `alias.*` or the name of a computed
 * column. Only attached tables (start, and any/multiple/optional joins not inside none/all) have
 * columns in the output; a none or all join contributes rows' existence, not columns.
 */
import { closestMatch } from '../core/index.ts'
import type { Findings } from './filter-references.ts'
import type { FilterDocument } from './filter-schema.ts'
import { describePath, type FilterTable, type FilterTables } from './filter-tables.ts'
import { attachedTables } from './filter-scopes.ts'
import { issueAt } from './issues.ts'

/** Checks every entry of `output:` against the filter's tables and computed columns. */
export function checkOutput(findings: Findings, tables: FilterTables, filter: FilterDocument): void {
  const computed = Object.keys(filter.columns ?? {})
  ;(filter.output ?? []).forEach((entry, i) => {
    const path = ['output', i]
    const dot = entry.indexOf('.')
    if (dot === -1) checkComputedName(findings, tables, computed, entry, path)
    else checkColumnEntry(findings, tables, entry.slice(0, dot), entry.slice(dot + 1), entry, path)
  })
}

function checkComputedName(
  findings: Findings,
  tables: FilterTables,
  computed: readonly string[],
  entry: string,
  path: (string | number)[],
): void {
  if (computed.includes(entry)) return
  const columns = attachedTables(tables)
    .filter((t) => t.target !== undefined)
    .flatMap((t) => t.target!.table.columns.map((c) => `${t.alias}.${c.name}`))
  const match = closestMatch(entry, [...computed, ...columns])
  const alias = attachedTables(tables).find((t) => t.alias === entry)
  findings.add(
    issueAt(
      findings.document,
      'CFG_UNKNOWN_COLUMN',
      `Output '${entry}' is not a computed column; a table's column is written alias.column.`,
      path,
      {
        hint:
          alias !== undefined
            ? `Write '${entry}.*' for every column of '${entry}'.`
            : match !== undefined
              ? `Did you mean '${match}'?`
              : computed.length === 0
                ? `Write alias.column, alias.* or declare '${entry}' under columns:.`
                : `The computed columns are: ${computed.join(', ')}.`,
        value: entry,
      },
    ),
  )
}

function checkColumnEntry(
  findings: Findings,
  tables: FilterTables,
  alias: string,
  column: string,
  entry: string,
  path: (string | number)[],
): void {
  const { document } = findings
  const table = tables.all.find((t) => t.alias === alias)
  const attached = [...new Set(attachedTables(tables).map((t) => t.alias))]
  if (table === undefined) {
    unknownAlias(findings, tables, alias, column, entry, path)
    return
  }
  if (!table.attached) {
    findings.add(
      issueAt(
        document,
        'CFG_UNKNOWN_ALIAS',
        `Output '${entry}' names alias '${alias}', ${detachedReason(table)}, so its columns are not in the filter's rows.`,
        path,
        {
          hint: `Output columns of the start table or of any, multiple and optional joins: ${attached.join(', ')}.`,
          value: entry,
        },
      ),
    )
    return
  }
  if (table.target === undefined || column === '*') return
  if (table.target.table.columns.some((c) => c.name === column)) return
  const names = table.target.table.columns.map((c) => c.name)
  const match = closestMatch(column, names)
  const qualified = `${table.target.system.name}.${table.target.table.name}`
  findings.add(
    issueAt(
      document,
      'CFG_UNKNOWN_COLUMN',
      `Output '${entry}': table '${qualified}' (alias '${alias}') has no column '${column}'.`,
      path,
      {
        hint:
          match !== undefined ? `Did you mean '${alias}.${match}'?` : `Use one of: ${names.join(', ')}, or ${alias}.*.`,
        value: entry,
      },
    ),
  )
}

function unknownAlias(
  findings: Findings,
  tables: FilterTables,
  alias: string,
  column: string,
  entry: string,
  path: (string | number)[],
): void {
  const attached = attachedTables(tables)
  const aliases = [...new Set(attached.map((t) => t.alias))]
  const match = closestMatch(alias, aliases)
  const matched = attached.find((t) => t.alias === match)
  // Suggest the closest alias only when it has the column, so that the suggestion is valid.
  const fits = column === '*' || matched?.target?.table.columns.some((c) => c.name === column) === true
  findings.add(
    issueAt(
      findings.document,
      'CFG_UNKNOWN_ALIAS',
      `Output '${entry}' names alias '${alias}', which the filter does not define.`,
      path,
      {
        hint:
          match !== undefined && fits
            ? `Did you mean '${match}.${column}'?`
            : `The aliases with columns are: ${aliases.join(', ')}.`,
        value: entry,
      },
    ),
  )
}

/** Why a defined table's columns are not attached: its own mode, or an enclosing none/all join. */
function detachedReason(table: FilterTable): string {
  const detaching = (t: FilterTable) => t.join?.mode === 'none' || t.join?.mode === 'all'
  if (detaching(table)) return `a join with mode ${table.join!.mode}`
  let outer = table.parent
  while (outer !== undefined && !detaching(outer)) outer = outer.parent
  if (outer?.join === undefined) return 'a table without attached columns'
  return `a join inside ${describePath(outer.path)} (mode ${outer.join.mode})`
}
