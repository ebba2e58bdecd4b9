/**
 * The tables of a filter: the start table and every join item at any depth, resolved against the
 * data model, with their aliases (unique within the filter, regardless of case, because SQL
 * compares quoted identifiers without case in SQLite) and whether their columns are attached to
 * the filter's rows.
 */
import { formatPath, type Issue } from '../core/index.ts'
import type { JoinMode, JoinVia } from './filter-model.ts'
import { type Findings, resolveTable, type TableTarget } from './filter-references.ts'
import { type FilterDocument, type JoinDocument, parseTableRef } from './filter-schema.ts'
import { issueAt } from './issues.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** Join modes whose matches' columns are attached to the parent's rows. */
export const ATTACHING_MODES: readonly JoinMode[] = ['any', 'multiple', 'optional']

/** One table of a filter: the start table (no `join`) or a join item. */
export interface FilterTable {
  /** The reference as written: `hr500.employees AS e`. */
  readonly text: string
  readonly alias: string
  /** The table, or undefined when its reference did not resolve (already reported or blocked). */
  readonly target: TableTarget | undefined
  /** Where the item sits: `['start']` or `['joins', 0, 'joins', 1]`. */
  readonly path: DocumentPath
  /** Where its `system.table` reference sits: `['start']` or `[...path, 'table']`. */
  readonly refPath: DocumentPath
  readonly join: JoinDocument | undefined
  readonly parent: FilterTable | undefined
  /**
   * Whether the table's columns reach the filter's rows: the start table, and any/multiple/optional
   * joins none of whose ancestors is a none or all item.
   */
  readonly attached: boolean
  readonly children: FilterTable[]
  /** Whether the alias repeats an earlier table's; expressions then see the earlier table under it. */
  duplicate: boolean
  /** The relation or link the join goes through, once filter-joins.ts has found it. */
  through?: JoinVia
}

/** The filter's tables as a tree (`start`) and in document order (`all`, start first). */
export interface FilterTables {
  readonly start: FilterTable
  readonly all: readonly FilterTable[]
}

/** Resolves every table reference of the filter and checks that aliases are unique. */
export function collectTables(findings: Findings, filter: FilterDocument): FilterTables {
  const all: FilterTable[] = []
  const start = makeTable(findings, filter.start, ['start'], ['start'], undefined, undefined)
  all.push(start)
  const walk = (parent: FilterTable, joins: readonly JoinDocument[] | undefined, base: DocumentPath) => {
    ;(joins ?? []).forEach((join, i) => {
      const path = [...base, 'joins', i]
      const table = makeTable(findings, join.table, path, [...path, 'table'], join, parent)
      parent.children.push(table)
      all.push(table)
      walk(table, join.joins, path)
    })
  }
  walk(start, filter.joins, [])
  checkAliases(findings, all)
  return { start, all }
}

function makeTable(
  findings: Findings,
  text: string,
  path: DocumentPath,
  refPath: DocumentPath,
  join: JoinDocument | undefined,
  parent: FilterTable | undefined,
): FilterTable {
  const ref = parseTableRef(text)
  const target = resolveTable(findings, ref.system, ref.table, refPath, text)
  const attached =
    parent === undefined || (parent.attached && join !== undefined && ATTACHING_MODES.includes(join.mode))
  return {
    text,
    alias: ref.alias ?? target?.table.name ?? ref.table,
    target,
    path,
    refPath,
    join,
    parent,
    attached,
    children: [],
    duplicate: false,
  }
}

function checkAliases(findings: Findings, tables: readonly FilterTable[]): void {
  const firsts = new Map<string, FilterTable>()
  for (const table of tables) {
    const first = firsts.get(table.alias.toLowerCase())
    if (first === undefined) {
      firsts.set(table.alias.toLowerCase(), table)
      continue
    }
    table.duplicate = true
    findings.add(duplicateAlias(findings, table, first))
  }
}

function duplicateAlias(findings: Findings, table: FilterTable, first: FilterTable): Issue {
  const { document } = findings
  const at = document.positionOf(first.refPath)
  const written = parseTableRef(table.text).alias !== undefined
  return issueAt(
    document,
    'CFG_DUPLICATE_ALIAS',
    `Alias '${table.alias}'${written ? '' : " (the table's name, the default alias)"} is already used by ${describePath(first.refPath)} (line ${at.line}).`,
    table.refPath,
    {
      hint: `Give this table its own alias: \`${stripAlias(table.text)} AS ${table.alias}2\`.`,
      value: table.text,
    },
  )
}

function stripAlias(text: string): string {
  const ref = parseTableRef(text)
  return `${ref.system}.${ref.table}`
}

/** `start` or `joins[0].joins[1]`, as messages name an item. */
export function describePath(path: DocumentPath): string {
  return formatPath(path.at(-1) === 'table' ? path.slice(0, -1) : path)
}

/** `hr500.employees (e)`: a table and its alias, for messages. */
export function describeTable(table: FilterTable): string {
  if (table.target === undefined) return table.alias
  const name = `${table.target.system.name}.${table.target.table.name}`
  return table.alias === table.target.table.name ? name : `${name} (${table.alias})`
}
