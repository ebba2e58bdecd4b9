/**
 * Checks of a System document that a schema cannot express: keys and relations name declared
 * columns, relations point at key columns of the same type, column options fit the column's type.
 * Runs only after the schema passed, so the document's shape is known; reports every problem at once.
 */
import { closestMatch, didYouMean, type Issue } from '../core/index.ts'
import { issueAt } from './issues.ts'
import type { LoadedDocument } from './loaded-document.ts'
import type { ColumnDocument, SystemDocument, TableDocument } from './system-schema.ts'

/** A relation side parsed from `table.column`. */
export interface ColumnRef {
  readonly table: string
  readonly column: string
}

/** Splits `table.column`; the schema already checked there is exactly one dot. */
export function parseColumnRef(text: string): ColumnRef {
  const dot = text.indexOf('.')
  return { table: text.slice(0, dot), column: text.slice(dot + 1) }
}

/** The default name of a relation: `<fromTable>_<fromColumn>`. */
export function relationName(relation: { readonly name?: string | undefined; readonly from: string }): string {
  if (relation.name !== undefined) return relation.name
  const from = parseColumnRef(relation.from)
  return `${from.table}_${from.column}`
}

/** Every cross-field problem of a schema-valid System document. */
export function checkSystem(document: LoadedDocument, system: SystemDocument): Issue[] {
  return [
    ...Object.entries(system.tables).flatMap(([name, table]) => checkTable(document, name, table)),
    ...checkRelations(document, system),
  ]
}

function checkTable(document: LoadedDocument, tableName: string, table: TableDocument): Issue[] {
  const issues: Issue[] = []
  const columns = table.columns
  const base = ['tables', tableName]
  const checkKey = (column: string, path: (string | number)[]): boolean => {
    const declared = columns[column]
    if (declared === undefined) {
      const hint = didYouMean(column, Object.keys(columns))
      issues.push(
        issueAt(
          document,
          'CFG_UNKNOWN_COLUMN',
          `Key column '${column}' is not a column of table '${tableName}'.`,
          path,
          {
            hint: hint === '' ? `Declare '${column}' under columns, or name one of the table's columns.` : hint,
            value: column,
          },
        ),
      )
      return false
    }
    if (declared.type === 'string[]') {
      issues.push(
        issueAt(
          document,
          'CFG_INVALID_VALUE',
          `Key column '${column}' of table '${tableName}' is multi-valued (string[]); a key holds one value per row.`,
          path,
          {
            hint: 'Choose a single-valued column as key.',
            value: column,
          },
        ),
      )
    }
    return true
  }
  if (table.primaryKey !== undefined) checkKey(table.primaryKey, [...base, 'primaryKey'])
  const seen = new Set<string>()
  ;(table.referenceKeys ?? []).forEach((key, i) => {
    const path = [...base, 'referenceKeys', i]
    if (!checkKey(key, path)) return
    if (key === table.primaryKey) {
      issues.push(
        issueAt(
          document,
          'CFG_INVALID_VALUE',
          `Column '${key}' of table '${tableName}' is both the primary key and a reference key.`,
          path,
          {
            hint: `Remove '${key}' from referenceKeys; the primary key is already unique.`,
            value: key,
          },
        ),
      )
    } else if (seen.has(key)) {
      issues.push(
        issueAt(document, 'CFG_INVALID_VALUE', `Reference key '${key}' is listed twice.`, path, {
          hint: 'Remove the repetition.',
          value: key,
        }),
      )
    }
    seen.add(key)
  })
  for (const [name, column] of Object.entries(columns))
    issues.push(...checkColumnOptions(document, [...base, 'columns', name], column))
  return issues
}

/** `format` belongs to dates, `separator` to string[], `decimalSeparator` to numbers. */
function checkColumnOptions(document: LoadedDocument, path: string[], column: ColumnDocument): Issue[] {
  const rules: [keyof ColumnDocument, readonly string[]][] = [
    ['format', ['date', 'datetime']],
    ['separator', ['string[]']],
    ['decimalSeparator', ['number']],
  ]
  return rules
    .filter(([option, types]) => column[option] !== undefined && !types.includes(column.type))
    .map(([option, types]) =>
      issueAt(
        document,
        'CFG_INVALID_VALUE',
        `'${option}' applies only to ${types.join(' and ')} columns; this column is of type ${column.type}.`,
        [...path, option],
        {
          hint: `Remove '${option}', or change the column's type to ${types.join(' or ')}.`,
          at: 'key',
        },
      ),
    )
}

function checkRelations(document: LoadedDocument, system: SystemDocument): Issue[] {
  const issues: Issue[] = []
  const names = new Map<string, number>()
  ;(system.relations ?? []).forEach((relation, i) => {
    const path = ['relations', i]
    const from = resolveSide(document, system, relation.from, [...path, 'from'], issues)
    const to = resolveSide(document, system, relation.to, [...path, 'to'], issues)
    if (from !== undefined && to !== undefined) {
      const target = system.tables[to.table]
      const isKey = target?.primaryKey === to.column || (target?.referenceKeys ?? []).includes(to.column)
      if (!isKey) {
        issues.push(
          issueAt(
            document,
            'CFG_INVALID_RELATION',
            `Relation target '${relation.to}' is not a key of table '${to.table}'; a relation must point at a unique column.`,
            [...path, 'to'],
            {
              hint: `Add '${to.column}' to referenceKeys of table '${to.table}' (or make it the primaryKey).`,
              value: relation.to,
            },
          ),
        )
      }
      if (from.type !== to.type) {
        issues.push(
          issueAt(
            document,
            'CFG_INVALID_RELATION',
            `Relation columns differ in type: '${relation.from}' is ${from.type}, '${relation.to}' is ${to.type}.`,
            path,
            {
              hint: 'Give both columns the same type.',
            },
          ),
        )
      }
    }
    const name = relationName(relation)
    const first = names.get(name.toLowerCase())
    if (first === undefined) names.set(name.toLowerCase(), i)
    else {
      issues.push(
        issueAt(
          document,
          'CFG_INVALID_RELATION',
          `Relation name '${name}' is already used by relations[${first}].`,
          relation.name === undefined ? [...path, 'from'] : [...path, 'name'],
          {
            hint: 'Give one of the relations a different `name:`.',
          },
        ),
      )
    }
  })
  return issues
}

/** The column a relation side names, or undefined after reporting why it does not exist. */
function resolveSide(
  document: LoadedDocument,
  system: SystemDocument,
  text: string,
  path: (string | number)[],
  issues: Issue[],
): (ColumnRef & { readonly type: ColumnDocument['type'] }) | undefined {
  const ref = parseColumnRef(text)
  const table = system.tables[ref.table]
  if (table === undefined) {
    const hint = didYouMean(ref.table, Object.keys(system.tables))
    issues.push(
      issueAt(document, 'CFG_UNKNOWN_TABLE', `Table '${ref.table}' is not declared in system '${system.name}'.`, path, {
        hint: hint === '' ? `Use one of the system's tables: ${Object.keys(system.tables).join(', ')}.` : hint,
        value: text,
      }),
    )
    return undefined
  }
  const column = table.columns[ref.column]
  if (column === undefined) {
    const match = closestMatch(ref.column, Object.keys(table.columns))
    issues.push(
      issueAt(document, 'CFG_UNKNOWN_COLUMN', `Column '${ref.column}' is not declared in table '${ref.table}'.`, path, {
        hint:
          match === undefined
            ? `Declare '${ref.column}' under tables.${ref.table}.columns.`
            : `Did you mean '${ref.table}.${match}'?`,
        value: text,
      }),
    )
    return undefined
  }
  return { ...ref, type: column.type }
}
