/**
 * The two sides of a Link, resolved and checked: each side's table, and the value it compares — the
 * column itself, or the side's normalising expression over the table's columns (by bare name).
 * Joins over the link and `provisio link match` read both sides the same way.
 */
import type { Issue, TableSchema } from '../core/index.ts'
import type { ColumnRef, LinkConfig } from '../config/index.ts'
import type { ExprType, TypedExpr } from '../expr/index.ts'
import { checkIn } from './expressions.ts'
import { expressionIssues, issueAt } from './filter-issues.ts'
import { type FilterContext, findTable } from './join-paths.ts'
import { ColumnOperandNode, ExpressionOperandNode, type OperandNode } from './filter-plan.ts'

export interface LinkSide {
  readonly ref: ColumnRef
  readonly schema: TableSchema
  /** The normalising expression, checked with the table's name as its only alias. */
  readonly expr: TypedExpr | undefined
  /** The type of the compared value. */
  readonly type: ExprType
}

export interface CheckedLink {
  readonly link: LinkConfig
  /** Both sides, when the link has no problems. */
  readonly sides: { readonly left: LinkSide; readonly right: LinkSide } | undefined
  readonly issues: readonly Issue[]
}

/** Whether two value types can be compared with `=`. */
export function comparable(a: ExprType, b: ExprType): boolean {
  if (a === 'string[]' || b === 'string[]') return false
  const numeric = (t: ExprType) => t === 'integer' || t === 'number'
  return a === 'null' || b === 'null' || a === b || (numeric(a) && numeric(b))
}

function checkSide(link: LinkConfig, context: FilterContext, which: 'left' | 'right', issues: Issue[]) {
  const ref = link[which]
  const schema = findTable(context, ref)
  if (schema === undefined) {
    issues.push(
      issueAt(link.document, [which], {
        code: 'FLT_UNKNOWN_TABLE',
        message: `The ${which} side of link ${link.name} names ${ref.system}.${ref.table}, which no System document declares.`,
      }),
    )
    return undefined
  }
  const column = schema.columns.find((c) => c.name === ref.column)
  if (column === undefined) {
    issues.push(
      issueAt(link.document, [which], {
        code: 'FLT_UNKNOWN_COLUMN',
        message: `${ref.system}.${ref.table} has no column '${ref.column}'.`,
        hint: `Its columns are: ${schema.columns.map((c) => c.name).join(', ')}.`,
      }),
    )
    return undefined
  }
  const text = which === 'left' ? link.leftExpression : link.rightExpression
  if (text === undefined) return { ref, schema, expr: undefined, type: column.type } satisfies LinkSide
  const columns = Object.fromEntries(schema.columns.map((c) => [c.name, c.type]))
  const { expr, issues: found } = checkIn(text, { aliases: { [schema.name]: columns }, defaultAlias: schema.name })
  const path = [which === 'left' ? 'leftExpression' : 'rightExpression']
  issues.push(...expressionIssues(link.document, path, `${path[0]} of link ${link.name}`, text, found))
  return expr === undefined ? undefined : ({ ref, schema, expr, type: expr.type } satisfies LinkSide)
}

function checkTypes(link: LinkConfig, left: LinkSide, right: LinkSide): Issue | undefined {
  const describe = (s: LinkSide) =>
    `${s.ref.system}.${s.ref.table}.${s.ref.column}${s.expr === undefined ? '' : ' (normalised)'}`
  if (!comparable(left.type, right.type)) {
    return issueAt(link.document, ['right'], {
      code: 'FLT_TYPE_MISMATCH',
      message: `Link ${link.name} compares ${describe(left)} (${left.type}) with ${describe(right)} (${right.type}).`,
    })
  }
  const text = (t: ExprType) => t === 'string' || t === 'null'
  if (link.caseInsensitive && !(text(left.type) && text(right.type))) {
    return issueAt(link.document, ['caseInsensitive'], {
      code: 'FLT_TYPE_MISMATCH',
      message: `Link ${link.name} is case-insensitive, but compares ${left.type} values.`,
      hint: 'Only text compares case-insensitively: remove caseInsensitive, or normalise with to_text().',
    })
  }
  return undefined
}

const cache = new WeakMap<LinkConfig, WeakMap<FilterContext, CheckedLink>>()

/** Resolves and checks both sides of a link (memoised per link and context). */
export function checkLinkSides(link: LinkConfig, context: FilterContext): CheckedLink {
  const known = cache.get(link)?.get(context)
  if (known !== undefined) return known
  const issues: Issue[] = []
  const left = checkSide(link, context, 'left', issues)
  const right = checkSide(link, context, 'right', issues)
  const mismatch = left === undefined || right === undefined ? undefined : checkTypes(link, left, right)
  if (mismatch !== undefined) issues.push(mismatch)
  const checked: CheckedLink = {
    link,
    sides: left === undefined || right === undefined || issues.length > 0 ? undefined : { left, right },
    issues,
  }
  if (!cache.has(link)) cache.set(link, new WeakMap())
  cache.get(link)!.set(context, checked)
  return checked
}

/**
 * Every problem of a Link document: unknown tables or columns, invalid normalising expressions,
 * sides that cannot be compared. `provisio validate` reports these at the link; filters that join over
 * a broken link report one problem at the join.
 */
export function checkLink(link: LinkConfig, context: FilterContext): Issue[] {
  return [...checkLinkSides(link, context).issues]
}

/** A side as a join operand, read from the SQL alias `alias`. */
export function sideOperand(side: LinkSide, alias: string): OperandNode {
  return side.expr === undefined
    ? ColumnOperandNode.create(alias, side.ref.column)
    : ExpressionOperandNode.create(alias, side.expr)
}
