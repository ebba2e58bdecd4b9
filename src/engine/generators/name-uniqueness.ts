/**
 * Where generated names must be unique: the values already in the vault's `uniqueIn` columns (a
 * {@link NameUniqueness}, usually preloaded by preloadUniqueness), and the names handed out earlier
 * in the same run ({@link HandedOutNames}), which are not in the vault until their operations run.
 * Both compare lower-cased values, per column.
 */
import type { ColumnRef } from '../../config/index.ts'

/**
 * A source of taken values, per column. Values are compared lower-cased. A value once taken stays
 * taken while a generator uses the source: the generator counts on it to skip counters.
 */
export interface NameUniqueness {
  /** Whether `valueLowercased` already occurs in `column` (compared lower-cased). */
  isTaken(column: ColumnRef, valueLowercased: string): boolean
}

/** The key of a column in the maps below; system, table and column compared regardless of case. */
export function columnKey(column: ColumnRef): string {
  return `${column.system}\u0000${column.table}\u0000${column.column}`.toLowerCase()
}

/** The form of a column in messages: `system.table.column`. */
export function columnText(column: ColumnRef): string {
  return `${column.system}.${column.table}.${column.column}`
}

/** Nothing is taken: for names without uniqueness and for tests. */
export const NOTHING_TAKEN: NameUniqueness = { isTaken: () => false }

/** Values per column, lower-cased, in memory: a check is one Set lookup. */
export class TakenValues implements NameUniqueness {
  private readonly byColumn = new Map<string, Set<string>>()

  /** Whether the column's values were loaded (or added); a check of another column is a bug. */
  has(column: ColumnRef): boolean {
    return this.byColumn.has(columnKey(column))
  }

  /** Declares the column, with no values yet. */
  declare(column: ColumnRef): Set<string> {
    const key = columnKey(column)
    let values = this.byColumn.get(key)
    if (values === undefined) {
      values = new Set()
      this.byColumn.set(key, values)
    }
    return values
  }

  /** Records a value of the column; it is lower-cased here. */
  add(column: ColumnRef, value: string): void {
    this.declare(column).add(value.toLowerCase())
  }

  /** How many different values the column holds. */
  count(column: ColumnRef): number {
    return this.byColumn.get(columnKey(column))?.size ?? 0
  }

  isTaken(column: ColumnRef, valueLowercased: string): boolean {
    const values = this.byColumn.get(columnKey(column))
    // A column that was never loaded would make every value look free: never guess, fail loudly.
    if (values === undefined)
      throw new Error(`The values of ${columnText(column)} were not loaded for uniqueness checks`)
    return values.has(valueLowercased)
  }
}

/**
 * The names handed out in this run, per `uniqueIn` column, lower-cased. Share one across every
 * name generator of a run (several mappings may give names unique in the same column).
 */
export class HandedOutNames implements NameUniqueness {
  private readonly byColumn = new Map<string, Set<string>>()

  /** Records that `value` was handed out for `column`. */
  add(column: ColumnRef, value: string): void {
    const key = columnKey(column)
    let values = this.byColumn.get(key)
    if (values === undefined) {
      values = new Set()
      this.byColumn.set(key, values)
    }
    values.add(value.toLowerCase())
  }

  isTaken(column: ColumnRef, valueLowercased: string): boolean {
    return this.byColumn.get(columnKey(column))?.has(valueLowercased) ?? false
  }
}
