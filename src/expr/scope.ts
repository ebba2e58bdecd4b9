/**
 * What an expression can see: the columns of each table alias, an optional default alias, and the
 * declared :parameters. Filters build one scope per filter (its start table and joins); mappings
 * build one over the filter's output.
 */
import { type ColumnType, closestMatch } from '../core/index.ts'

export interface Scope {
  /** alias → column → type, for example `{ e: { employee_id: 'string', birth_date: 'date' } }`. */
  readonly aliases: Readonly<Record<string, Readonly<Record<string, ColumnType>>>>
  /**
   * The alias a bare `column` means first. A bare name that this alias lacks still resolves when
   * exactly one other alias has it. @default undefined (bare names resolve only when unambiguous)
   */
  readonly defaultAlias?: string | undefined
  /** Declared parameters (`:name` in expressions) and their types. @default {} */
  readonly parameters?: Readonly<Record<string, ColumnType>> | undefined
}

export type Resolution =
  | { readonly ok: true; readonly alias: string; readonly type: ColumnType }
  | {
      readonly ok: false
      readonly code: 'EXPR_UNKNOWN_ALIAS' | 'EXPR_UNKNOWN_COLUMN' | 'EXPR_AMBIGUOUS_COLUMN'
      readonly message: string
      readonly hint?: string
    }

function suggestion(input: string, candidates: Iterable<string>): string | undefined {
  const match = closestMatch(input, candidates)
  return match === undefined ? undefined : `Did you mean '${match}'?`
}

/** At most 12 names, then how many more. */
function shortList(names: readonly string[]): string {
  return names.length <= 12 ? names.join(', ') : `${names.slice(0, 12).join(', ')} and ${names.length - 12} more`
}

function own(record: Readonly<Record<string, ColumnType>> | undefined, key: string): ColumnType | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined
}

/** The columns as a user would write them: bare for the default alias, `alias.column` for the others. */
export function visibleColumnNames(scope: Scope): string[] {
  const names: string[] = []
  for (const [alias, columns] of Object.entries(scope.aliases)) {
    names.push(...Object.keys(columns).map((c) => (alias === scope.defaultAlias ? c : `${alias}.${c}`)))
  }
  return names
}

/** Finds the alias and type of `alias.column` or a bare `column`. */
export function resolveColumn(scope: Scope, alias: string | undefined, column: string): Resolution {
  if (alias !== undefined) {
    const columns = Object.hasOwn(scope.aliases, alias) ? scope.aliases[alias] : undefined
    if (columns === undefined) {
      return {
        ok: false,
        code: 'EXPR_UNKNOWN_ALIAS',
        message: `There is no table alias '${alias}'.`,
        hint:
          suggestion(alias, Object.keys(scope.aliases)) ??
          `The aliases are: ${Object.keys(scope.aliases).join(', ') || '(none)'}.`,
      }
    }
    const type = own(columns, column)
    if (type !== undefined) return { ok: true, alias, type }
    const names = Object.keys(columns)
    const hint = suggestion(column, names) ?? `'${alias}' has: ${shortList(names)}.`
    return { ok: false, code: 'EXPR_UNKNOWN_COLUMN', message: `'${alias}' has no column '${column}'.`, hint }
  }
  const preferred = scope.defaultAlias === undefined ? undefined : own(scope.aliases[scope.defaultAlias], column)
  if (preferred !== undefined) return { ok: true, alias: scope.defaultAlias!, type: preferred }
  const holders = Object.entries(scope.aliases).filter(([, columns]) => own(columns, column) !== undefined)
  if (holders.length === 1) return { ok: true, alias: holders[0]![0], type: holders[0]![1][column]! }
  if (holders.length > 1) {
    const options = holders.map(([a]) => `${a}.${column}`).join(', ')
    return {
      ok: false,
      code: 'EXPR_AMBIGUOUS_COLUMN',
      message: `The column '${column}' exists in more than one table.`,
      hint: `Write one of: ${options}.`,
    }
  }
  const visible = visibleColumnNames(scope)
  const hint =
    suggestion(column, visible) ??
    (visible.length === 0 ? 'No columns are available here.' : `Available: ${shortList(visible)}.`)
  return { ok: false, code: 'EXPR_UNKNOWN_COLUMN', message: `There is no column '${column}'.`, hint }
}
