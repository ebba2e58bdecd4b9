/**
 * Loading the current values of the `uniqueIn` columns from the vault into memory, once per run, so
 * that checking 100,000 generated names costs 100,000 Set lookups and no query. A single-valued
 * column is read from the table's current view; a multi-valued one (proxyAddresses) from its side
 * table, joined to the current rows.
 */
import type { ColumnRef, NameGeneratorConfig } from '../../config/index.ts'
import { findVaultTable, quoteIdentifier as q, type SqlExecutor } from '../../vault/index.ts'
import { engineError } from '../errors.ts'
import { columnKey, columnText, TakenValues } from './name-uniqueness.ts'

/** Every `uniqueIn` column of the generators' names, each once. */
export function uniqueInColumns(generators: readonly NameGeneratorConfig[]): ColumnRef[] {
  const seen = new Map<string, ColumnRef>()
  for (const generator of generators)
    for (const name of generator.names) for (const column of name.uniqueIn) seen.set(columnKey(column), column)
  return [...seen.values()]
}

/**
 * Streams the current values of `columns` from the vault into lower-cased Sets. Throws
 * ENG_UNIQUENESS_NOT_COLLECTED when a column's table was never collected, or was collected before
 * the column was declared: generating names without their uniqueness check is never right.
 *
 * @example
 * const taken = await preloadUniqueness(db, uniqueInColumns(project.nameGenerators))
 * const names = createNameGenerator(generator, shape.scope, { uniqueness: taken })
 */
export async function preloadUniqueness(db: SqlExecutor, columns: readonly ColumnRef[]): Promise<TakenValues> {
  const taken = new TakenValues()
  for (const column of columns) {
    if (taken.has(column)) continue
    const values = taken.declare(column)
    for await (const page of db.streamArrays(...(await valuesQuery(db, column)))) {
      for (const [value] of page) {
        // Text columns hold text; a number stored by a loosely typed database still compares as text.
        if (typeof value === 'string' || typeof value === 'number') values.add(String(value).toLowerCase())
      }
    }
  }
  return taken
}

/** The statement that reads the current values of one column. */
async function valuesQuery(db: SqlExecutor, column: ColumnRef): Promise<[string, []]> {
  const table = await findVaultTable(db, column.system, column.table)
  const hint = `Run \`provisio collect ${column.system}\`, then try again.`
  if (table === undefined) {
    throw engineError(
      'ENG_UNIQUENESS_NOT_COLLECTED',
      `Generated names must be unique in ${columnText(column)}, but ${column.system}.${column.table} has never been collected.`,
      { hint, details: { system: column.system, table: column.table, column: column.column } },
    )
  }
  const stored = table.columns.find((c) => c.name === column.column)
  if (stored === undefined) {
    throw engineError(
      'ENG_UNIQUENESS_NOT_COLLECTED',
      `Generated names must be unique in ${columnText(column)}, but the table was collected before the column was declared.`,
      { hint, details: { system: column.system, table: column.table, column: column.column } },
    )
  }
  const side = table.sideTables.get(stored.name)
  if (stored.type === 'string[]' && side !== undefined) {
    // The side table holds (version row id, value) pairs of every version: keep the current rows' only.
    return [`SELECT s.value FROM ${side} s JOIN ${table.view} v ON v._rid = s._rid`, []]
  }
  return [`SELECT ${q(stored.name)} FROM ${table.view} WHERE ${q(stored.name)} IS NOT NULL`, []]
}
