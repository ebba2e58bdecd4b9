/**
 * Which value of a write refers to no row, when a foreign key refuses it. PostgreSQL says so in the
 * error (`Key (group_cn)=(X) is not present in table "groups".`, read in translate-error.ts);
 * SQLite says only "FOREIGN KEY constraint failed", so its foreign keys are read from the catalog
 * and each value the statement wrote into one is looked up in the table it refers to.
 */
import type { Value } from '../../core/index.ts'
import type { BoundTable } from './sql-bind.ts'
import { quoteIdentifier, type SqlSession } from './sql-session.ts'

/** A value the statement wrote that refers to no row of the table its foreign key names. */
export interface MissingReference {
  /** The declared column that holds it. */
  readonly column: string
  readonly value: Value
  /** The table the foreign key refers to, as the database names it. */
  readonly table: string
}

interface ForeignKeyRow {
  readonly id: number
  readonly table: string
  readonly from: string
  readonly to: string | null
}

function isSqliteForeignKeyError(error: unknown): boolean {
  return (
    error !== null && typeof error === 'object' && (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
  )
}

/** The column a single-column foreign key refers to: the one it names, else the referenced table's primary key. */
async function referencedColumn(session: SqlSession, key: ForeignKeyRow): Promise<string | undefined> {
  if (key.to !== null) return key.to
  const pk = await session.db.query<{ name: string }>('SELECT name FROM pragma_table_info(?) WHERE pk > 0', [key.table])
  return pk.length === 1 ? pk[0]!.name : undefined
}

/**
 * SQLite only: the first value `valueOf` gives for a column of a single-column foreign key of the
 * table that its referenced table does not hold. Undefined for other errors, on PostgreSQL, and
 * when nothing is found (the diagnosis itself never fails the caller).
 */
export async function missingReference(
  session: SqlSession,
  bound: BoundTable,
  error: unknown,
  valueOf: (column: string) => unknown,
): Promise<MissingReference | undefined> {
  if (session.dialect !== 'sqlite' || !isSqliteForeignKeyError(error)) return undefined
  try {
    const keys = await session.db.query<ForeignKeyRow>(
      'SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?)',
      [bound.name],
    )
    for (const key of keys) {
      if (keys.filter((k) => k.id === key.id).length > 1) continue // a composite key: no single value to name
      const index = bound.physical.findIndex((c) => c.name.toLowerCase() === key.from.toLowerCase())
      const column = bound.plan.table.columns[index]?.name
      const value = column === undefined ? undefined : (valueOf(column) as Value | undefined)
      const to = await referencedColumn(session, key)
      if (column === undefined || value === undefined || value === null || to === undefined) continue
      if (typeof value === 'object') continue // a list names no single row
      const found = await session.db.query(
        `SELECT 1 AS found FROM ${quoteIdentifier(key.table)} WHERE ${quoteIdentifier(to)} = ? LIMIT 1`,
        [value],
      )
      if (found.length === 0) return { column, value, table: key.table }
    }
  } catch {
    // Only a better hint was at stake: the error is reported without it.
  }
  return undefined
}
