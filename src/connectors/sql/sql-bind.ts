/**
 * Binds a declared table to the table the database has: the table must exist, and so must every
 * declared column (`source:` gives its name in the database) and the password column. SQL is then
 * written with the database's own spelling of each name, so a declared name never reaches the SQL
 * text unchecked. SQLite compares names case-insensitively, PostgreSQL exactly (quoted identifiers).
 */
import { closestMatch, type FunctionSchema, type Issue } from '../../core/index.ts'
import { type CatalogColumn, type CatalogTable, readCatalog } from './sql-catalog.ts'
import { sqlError } from './sql-errors.ts'
import { sqlFunctions } from './sql-functions.ts'
import type { SqlSession } from './sql-session.ts'
import type { SqlTablePlan } from './sql-table.ts'

/** A declared table bound to its database table. */
export interface BoundTable {
  readonly plan: SqlTablePlan
  /** The table's name as the database spells it (unquoted, without schema). */
  readonly name: string
  /** The quoted, schema-qualified table name. */
  readonly qualified: string
  /** Per declared column (in declaration order): the database's column. */
  readonly physical: readonly CatalogColumn[]
  /** The database column of a declared column. */
  physicalOf(declared: string): CatalogColumn | undefined
  /** The password column, when the table has `options.password`. */
  readonly passwordColumn: CatalogColumn | undefined
  /** The table's functions by name. */
  readonly functions: ReadonlyMap<string, FunctionSchema>
}

function findName<T extends { readonly name: string }>(
  items: readonly T[],
  name: string,
  exact: boolean,
): T | undefined {
  return (
    items.find((i) => i.name === name) ??
    (exact ? undefined : items.find((i) => i.name.toLowerCase() === name.toLowerCase()))
  )
}

async function tableNames(session: SqlSession): Promise<string[]> {
  const rows =
    session.dialect === 'postgres'
      ? await session.db.query<{ name: string }>(
          'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?',
          [session.schema ?? 'public'],
        )
      : await session.db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
  return rows.map((r) => r.name)
}

async function findTable(session: SqlSession, plan: SqlTablePlan): Promise<CatalogTable> {
  const { physical, table } = plan
  // SQLite: the catalog lookup is exact, so a differently cased name is found through the list.
  let [found] = await readCatalog(session.db, session.schema, physical)
  const names = found === undefined ? await tableNames(session) : []
  if (found === undefined && session.dialect === 'sqlite') {
    const cased = names.find((n) => n.toLowerCase() === physical.toLowerCase())
    if (cased !== undefined) [found] = await readCatalog(session.db, session.schema, cased)
  }
  if (found !== undefined) return found
  const suggestion = closestMatch(physical, names)
  const where = session.schema === undefined ? session.location : `schema ${session.schema} of ${session.location}`
  throw sqlError(
    'CON_SQL_TABLE_NOT_FOUND',
    `Table ${table.system}.${table.name}: ${where} has no table '${physical}'.`,
    {
      hint: `${suggestion === undefined ? '' : `Did you mean '${suggestion}'? `}Set the table's \`options.table\` to its name in the database (\`provisio system discover ${table.system}\` lists them).`,
      issues: [{ code: 'CON_SQL_TABLE_NOT_FOUND', message: `No table '${physical}'.`, path: ['tables', table.name] }],
    },
  )
}

function missingColumn(plan: SqlTablePlan, catalog: CatalogTable, name: string, path: (string | number)[]): Issue {
  const suggestion = closestMatch(
    name,
    catalog.columns.map((c) => c.name),
  )
  return {
    code: 'CON_SQL_COLUMN_NOT_FOUND',
    message: `Table '${catalog.name}' has no column '${name}'.`,
    hint:
      suggestion === undefined
        ? `Its columns: ${catalog.columns.map((c) => c.name).join(', ')}.`
        : `Did you mean '${suggestion}'?`,
    path: ['tables', plan.table.name, ...path],
    value: name,
  }
}

/** Binds `plan` to its table in the database; throws CON_SQL_TABLE_NOT_FOUND or CON_SQL_COLUMN_NOT_FOUND. */
export async function bindTable(session: SqlSession, plan: SqlTablePlan): Promise<BoundTable> {
  const catalog = await findTable(session, plan)
  const exact = session.dialect === 'postgres'
  const issues: Issue[] = []
  const physical = plan.table.columns.map((column) => {
    const found = findName(catalog.columns, column.source, exact)
    if (found === undefined) issues.push(missingColumn(plan, catalog, column.source, ['columns', column.name]))
    return found
  })
  const password = plan.options.password
  const passwordColumn = password === undefined ? undefined : findName(catalog.columns, password.column, exact)
  if (password !== undefined && passwordColumn === undefined) {
    issues.push(missingColumn(plan, catalog, password.column, ['options', 'password', 'column']))
  }
  if (issues.length > 0) {
    throw sqlError(
      'CON_SQL_COLUMN_NOT_FOUND',
      `Table ${plan.table.system}.${plan.table.name}: ${issues.map((i) => i.message).join(' ')}`,
      { hint: issues.length === 1 ? issues[0]!.hint : undefined, issues },
    )
  }
  const bound = physical as CatalogColumn[]
  const byName = new Map(plan.table.columns.map((c, i) => [c.name, bound[i]!]))
  return {
    plan,
    name: catalog.name,
    qualified: session.qualify(catalog.name),
    physical: bound,
    physicalOf: (declared) => byName.get(declared),
    passwordColumn,
    functions: new Map(sqlFunctions(plan.table).map((f) => [f.name, f])),
  }
}
