/**
 * Turns a checked Filter document into the resolved {@link FilterConfig} that the filters layer
 * compiles: table references split into system, table and alias (names as the data model declares
 * them), each join's relation or link resolved, defaults applied, and every item's path kept for
 * positioned issues later.
 */
import type { FilterConfig, FilterParameter, JoinItem, LookupItem } from './filter-model.ts'
import type { FilterDocument } from './filter-schema.ts'
import type { FilterTable, FilterTables } from './filter-tables.ts'
import type { LoadedDocument } from './loaded-document.ts'

/** The most output rows per start row that joins may produce before a run warns. */
export const DEFAULT_MAX_MULTIPLICATION = 10

/** Builds the resolved FilterConfig; the document must have passed the schema and the checks. */
export function resolveFilter(
  document: LoadedDocument,
  filter: FilterDocument,
  tables: FilterTables,
  parameters: readonly FilterParameter[],
  lookups: readonly LookupItem[],
): FilterConfig {
  const start = tables.start.target!
  return {
    name: document.name,
    ...(filter.description === undefined ? {} : { description: filter.description }),
    start: { system: start.system.name, table: start.table.name, alias: tables.start.alias },
    ...(filter.where === undefined ? {} : { where: filter.where }),
    parameters,
    joins: tables.start.children.map(toJoinItem),
    lookups,
    computed: Object.entries(filter.columns ?? {}).map(([name, expression]) => ({
      name,
      expression,
      path: ['columns', name],
    })),
    ...(filter.output === undefined ? {} : { output: filter.output }),
    maxMultiplication: filter.maxMultiplication ?? DEFAULT_MAX_MULTIPLICATION,
    file: document.file,
    document,
  }
}

function toJoinItem(table: FilterTable): JoinItem {
  const join = table.join!
  const target = table.target!
  return {
    system: target.system.name,
    table: target.table.name,
    alias: table.alias,
    mode: join.mode,
    // `via:` as the data model spells it; the reference itself was matched regardless of case.
    ...(join.via === undefined || table.through === undefined ? {} : { via: table.through.name }),
    ...(table.through === undefined ? {} : { through: table.through }),
    ...(join.where === undefined ? {} : { where: join.where }),
    joins: table.children.map(toJoinItem),
    path: table.path,
  }
}
