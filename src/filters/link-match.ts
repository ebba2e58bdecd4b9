/**
 * `provisio link match` (NIM's Match): how the two sides of a link pair up in the vault — rows only
 * on the left, matched pairs, rows only on the right — with samples, and the values that occur more
 * than once on a side (each makes its matches multiply in joins). Set-based, with the very
 * normalisation joins use (the side's expression, lower() when case-insensitive).
 */
import type { Row } from '../core/index.ts'
import type { LinkConfig } from '../config/index.ts'
import { decodeSqlValue } from '../expr/index.ts'
import { type DialectName, quoteIdentifier as q, type SqlExecutor } from '../vault/index.ts'
import { filterError, type FilterErrorCode } from './errors.ts'
import { expressionSql, lowerSql } from './expressions.ts'
import { type TableSourceNode, tableSource } from './filter-plan.ts'
import type { FilterContext } from './join-paths.ts'
import { checkLinkSides, type LinkSide } from './link-sides.ts'
import { ensureCollected } from './run-filter.ts'
import { bound, type Fragment, raw, render, sql } from './sql-fragment.ts'

export interface LinkMatchOptions {
  /** Sample rows per list. @default 10 */
  readonly samples?: number | undefined
}

export interface LinkMatch {
  /** Left rows that match no right row (null values never match). */
  readonly left: { readonly only: number; readonly samples: readonly Row[] }
  /** Matched pairs of a left and a right row. */
  readonly common: { readonly count: number; readonly samples: readonly { left: Row; right: Row }[] }
  readonly right: { readonly only: number; readonly samples: readonly Row[] }
  /** Distinct (normalised) values that occur on more than one row of a side. */
  readonly duplicates: { readonly left: number; readonly right: number }
}

interface Side {
  readonly source: TableSourceNode
  readonly value: Fragment
}

function sideValue(side: LinkSide, alias: string, link: LinkConfig, dialect: DialectName, context: FilterContext) {
  const value =
    side.expr === undefined
      ? raw(`${q(alias)}.${q(side.ref.column)}`)
      : expressionSql(
          side.expr,
          {
            dialect,
            paramValues: {},
            timeZone: context.timeZone,
            now: context.now,
            column: (a, c) => `${q(a)}.${q(c)}`,
          },
          () => alias,
        )
  return link.caseInsensitive ? lowerSql(value, dialect) : value
}

const from = (s: Side) => raw(`${s.source.view} AS ${q(s.source.alias)}`)
const columnsOf = (s: Side) => s.source.columns.map((c) => `${q(s.source.alias)}.${q(c.name)}`).join(', ')

async function count(db: SqlExecutor, statement: Fragment): Promise<number> {
  const { sql: text, params } = render(statement)
  const rows = await db.query<{ n: unknown }>(text, params)
  return Number(rows[0]?.n ?? 0)
}

async function arrays(db: SqlExecutor, statement: Fragment): Promise<unknown[][]> {
  const { sql: text, params } = render(statement)
  const all: unknown[][] = []
  for await (const page of db.streamArrays(text, params)) all.push(...page)
  return all
}

function decode(source: TableSourceNode, values: readonly unknown[], offset = 0): Row {
  return Object.fromEntries(source.columns.map((c, i) => [c.name, decodeSqlValue(values[offset + i], c.type)]))
}

async function only(db: SqlExecutor, side: Side, other: Side, on: Fragment, samples: number) {
  const unmatched = sql`NOT EXISTS (SELECT 1 FROM ${from(other)} WHERE ${on})`
  const n = await count(db, sql`SELECT COUNT(*) AS "n" FROM ${from(side)} WHERE ${unmatched}`)
  const order = raw(`${q(side.source.alias)}.${q('_rid')}`)
  const rows = await arrays(
    db,
    sql`SELECT ${raw(columnsOf(side))} FROM ${from(side)} WHERE ${unmatched} ORDER BY ${order} LIMIT ${bound(samples)}`,
  )
  return { only: n, samples: rows.map((r) => decode(side.source, r)) }
}

async function duplicates(db: SqlExecutor, side: Side): Promise<number> {
  // Grouping a derived column, not the expression: the expression's values are bound once per use,
  // and PostgreSQL would not see two uses with different placeholders as the same expression.
  const values = sql`SELECT ${side.value} AS "v" FROM ${from(side)}`
  return count(
    db,
    sql`SELECT COUNT(*) AS "n" FROM (SELECT "x"."v" FROM (${values}) AS "x" WHERE "x"."v" IS NOT NULL GROUP BY "x"."v" HAVING COUNT(*) > 1) AS "d"`,
  )
}

/**
 * Compares the two sides of a link in the vault.
 *
 * @example
 * const match = await matchLink(db, link, { systems, links }, { samples: 5 })
 * console.log(match.left.only, match.common.count, match.right.only)
 */
export async function matchLink(
  db: SqlExecutor,
  link: LinkConfig,
  context: FilterContext,
  options: LinkMatchOptions = {},
): Promise<LinkMatch> {
  const checked = checkLinkSides(link, context)
  if (checked.sides === undefined) {
    const first = checked.issues[0]!
    const code = first.code.startsWith('FLT_') ? (first.code as FilterErrorCode) : 'FLT_INVALID_EXPRESSION'
    throw filterError(code, `Link ${link.name} is not valid: ${first.message}`, { issues: checked.issues })
  }
  const samples = options.samples ?? 10
  if (!(Number.isSafeInteger(samples) && samples >= 0)) throw new RangeError(`samples must be a whole number ≥ 0`)
  const dialect = db.dialect.name
  const make = (s: LinkSide, alias: string): Side => ({
    source: tableSource(s.schema, alias),
    value: sideValue(s, alias, link, dialect, context),
  })
  const left = make(checked.sides.left, 'l')
  const right = make(checked.sides.right, 'r')
  const reads = [left, right].map((s) => ({
    system: s.source.system,
    table: s.source.table,
    columns: s.source.columns.map((c) => c.name),
  }))
  await ensureCollected(db, reads, `Link ${link.name}`)
  const on = sql`(${left.value} = ${right.value})`
  const pairs = sql`FROM ${from(left)} INNER JOIN ${from(right)} ON ${on}`
  const order = raw(`${q('l')}.${q('_rid')}, ${q('r')}.${q('_rid')}`)
  const common = await arrays(
    db,
    sql`SELECT ${raw(`${columnsOf(left)}, ${columnsOf(right)}`)} ${pairs} ORDER BY ${order} LIMIT ${bound(samples)}`,
  )
  return {
    left: await only(db, left, right, on, samples),
    common: {
      count: await count(db, sql`SELECT COUNT(*) AS "n" ${pairs}`),
      samples: common.map((r) => ({
        left: decode(left.source, r),
        right: decode(right.source, r, left.source.columns.length),
      })),
    },
    right: await only(db, right, left, on, samples),
    duplicates: { left: await duplicates(db, left), right: await duplicates(db, right) },
  }
}
