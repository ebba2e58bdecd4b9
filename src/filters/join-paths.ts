/**
 * Join resolution: how a joined table connects to its parent table. A join goes through a relation
 * of a system (1-N, `fromTable.fromColumn → toTable.toColumn`) or through a Link (equality between
 * columns of two systems), each usable in either direction. Without `via`, exactly one relation or
 * link must connect the two tables; none or several is an error that lists the candidates.
 */
import { closestMatch, type RelationSchema, type TableSchema } from '../core/index.ts'
import type { JoinItem, LinkConfig, SystemConfig } from '../config/index.ts'
import type { FilterErrorCode } from './errors.ts'

/** What the filters layer needs from the project. */
export interface FilterContext {
  readonly systems: readonly SystemConfig[]
  readonly links: readonly LinkConfig[]
  /** IANA time zone for today(), to_date(datetime) and date formatting in expressions. @default 'UTC' */
  readonly timeZone?: string | undefined
  /** The moment today() and now() stand for. @default the moment of compiling */
  readonly now?: Date | undefined
}

export interface TableRef {
  readonly system: string
  readonly table: string
}

/** A resolved path from a parent table to a joined table. */
export type JoinPath =
  | {
      readonly kind: 'Relation'
      readonly relation: RelationSchema
      /** The relation's column on the parent table and on the joined table. */
      readonly parentColumn: string
      readonly childColumn: string
    }
  | {
      readonly kind: 'Link'
      readonly link: LinkConfig
      /** Which side of the link the parent table is on. */
      readonly parentSide: 'left' | 'right'
    }

export interface PathProblem {
  readonly code: Extract<FilterErrorCode, 'FLT_NO_PATH' | 'FLT_AMBIGUOUS_PATH' | 'FLT_UNKNOWN_VIA'>
  readonly message: string
  readonly hint: string
}

export function findTable(context: FilterContext, ref: TableRef): TableSchema | undefined {
  return context.systems.find((s) => s.name === ref.system)?.tables.find((t) => t.name === ref.table)
}

const name = (ref: TableRef) => `${ref.system}.${ref.table}`

/** `relation contracts_employee_id (hr.contracts.employee_id → hr.employees.employee_id)`. */
export function describePath(path: JoinPath): string {
  if (path.kind === 'Relation') {
    const r = path.relation
    return `relation ${r.name} (${r.system}.${r.fromTable}.${r.fromColumn} → ${r.system}.${r.toTable}.${r.toColumn})`
  }
  const { link } = path
  const side = (c: typeof link.left) => `${c.system}.${c.table}.${c.column}`
  return `link ${link.name} (${side(link.left)} ↔ ${side(link.right)})`
}

/**
 * The relation read from the parent's side. A relation from a table to itself (employees.manager_id
 * → employees.employee_id) is followed forwards: the joined row is the one the parent row points at.
 */
function relationPath(relation: RelationSchema, parent: TableRef, child: TableRef): JoinPath | undefined {
  if (relation.system !== parent.system || relation.system !== child.system) return undefined
  if (relation.fromTable === parent.table && relation.toTable === child.table)
    return { kind: 'Relation', relation, parentColumn: relation.fromColumn, childColumn: relation.toColumn }
  if (relation.toTable === parent.table && relation.fromTable === child.table)
    return { kind: 'Relation', relation, parentColumn: relation.toColumn, childColumn: relation.fromColumn }
  return undefined
}

/** The link read from the parent's side; a link from a table to itself is followed left to right. */
function linkPath(link: LinkConfig, parent: TableRef, child: TableRef): JoinPath | undefined {
  const is = (c: typeof link.left, t: TableRef) => c.system === t.system && c.table === t.table
  if (is(link.left, parent) && is(link.right, child)) return { kind: 'Link', link, parentSide: 'left' }
  if (is(link.right, parent) && is(link.left, child)) return { kind: 'Link', link, parentSide: 'right' }
  return undefined
}

function relationsOf(context: FilterContext, ...systems: string[]): RelationSchema[] {
  return context.systems.filter((s) => systems.includes(s.name)).flatMap((s) => s.relations)
}

/** Every relation and link that connects the two tables. */
export function candidatePaths(context: FilterContext, parent: TableRef, child: TableRef): JoinPath[] {
  return [
    ...relationsOf(context, parent.system).map((r) => relationPath(r, parent, child)),
    ...context.links.map((l) => linkPath(l, parent, child)),
  ].filter((p): p is JoinPath => p !== undefined)
}

function listPaths(paths: readonly JoinPath[]): string {
  return paths.map(describePath).join('; ')
}

/** The relation or link validation resolved for a join (JoinItem.through). */
export type ResolvedVia = NonNullable<JoinItem['through']>

const pathName = (p: JoinPath) => (p.kind === 'Relation' ? p.relation.name : p.link.name)

/**
 * Resolves the path of a join from `parent` to `child`: the relation or link validation already
 * resolved (`through`), else the one named by `via` (names compare regardless of case, as in
 * validation), else the only one that connects the tables.
 */
export function resolveJoinPath(
  context: FilterContext,
  parent: TableRef,
  child: TableRef,
  via?: string,
  through?: ResolvedVia,
): { path: JoinPath } | { problem: PathProblem } {
  const candidates = candidatePaths(context, parent, child)
  const resolved = candidates.filter(
    (p) => through !== undefined && p.kind.toLowerCase() === through.kind && pathName(p) === through.name,
  )
  if (resolved.length === 1) return { path: resolved[0]! }
  const between = `${name(parent)} and ${name(child)}`
  if (via === undefined) {
    if (candidates.length === 1) return { path: candidates[0]! }
    if (candidates.length === 0) {
      return {
        problem: {
          code: 'FLT_NO_PATH',
          message: `No relation or link connects ${between}.`,
          hint: `Declare a relation in the System document or a Link between ${between}, or join a table in between first.`,
        },
      }
    }
    return {
      problem: {
        code: 'FLT_AMBIGUOUS_PATH',
        message: `${candidates.length} relations or links connect ${between}.`,
        hint: `Say which with via: one of ${listPaths(candidates)}.`,
      },
    }
  }
  return resolveVia(context, parent, child, via, candidates)
}

function resolveVia(
  context: FilterContext,
  parent: TableRef,
  child: TableRef,
  via: string,
  candidates: readonly JoinPath[],
): { path: JoinPath } | { problem: PathProblem } {
  const between = `${name(parent)} and ${name(child)}`
  const same = (name: string) => name.toLowerCase() === via.toLowerCase()
  const named = candidates.filter((p) => same(pathName(p)))
  if (named.length === 1) return { path: named[0]! }
  if (named.length > 1) {
    return {
      problem: {
        code: 'FLT_AMBIGUOUS_PATH',
        message: `Both a relation and a link named '${via}' connect ${between}.`,
        hint: 'Rename the link so that its name differs from the relation.',
      },
    }
  }
  const relation = relationsOf(context, parent.system, child.system).find((r) => same(r.name))
  const link = context.links.find((l) => same(l.name))
  const manyToMany = context.systems.flatMap((s) => s.manyToMany).find((m) => same(m.name))
  const usable = candidates.length === 0 ? 'none connects them' : `these connect them: ${listPaths(candidates)}`
  if (relation !== undefined || link !== undefined) {
    const what = relation === undefined ? `link ${via}` : `relation ${via}`
    const ends =
      relation === undefined
        ? `${link!.left.system}.${link!.left.table} and ${link!.right.system}.${link!.right.table}`
        : `${relation.system}.${relation.fromTable} and ${relation.system}.${relation.toTable}`
    return {
      problem: {
        code: 'FLT_NO_PATH',
        message: `The ${what} connects ${ends}, not ${between}.`,
        hint: `Use a relation or link between ${between}; ${usable}.`,
      },
    }
  }
  if (manyToMany !== undefined) {
    return {
      problem: {
        code: 'FLT_UNKNOWN_VIA',
        message: `'${via}' is an N-N relation through ${manyToMany.through}; joins follow 1-N relations and links only.`,
        hint: `Join ${manyToMany.through} first, then ${child.table} under it.`,
      },
    }
  }
  const names = [
    ...relationsOf(context, parent.system, child.system).map((r) => r.name),
    ...context.links.map((l) => l.name),
  ]
  const guess = closestMatch(via, names)
  return {
    problem: {
      code: 'FLT_UNKNOWN_VIA',
      message: `There is no relation or link named '${via}'.`,
      hint: `${guess === undefined ? '' : `Did you mean '${guess}'? `}Name a relation of the System document or a Link; ${usable}.`,
    },
  }
}
