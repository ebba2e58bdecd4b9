/**
 * Checks of a Link document against the data model, and its resolution into a {@link LinkConfig}:
 * both sides name declared columns, their normalising expressions type-check over their table,
 * the compared values have comparable single-valued types, and a side that is not a key column
 * is flagged with a warning because matches through it may multiply.
 */
import type { ExprType } from '../expr/index.ts'
import { areComparable, checkDocumentExpression, tableScope } from './filter-expressions.ts'
import type { LinkConfig } from './filter-model.ts'
import { type ColumnTarget, columnRefOf, type Findings, isKeyColumn, resolveColumnPath } from './filter-references.ts'
import { issueAt } from './issues.ts'
import type { LinkDocument } from './link-schema.ts'

type Side = 'left' | 'right'

/** A checked side: its column, and the type of the compared value when known. */
interface CheckedSide {
  readonly side: Side
  readonly target: ColumnTarget
  readonly type: ExprType | undefined
  /** How the compared value reads in messages: the column, or the expression. */
  readonly shown: string
}

/**
 * Checks a schema-valid Link document; returns the resolved link when it has no errors (warnings
 * do not count) and every reference could be checked.
 */
export function checkLink(findings: Findings, link: LinkDocument): LinkConfig | undefined {
  const left = checkSide(findings, link, 'left')
  const right = checkSide(findings, link, 'right')
  if (left !== undefined && right !== undefined) compareSides(findings, link, left, right)
  for (const side of [left, right]) if (side !== undefined) warnIfNotUnique(findings, link, side)
  if (!findings.isResolvable || left === undefined || right === undefined) return undefined
  const { document } = findings
  return {
    name: document.name,
    ...(link.description === undefined ? {} : { description: link.description }),
    left: columnRefOf(left.target),
    right: columnRefOf(right.target),
    caseInsensitive: link.caseInsensitive ?? false,
    ...(link.leftExpression === undefined ? {} : { leftExpression: link.leftExpression }),
    ...(link.rightExpression === undefined ? {} : { rightExpression: link.rightExpression }),
    file: document.file,
    document,
  }
}

function checkSide(findings: Findings, link: LinkDocument, side: Side): CheckedSide | undefined {
  const text = link[side]
  const target = resolveColumnPath(findings, text, [side])
  if (target === undefined) return undefined
  const key = side === 'left' ? 'leftExpression' : 'rightExpression'
  const expression = link[key]
  let type: ExprType | undefined = target.column.type
  if (expression !== undefined) {
    const checked = checkDocumentExpression(
      findings.document,
      [key],
      expression,
      tableScope(target.table.name, target.table.columns),
    )
    findings.add(...checked.issues)
    type = checked.type
  }
  const shown = expression === undefined ? `'${text}'` : `${key} '${expression}'`
  if (type === 'string[]') {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_LINK',
        `The ${side} side of the link, ${shown}, is multi-valued (string[]); a link compares single values.`,
        [expression === undefined ? side : key],
        {
          hint: `Link a single-valued column, or give ${key} that turns the values into one (join(column, ',')).`,
          value: expression ?? text,
        },
      ),
    )
    return undefined
  }
  return { side, target, type, shown }
}

function compareSides(findings: Findings, link: LinkDocument, left: CheckedSide, right: CheckedSide): void {
  const { document } = findings
  const sameColumn =
    left.target.system === right.target.system &&
    left.target.table === right.target.table &&
    left.target.column === right.target.column
  if (sameColumn) {
    findings.add(
      issueAt(document, 'CFG_INVALID_LINK', `The link compares '${link.right}' with itself.`, ['right'], {
        hint: 'Name the column of the other system on the right.',
        value: link.right,
      }),
    )
    return
  }
  if (left.type !== undefined && right.type !== undefined && !areComparable(left.type, right.type)) {
    findings.add(
      issueAt(
        document,
        'CFG_TYPE_MISMATCH',
        `The link's sides have incompatible types: ${left.shown} is ${left.type}, ${right.shown} is ${right.type}.`,
        ['right'],
        {
          hint: 'Link columns of the same type, or convert one side with leftExpression or rightExpression (to_text(column)).',
          value: link.right,
        },
      ),
    )
  }
  if (link.caseInsensitive === true) checkCaseInsensitive(findings, left, right)
}

/** caseInsensitive lower-cases both values, which only text has. */
function checkCaseInsensitive(findings: Findings, left: CheckedSide, right: CheckedSide): void {
  const typed = [left, right].find((side) => side.type !== undefined && side.type !== 'string' && side.type !== 'null')
  if (typed === undefined) return
  findings.add(
    issueAt(
      findings.document,
      'CFG_INVALID_VALUE',
      `caseInsensitive compares lower-cased text, but the ${typed.side} side, ${typed.shown}, is ${typed.type}.`,
      ['caseInsensitive'],
      {
        hint: `Remove caseInsensitive, or convert the ${typed.side} side to text with ${typed.side}Expression.`,
        value: true,
      },
    ),
  )
}

function warnIfNotUnique(findings: Findings, link: LinkDocument, side: CheckedSide): void {
  const { table, system, column } = side.target
  if (isKeyColumn(table, column.name)) return
  findings.add(
    issueAt(
      findings.document,
      'CFG_LINK_NOT_UNIQUE',
      `Column '${link[side.side]}' is neither the primary key nor a reference key of its table, so one row on the other side may match several rows here and matches may multiply.`,
      [side.side],
      {
        hint: `\`provisio link match ${findings.document.name}\` shows the duplicates; if the column is unique, add '${column.name}' to referenceKeys of table '${table.name}' in system '${system.name}'.`,
        value: link[side.side],
        severity: 'warning',
      },
    ),
  )
}
