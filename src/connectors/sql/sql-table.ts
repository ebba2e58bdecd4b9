/**
 * One declared table as the SQL connector works with it: its validated options checked against
 * its declared columns, the name in the database, and the key that identifies a row for update,
 * delete, disable and enable. Everything that reads or writes a table starts from a
 * {@link SqlTablePlan}, so the checks run in one place.
 */
import type { ColumnSchema, Issue, TableSchema } from '../../core/index.ts'
import { closestMatch } from '../../core/index.ts'
import { sqlError } from './sql-errors.ts'
import { type SqlTableOptions, sqlTableOptionsSchema } from './sql-schema.ts'

/** The name of the secret parameter that `options.password` gives create and update. */
export const PASSWORD_PARAMETER = 'password'

export interface SqlTablePlan {
  readonly table: TableSchema
  readonly options: SqlTableOptions
  /** The table's name in the database. */
  readonly physical: string
  /** Declared columns by name. */
  readonly columns: ReadonlyMap<string, ColumnSchema>
  /** The declared column that identifies a row: the primary key, else the first reference key. */
  readonly keyColumn: string | undefined
  readonly readOnly: ReadonlySet<string>
  readonly mandatory: ReadonlySet<string>
}

function optionsPath(table: Pick<TableSchema, 'name'>, path: readonly PropertyKey[]): (string | number)[] {
  return ['tables', table.name, 'options', ...path.map((p) => (typeof p === 'symbol' ? String(p) : p))]
}

/** The table's options with defaults, or the defaults alone when they do not validate (see functions()). */
export function optionsOrDefaults(table: Pick<TableSchema, 'options'>): SqlTableOptions {
  const parsed = sqlTableOptionsSchema.safeParse(table.options)
  return parsed.success ? parsed.data : sqlTableOptionsSchema.parse({})
}

/** Problems of options that name columns: each must be declared, and the password column must not be. */
function columnIssues(table: TableSchema, options: SqlTableOptions): Issue[] {
  const names = table.columns.map((c) => c.name)
  const issue = (path: (string | number)[], message: string, value: string): Issue => {
    const suggestion = closestMatch(value, names)
    return {
      code: 'CON_SQL_INVALID_OPTIONS',
      message,
      hint: suggestion === undefined ? `Declared columns: ${names.join(', ')}.` : `Did you mean '${suggestion}'?`,
      path: optionsPath(table, path),
      value,
    }
  }
  const issues: Issue[] = []
  const undeclared = (list: readonly string[], key: string) =>
    list.forEach((name, i) => {
      if (!names.includes(name)) issues.push(issue([key, i], `'${name}' in ${key} is not a declared column.`, name))
    })
  undeclared(options.mandatory, 'mandatory')
  undeclared(options.readOnly, 'readOnly')
  for (const name of options.mandatory.filter((n) => options.readOnly.includes(n))) {
    issues.push(issue(['mandatory'], `'${name}' is both mandatory and read-only.`, name))
  }
  if (options.disable !== undefined && !names.includes(options.disable.column)) {
    const column = options.disable.column
    issues.push(issue(['disable', 'column'], `The disable column '${column}' is not a declared column.`, column))
  }
  if (options.password !== undefined) {
    const column = options.password.column
    const declared = table.columns.find((c) => c.source === column || c.name === column)
    if (declared !== undefined) {
      issues.push({
        code: 'CON_SQL_INVALID_OPTIONS',
        message: `The password column '${column}' is declared as column '${declared.name}'; a password hash is never read.`,
        hint: `Remove column '${declared.name}' from the table's columns.`,
        path: ['tables', table.name, 'columns', declared.name],
      })
    }
    if (names.includes(PASSWORD_PARAMETER) && declared?.name !== PASSWORD_PARAMETER) {
      issues.push({
        code: 'CON_SQL_INVALID_OPTIONS',
        message: `Column '${PASSWORD_PARAMETER}' clashes with the secret parameter that \`password:\` gives the functions.`,
        hint: `Rename the column (keep its database name with \`source: ${PASSWORD_PARAMETER}\`).`,
        path: ['tables', table.name, 'columns', PASSWORD_PARAMETER],
      })
    }
  }
  return issues
}

/** Validates a table's options against its schema and its declared columns; throws with every problem. */
export function resolveTablePlan(table: TableSchema): SqlTablePlan {
  const parsed = sqlTableOptionsSchema.safeParse(table.options)
  const issues: Issue[] = parsed.success
    ? columnIssues(table, parsed.data)
    : parsed.error.issues.map((i) => ({
        code: 'CON_SQL_INVALID_OPTIONS',
        message: i.message,
        path: optionsPath(table, i.path),
      }))
  if (!parsed.success || issues.length > 0) {
    throw sqlError(
      'CON_SQL_INVALID_OPTIONS',
      `The options of table ${table.system}.${table.name} are not valid: ${issues.map((i) => i.message).join('; ')}`,
      { issues },
    )
  }
  return planOf(table, parsed.data)
}

/** The plan of a table whose options are already known to be valid (or defaults). */
export function planOf(table: TableSchema, options: SqlTableOptions): SqlTablePlan {
  return {
    table,
    options,
    physical: options.table ?? table.name,
    columns: new Map(table.columns.map((c) => [c.name, c])),
    keyColumn: table.primaryKey ?? table.referenceKeys[0],
    readOnly: new Set(options.readOnly),
    mandatory: new Set(options.mandatory),
  }
}
