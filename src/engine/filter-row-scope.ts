/**
 * The expression scope of a filter row, shared by name-generator methods, password parts, mapping
 * attributes and keys: a filter's output column `e.first_name` is read as `e.first_name`, a
 * computed column `account_name` as the bare `account_name` (or any column whose name only one
 * alias has), generated names and the password as `generated.<name>`, and the filter's parameters
 * as `:name`. {@link filterRowShape} also turns a filter row into the matching evaluation input.
 */
import type { ColumnType, Row, Value } from '../core/index.ts'
import { type FilterConfig, type GeneratedName, GENERATED_ALIAS, PASSWORD_NAME } from '../config/index.ts'
import type { EvalRow, Scope } from '../expr/index.ts'
import type { FilterColumn } from '../filters/index.ts'

/** The alias that holds a filter's computed columns; expressions write them bare (it is the default alias). */
export const COMPUTED_ALIAS = '_'

/** What a filter row's scope holds besides the filter's columns. */
export interface FilterRowExtra {
  /** The types of `generated.<name>`: a name generator's names, and `password`. @default {} (no alias `generated`) */
  readonly generated?: Readonly<Record<string, ColumnType>> | undefined
  /** The filter's parameters (`:today`) and their types. @default {} */
  readonly parameters?: Readonly<Record<string, ColumnType>> | undefined
}

/** A filter row's scope, and how to read one row of that filter into it. */
export interface FilterRowShape {
  readonly scope: Scope
  /**
   * The evaluation input of one filter row (keys `alias.column` or computed names) with the values
   * of `generated.<name>` so far and the parameter values. A column the row lacks reads as null.
   */
  toEvalRow(
    row: Readonly<Row>,
    generated?: Readonly<Record<string, Value>>,
    params?: Readonly<Record<string, Value>>,
  ): EvalRow
}

/** Where one output column goes: its alias and its name under that alias. */
interface Place {
  readonly key: string
  readonly alias: string
  readonly column: string
}

function placeOf(name: string): Place {
  const dot = name.indexOf('.')
  return dot < 0
    ? { key: name, alias: COMPUTED_ALIAS, column: name }
    : { key: name, alias: name.slice(0, dot), column: name.slice(dot + 1) }
}

/**
 * The scope of a filter's rows, from its output columns (`compileFilter(...).columns`). Columns
 * named `alias.column` become alias scopes, bare names (computed columns) the default alias; the
 * alias `generated` is added when `extra.generated` is given, and wins over a filter alias of that
 * name.
 *
 * @example
 * const scope = filterRowScope(compileFilter(filter, context, 'sqlite').columns, {
 *   generated: { username: 'string', password: 'string' },
 * })
 * checkExpression("generated.username || '@corp.example'", scope)
 */
/**
 * The types of `generated.<name>`: each of `names` (a list for a multi-valued name), and
 * `password` when a password generator is in play.
 */
export function generatedTypes(names: readonly GeneratedName[], withPassword = false): Record<string, ColumnType> {
  const types: Record<string, ColumnType> = {}
  for (const name of names) types[name.name] = name.multiValued ? 'string[]' : 'string'
  if (withPassword) types[PASSWORD_NAME] = 'string'
  return types
}

/** A filter's parameters and their types, as expressions read them (`:today`). */
export function parameterTypes(filter: Pick<FilterConfig, 'parameters'>): Record<string, ColumnType> {
  return Object.fromEntries(filter.parameters.map((p) => [p.name, p.type]))
}

export function filterRowScope(columns: readonly FilterColumn[], extra: FilterRowExtra = {}): Scope {
  const aliases: Record<string, Record<string, ColumnType>> = { [COMPUTED_ALIAS]: {} }
  for (const c of columns) {
    const place = placeOf(c.name)
    ;(aliases[place.alias] ??= {})[place.column] = c.type
  }
  if (extra.generated !== undefined) aliases[GENERATED_ALIAS] = { ...extra.generated }
  return { aliases, defaultAlias: COMPUTED_ALIAS, parameters: { ...extra.parameters } }
}

/**
 * The scope of a filter's rows together with the reader of its rows: built once per filter, used
 * for every row.
 *
 * @example
 * const shape = filterRowShape(compiled.columns, { generated: { username: 'string' } })
 * for await (const page of runFilter(db, compiled)) for (const row of page) evaluate(shape.toEvalRow(row))
 */
export function filterRowShape(columns: readonly FilterColumn[], extra: FilterRowExtra = {}): FilterRowShape {
  const scope = filterRowScope(columns, extra)
  // With generated values, `generated` means them, never a filter alias of that name (as in the scope).
  const hasGenerated = extra.generated !== undefined
  const places = columns.map((c) => placeOf(c.name)).filter((p) => !hasGenerated || p.alias !== GENERATED_ALIAS)
  const aliases = Object.keys(scope.aliases).filter((a) => !hasGenerated || a !== GENERATED_ALIAS)
  return {
    scope,
    toEvalRow(row, generated = {}, params) {
      const rows: Record<string, Record<string, Value>> = {}
      for (const alias of aliases) rows[alias] = {}
      for (const p of places) rows[p.alias]![p.column] = row[p.key] ?? null
      if (hasGenerated) rows[GENERATED_ALIAS] = { ...generated }
      return params === undefined ? { rows } : { rows, params }
    },
  }
}
