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

/** An issue at an option that names `value`, with the closest declared column as did-you-mean. */
function columnIssue(table: TableSchema, path: (string | number)[], message: string, value: string): Issue {
  const names = table.columns.map((c) => c.name)
  const suggestion = closestMatch(value, names)
  return {
    code: 'CON_SQL_INVALID_OPTIONS',
    message,
    hint: suggestion === undefined ? `Declared columns: ${names.join(', ')}.` : `Did you mean '${suggestion}'?`,
    path: optionsPath(table, path),
    value,
  }
}

/**
 * Problems of `memberships:`: both columns declared, single-valued, distinct and writable; and no
 * option that gives functions or parameters a memberships table does not have.
 */
function membershipIssues(table: TableSchema, options: SqlTableOptions): Issue[] {
  const memberships = options.memberships
  if (memberships === undefined) return []
  const issues: Issue[] = []
  for (const side of ['group', 'member'] as const) {
    const name = memberships[side]
    const column = table.columns.find((c) => c.name === name)
    const path = ['memberships', side]
    if (column === undefined) {
      issues.push(columnIssue(table, path, `The ${side} column '${name}' is not a declared column.`, name))
    } else if (column.type === 'string[]') {
      issues.push(
        columnIssue(table, path, `The ${side} column '${name}' is multi-valued; it must hold one value per row.`, name),
      )
    } else if (options.readOnly.includes(name)) {
      issues.push(columnIssue(table, path, `The ${side} column '${name}' is read-only, but _add writes it.`, name))
    }
  }
  if (memberships.group === memberships.member) {
    issues.push(
      columnIssue(
        table,
        ['memberships', 'member'],
        `The group and member columns are both '${memberships.member}'.`,
        memberships.member,
      ),
    )
  }
  const notForMemberships = (key: string, why: string) =>
    issues.push({
      code: 'CON_SQL_INVALID_OPTIONS',
      message: `\`${key}\` does not apply to a memberships table: ${why}.`,
      hint: `Remove \`${key}\`, or declare the table without \`memberships\`.`,
      path: optionsPath(table, [key]),
    })
  if (options.mandatory.length > 0) notForMemberships('mandatory', '_add writes only the group and member columns')
  if (options.disable !== undefined) notForMemberships('disable', 'it offers only _add and _remove')
  if (options.password !== undefined) notForMemberships('password', 'it offers only _add and _remove')
  return issues
}

/** Problems of options that name columns: each must be declared, and the password column must not be. */
function columnIssues(table: TableSchema, options: SqlTableOptions): Issue[] {
  const names = table.columns.map((c) => c.name)
  const issue = (path: (string | number)[], message: string, value: string): Issue =>
    columnIssue(table, path, message, value)
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
  return [...issues, ...membershipIssues(table, options)]
}

/**
 * The problems of a table's options that their schema cannot see (undeclared columns, clashes), as
 * messages: what `provisio validate` reports through the connector's checkTable.
 */
export function tableProblems(table: TableSchema): string[] {
  const parsed = sqlTableOptionsSchema.safeParse(table.options)
  if (!parsed.success) return [] // the options schema reports these on its own
  const bare = (text: string) => text.replace(/\.$/, '')
  return columnIssues(table, parsed.data).map((i) => {
    const hint = i.hint === undefined ? '' : ` (${bare(i.hint.charAt(0).toLowerCase() + i.hint.slice(1))})`
    return `${(i.path ?? []).slice(2).join('.')}: ${bare(i.message)}${hint}`
  })
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
