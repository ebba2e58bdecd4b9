/**
 * The parts of a plan built after the joins: lookups (a value looked up in a column of any table,
 * without a relation) and the output columns.
 */
import { type ColumnType, closestMatch } from '../core/index.ts'
import type { JoinItem } from '../config/index.ts'
import type { Scope } from '../expr/index.ts'
import type { PlanScope } from './build-plan.ts'
import { issueAt } from './filter-issues.ts'
import { type ComputedNode, LookupNode, OutputNode, tableSource } from './filter-plan.ts'
import { findTable } from './join-paths.ts'
import { comparable } from './link-sides.ts'

/** The internal alias of a lookup's table; `#` cannot start a user's alias, so it never shadows one. */
export const LOOKUP_ALIAS = '#l'
/** The internal alias of a multi-valued lookup column's side table. */
export const LOOKUP_VALUE_ALIAS = '#v'

export function buildLookups(b: PlanScope, scope: Scope): LookupNode[] {
  const nodes: LookupNode[] = []
  const names = new Set<string>()
  for (const lookup of b.filter.lookups) {
    const at = (key: string) => [...lookup.path, key]
    if (names.has(lookup.name)) {
      b.issues.push(
        issueAt(b.filter.document, lookup.path, {
          code: 'FLT_DUPLICATE_NAME',
          message: `Two lookups are named '${lookup.name}'.`,
        }),
      )
    }
    names.add(lookup.name)
    const value = b.expression(lookup.value, scope, at('value'), `value of lookup '${lookup.name}'`)
    const schema = findTable(b.context, lookup.in)
    const target = `${lookup.in.system}.${lookup.in.table}`
    if (schema === undefined) {
      b.issues.push(
        issueAt(b.filter.document, at('in'), { code: 'FLT_UNKNOWN_TABLE', message: `There is no table ${target}.` }),
      )
      continue
    }
    const column = schema.columns.find((c) => c.name === lookup.in.column)
    if (column === undefined) {
      b.issues.push(
        issueAt(b.filter.document, at('in'), {
          code: 'FLT_UNKNOWN_COLUMN',
          message: `${target} has no column '${lookup.in.column}'.`,
          hint: `Its columns are: ${schema.columns.map((c) => c.name).join(', ')}.`,
        }),
      )
      continue
    }
    if (value === undefined) continue
    const multiValued = column.type === 'string[]'
    const targetType: ColumnType = multiValued ? 'string' : column.type
    const textual = (t: string) => t === 'string' || t === 'null'
    if (
      !comparable(value.type, targetType) ||
      (lookup.caseInsensitive && !(textual(value.type) && textual(targetType)))
    ) {
      b.issues.push(
        issueAt(b.filter.document, at('value'), {
          code: 'FLT_TYPE_MISMATCH',
          message: `Lookup '${lookup.name}' compares a ${value.type} value with ${target}.${column.name} (${column.type})${lookup.caseInsensitive ? ' case-insensitively' : ''}.`,
        }),
      )
      continue
    }
    nodes.push(
      LookupNode.create({
        name: lookup.name,
        mode: lookup.mode,
        value,
        target: tableSource(schema, LOOKUP_ALIAS),
        column: column.name,
        multiValued,
        caseInsensitive: lookup.caseInsensitive,
      }),
    )
  }
  return nodes
}

function joinItemsOf(items: readonly JoinItem[]): JoinItem[] {
  return items.flatMap((j) => [j, ...joinItemsOf(j.joins)])
}

function columnOutputs(b: PlanScope, alias: string): OutputNode[] {
  const schema = b.attached.get(alias)!
  return schema.columns.map((c) =>
    OutputNode.create(`${alias}.${c.name}`, c.type, { kind: 'Column', alias, column: c.name }),
  )
}

function outputEntry(b: PlanScope, computed: readonly ComputedNode[], entry: string): OutputNode[] | string {
  const dot = entry.indexOf('.')
  if (dot < 0) {
    const column = computed.find((c) => c.name === entry)
    if (column !== undefined)
      return [OutputNode.create(column.name, column.type, { kind: 'Computed', name: column.name })]
    const guess = closestMatch(
      entry,
      computed.map((c) => c.name),
    )
    return `'${entry}' is not a computed column.${guess === undefined ? ' Write alias.column for a table column.' : ` Did you mean '${guess}'?`}`
  }
  const alias = entry.slice(0, dot)
  const name = entry.slice(dot + 1)
  const schema = b.attached.get(alias)
  const item = joinItemsOf(b.filter.joins).find((j) => j.alias === alias)
  if (schema === undefined && item !== undefined) {
    return `'${alias}' is joined with ${item.mode === 'none' || item.mode === 'all' ? item.mode : 'a join inside none or all'}, which attaches no columns.`
  }
  if (schema === undefined) {
    const guess = closestMatch(alias, [...b.attached.keys()])
    return `'${alias}' is not an attached alias (${[...b.attached.keys()].join(', ')}).${guess === undefined ? '' : ` Did you mean '${guess}'?`}`
  }
  if (name === '*') return columnOutputs(b, alias)
  const column = schema.columns.find((c) => c.name === name)
  if (column === undefined) {
    const guess = closestMatch(
      name,
      schema.columns.map((c) => c.name),
    )
    return `'${alias}' has no column '${name}'.${guess === undefined ? '' : ` Did you mean '${guess}'?`}`
  }
  return [OutputNode.create(entry, column.type, { kind: 'Column', alias, column: name })]
}

/**
 * The output columns: FilterConfig.output, or every column of the attached tables and then the
 * computed columns. Table columns are named `alias.column`, computed columns by their name: the two
 * kinds cannot collide, because a computed column's name has no dot.
 */
export function buildOutput(b: PlanScope, computed: readonly ComputedNode[]): OutputNode[] {
  if (b.filter.output === undefined) {
    return [
      ...[...b.attached.keys()].flatMap((alias) => columnOutputs(b, alias)),
      ...computed.map((c) => OutputNode.create(c.name, c.type, { kind: 'Computed', name: c.name })),
    ]
  }
  const nodes: OutputNode[] = []
  if (b.filter.output.length === 0) {
    b.issues.push(
      issueAt(b.filter.document, ['output'], {
        code: 'FLT_INVALID_OUTPUT',
        message: 'The output names no columns.',
        hint: 'List alias.column, alias.* or computed column names, or leave output out for every attached column.',
      }),
    )
  }
  b.filter.output.forEach((entry, i) => {
    const found = outputEntry(b, computed, entry)
    if (typeof found === 'string') {
      b.issues.push(issueAt(b.filter.document, ['output', i], { code: 'FLT_INVALID_OUTPUT', message: found }))
      return
    }
    for (const node of found) {
      if (nodes.some((n) => n.name === node.name)) {
        b.issues.push(
          issueAt(b.filter.document, ['output', i], {
            code: 'FLT_INVALID_OUTPUT',
            message: `The output names '${node.name}' more than once.`,
          }),
        )
      } else nodes.push(node)
    }
  })
  return nodes
}
