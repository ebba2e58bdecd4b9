/**
 * The filter compiler per vault database. Both speak the same SQL for everything the filter
 * compiler writes itself (EXISTS, COUNT(*), IS NOT TRUE, quoted identifiers, `?` placeholders that
 * the drivers number); what differs lives in the expression compiler (functions, casts, collations),
 * which each compiler selects through `dialect`.
 */
import type { ColumnType } from '../core/index.ts'
import { PG_TYPE } from '../expr/index.ts'
import type { DialectName } from '../vault/index.ts'
import {
  BINDINGS,
  DefaultFilterCompiler,
  type FilterCompileOptions,
  type KeyAccess,
  type LiftedBindings,
} from './filter-compiler.ts'
import type { FilterPlan } from './filter-plan.ts'
import { type BoundValue, type Fragment, raw, sql } from './sql-fragment.ts'

/**
 * SQLite 3.44+ (better-sqlite3 12). `x IS NOT TRUE` needs 3.23+:
 * https://www.sqlite.org/lang_expr.html#boolean_expressions
 */
export class SqliteFilterCompiler extends DefaultFilterCompiler {
  readonly dialect = 'sqlite' as const

  /**
   * SQLite never indexes a table on the fly inside a correlated subquery, nor an expression in a
   * join: `NOT EXISTS (… WHERE c.employee_id = e.employee_id)` on a column without an index, or
   * `lower(u.x) = lower(e.y)`, would read the whole table once per row. A MATERIALIZED common table
   * expression that holds the key as a column gets an automatic index, built once per statement:
   * https://www.sqlite.org/optoverview.html#automatic_indexes and
   * https://www.sqlite.org/lang_with.html#materialization_hints
   */
  protected override keyedTable(name: string, from: Fragment, alias: string, key: Fragment, access: KeyAccess) {
    if (!access.expression && (access.indexed || !access.correlated)) return { from, key }
    const a = this.quote(alias)
    const k = this.quote('#k')
    this.with(name, sql`SELECT ${raw(`${a}.*`)}, ${key} AS ${raw(k)} FROM ${from}`)
    return { from: raw(`${this.quote(name)} AS ${a}`), key: raw(`${a}.${k}`) }
  }

  /**
   * The bindings as a MATERIALIZED common table expression over json_each(), read once. Each value is
   * CAST to the affinity of the columns it meets (TEXT, INTEGER for integers and 0/1 booleans, REAL):
   * SQLite uses an index only when the comparison's affinity matches the indexed column's, so only
   * then does `c.unit = "#b"."#p0"` find the bindings through an automatic index built once per
   * statement instead of scanning them per row (json_each's estimate of 25 rows hides their number).
   * The casts give the values bound values would have: json_extract gives 5 for 5.0, REAL gives 5.0.
   * https://www.sqlite.org/json1.html#jeach and https://www.sqlite.org/datatype3.html#affinity_of_expressions
   */
  protected override bindingsTable(json: BoundValue, parameters: LiftedBindings['parameters']): Fragment {
    const values = parameters.map(
      (p, i) =>
        `, CAST(json_extract("value", '$[${i}]') AS ${SQLITE_AFFINITY[p.type]}) AS ${this.quote(BINDINGS.value(i))}`,
    )
    const b = this.quote(BINDINGS.alias)
    this.with(
      BINDINGS.alias,
      sql`SELECT "key" AS ${raw(this.quote(BINDINGS.index))}${raw(values.join(''))} FROM json_each(${json})`,
    )
    return raw(`${b} AS ${b}`)
  }
}

/** The SQLite type a lifted parameter's value is cast to: the affinity of the vault columns of its type. */
const SQLITE_AFFINITY: Readonly<Record<ColumnType, string>> = {
  string: 'TEXT',
  integer: 'INTEGER',
  number: 'REAL',
  boolean: 'INTEGER',
  date: 'TEXT',
  datetime: 'TEXT',
  'string[]': 'TEXT',
}

/** PostgreSQL 11+: https://www.postgresql.org/docs/current/functions-comparison.html (IS NOT TRUE). */
export class PostgresFilterCompiler extends DefaultFilterCompiler {
  readonly dialect = 'postgres' as const

  /**
   * The bindings as a derived table over jsonb_array_elements() WITH ORDINALITY, each value taken as
   * text (`->>`, null for a JSON null) and cast to the type its placeholder would have.
   * https://www.postgresql.org/docs/current/functions-json.html and
   * https://www.postgresql.org/docs/current/queries-table-expressions.html#QUERIES-TABLEFUNCTIONS
   */
  protected override bindingsTable(json: BoundValue, parameters: LiftedBindings['parameters']): Fragment {
    const j = this.quote('#j')
    const values = parameters.map(
      (p, i) => `, (${j}."value" ->> ${i})::${PG_TYPE[p.type]} AS ${this.quote(BINDINGS.value(i))}`,
    )
    const index = `(${j}."#i" - 1) AS ${this.quote(BINDINGS.index)}`
    return sql`(SELECT ${raw(index + values.join(''))} FROM jsonb_array_elements(${json}::jsonb) WITH ORDINALITY AS ${raw(`${j}("value", "#i")`)}) AS ${raw(this.quote(BINDINGS.alias))}`
  }
}

export function createFilterCompiler(
  dialect: DialectName,
  plan: FilterPlan,
  options: FilterCompileOptions,
): DefaultFilterCompiler {
  return dialect === 'sqlite' ? new SqliteFilterCompiler(plan, options) : new PostgresFilterCompiler(plan, options)
}
