/**
 * How each join of a filter reaches its table from its parent's: through a relation (both tables in
 * one system, the relation pointing either way) or a link (one side on each table). With `via:`
 * the named relation or link must exist and connect the two tables; without it exactly one must
 * connect them. Relation and link names are matched regardless of case.
 */
import { closestMatch, type RelationSchema } from '../core/index.ts'
import type { JoinVia, LinkConfig } from './filter-model.ts'
import { type Findings, isDeclared, type TableTarget } from './filter-references.ts'
import { describeTable, type FilterTable } from './filter-tables.ts'
import { issueAt } from './issues.ts'

/** A relation or link that may carry a join, with how messages name it. */
interface Connection {
  readonly via: JoinVia
  readonly name: string
  /** `relation contracts_employee_id (hr500.contracts.employee_id → hr500.employees.employee_id)` */
  readonly label: string
  /** The tables it connects. */
  readonly ends: readonly [TableRef, TableRef]
}

interface TableRef {
  readonly system: string
  readonly table: string
}

/** Finds the relation or link of every join whose tables resolved, and sets `through` on it. */
export function checkJoins(findings: Findings, tables: readonly FilterTable[]): void {
  for (const table of tables) {
    const parent = table.parent
    if (table.join === undefined || parent?.target === undefined || table.target === undefined) continue
    const through =
      table.join.via === undefined
        ? onlyConnection(findings, parent, table)
        : namedConnection(findings, parent, table, table.join.via)
    if (through !== undefined) table.through = through
  }
}

function onlyConnection(findings: Findings, parent: FilterTable, table: FilterTable): JoinVia | undefined {
  const candidates = connections(findings, [parent.target!, table.target!]).filter((c) => connects(c, parent, table))
  const [only] = candidates
  if (candidates.length === 1 && only !== undefined) return only.via
  const { document } = findings
  const between = `${describeTable(parent)} and ${describeTable(table)}`
  if (candidates.length === 0) {
    if (brokenLinkMayConnect(findings, parent.target!, table.target!)) {
      findings.blocked = true
      return undefined
    }
    findings.add(
      issueAt(document, 'CFG_NO_JOIN_PATH', `No relation or link connects ${between}.`, table.refPath, {
        hint: existingHint(findings, parent),
        value: table.text,
      }),
    )
    return undefined
  }
  const names = candidates.map((c) => c.name)
  findings.add(
    issueAt(
      document,
      'CFG_AMBIGUOUS_JOIN',
      `Several relations and links connect ${between}: ${candidates.map((c) => c.label).join('; ')}.`,
      table.refPath,
      {
        hint: `Say which one the join uses with \`via:\`, one of ${names.join(', ')}.`,
        value: table.text,
      },
    ),
  )
  return undefined
}

function namedConnection(
  findings: Findings,
  parent: FilterTable,
  table: FilterTable,
  via: string,
): JoinVia | undefined {
  const all = connections(findings, [parent.target!, table.target!])
  const named = all.filter((c) => c.name.toLowerCase() === via.toLowerCase())
  if (named.length === 0) {
    unknownVia(findings, parent, table, via, all)
    return undefined
  }
  const chosen = named.filter((c) => connects(c, parent, table))
  const [only] = chosen
  if (chosen.length === 1 && only !== undefined) return only.via
  const path = [...table.path, 'via']
  const between = `${describeTable(parent)} and ${describeTable(table)}`
  if (chosen.length === 0) {
    const connecting = all.filter((c) => connects(c, parent, table))
    findings.add(
      issueAt(findings.document, 'CFG_NO_JOIN_PATH', `The ${named[0]!.label} does not connect ${between}.`, path, {
        hint: connectingHint(connecting, between),
        value: via,
      }),
    )
    return undefined
  }
  findings.add(
    issueAt(
      findings.document,
      'CFG_AMBIGUOUS_JOIN',
      `'${via}' names more than one way to connect ${between}: ${chosen.map((c) => c.label).join('; ')}.`,
      path,
      { hint: 'Rename the Link or the relation so that each name means one thing.', value: via },
    ),
  )
  return undefined
}

/**
 * Reports a `via` that names no relation and no link: with did-you-mean, or as an N-N relation
 * (which is not a join path); blocks instead when it names a Link that has errors of its own.
 */
function unknownVia(
  findings: Findings,
  parent: FilterTable,
  table: FilterTable,
  via: string,
  all: readonly Connection[],
): void {
  if (isDeclared(findings.context, 'Link', via)) {
    findings.blocked = true
    return
  }
  const path = [...table.path, 'via']
  const [p, t] = [parent.target!, table.target!]
  const manyToMany = [p.system, t.system]
    .flatMap((s) => s.manyToMany)
    .find((m) => m.name.toLowerCase() === via.toLowerCase())
  if (manyToMany !== undefined) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_NO_JOIN_PATH',
        `'${via}' is an N-N relation through ${manyToMany.through}; a join follows one 1-N relation or link.`,
        path,
        { hint: `Join ${manyToMany.through} first, then ${t.table.name} under it.`, value: via },
      ),
    )
    return
  }
  const systems = [...new Set([p.system.name, t.system.name])].map((s) => `'${s}'`)
  const match = closestMatch(
    via,
    all.map((c) => c.name),
  )
  const between = `${describeTable(parent)} and ${describeTable(table)}`
  const connecting = all.filter((c) => connects(c, parent, table))
  findings.add(
    issueAt(
      findings.document,
      'CFG_UNKNOWN_RELATION',
      `No relation of system ${systems.join(' or ')} and no link is named '${via}'.`,
      path,
      {
        hint: match !== undefined ? `Did you mean '${match}'?` : connectingHint(connecting, between),
        value: via,
      },
    ),
  )
}

/** The relations of the tables' systems and every link, as connections. */
function connections(findings: Findings, targets: readonly TableTarget[]): Connection[] {
  const systems = [...new Set(targets.map((t) => t.system))]
  return [
    ...systems.flatMap((system) => system.relations.map(relationConnection)),
    ...findings.context.links.map(linkConnection),
  ]
}

function relationConnection(r: RelationSchema): Connection {
  return {
    via: { kind: 'relation', system: r.system, name: r.name },
    name: r.name,
    label: `relation ${r.name} (${r.system}.${r.fromTable}.${r.fromColumn} → ${r.system}.${r.toTable}.${r.toColumn})`,
    ends: [
      { system: r.system, table: r.fromTable },
      { system: r.system, table: r.toTable },
    ],
  }
}

function linkConnection(l: LinkConfig): Connection {
  const side = (c: LinkConfig['left']) => `${c.system}.${c.table}.${c.column}`
  return {
    via: { kind: 'link', name: l.name },
    name: l.name,
    label: `link ${l.name} (${side(l.left)} ↔ ${side(l.right)})`,
    ends: [l.left, l.right],
  }
}

function isTable(ref: TableRef, table: FilterTable): boolean {
  return table.target !== undefined && ref.system === table.target.system.name && ref.table === table.target.table.name
}

/** Whether the connection has one end on each table (either way round). */
function connects(c: Connection, a: FilterTable, b: FilterTable): boolean {
  const [x, y] = c.ends
  return (isTable(x, a) && isTable(y, b)) || (isTable(x, b) && isTable(y, a))
}

function connectingHint(connecting: readonly Connection[], between: string): string {
  if (connecting.length === 0) {
    return `Nothing connects ${between}: declare a relation in the System or a Link document, or remove the join.`
  }
  return `${between} are connected by: ${connecting.map((c) => c.name).join(', ')}.`
}

/** What connects the parent table to anything, for the hint of a join nothing connects. */
function existingHint(findings: Findings, parent: FilterTable): string {
  const target = parent.target!
  const here = { system: target.system.name, table: target.table.name }
  const touching = connections(findings, [target])
    .map((c) => {
      const [x, y] = c.ends
      const other = isTable(x, parent) ? y : isTable(y, parent) ? x : undefined
      return other === undefined ? undefined : `${c.name} (${c.via.kind} to ${other.system}.${other.table})`
    })
    .filter((text): text is string => text !== undefined)
  const name = `${here.system}.${here.table}`
  const declare = 'Declare a relation in the System or a Link document between the two tables.'
  if (touching.length === 0) return `${name} has no relations or links. ${declare}`
  return `Relations and links of ${name}: ${touching.join(', ')}. ${declare}`
}

/**
 * Whether a Link document that did not validate names both tables: then "nothing connects them"
 * may only be a consequence of that document's own errors, which are reported already.
 */
function brokenLinkMayConnect(findings: Findings, a: TableTarget, b: TableTarget): boolean {
  const { context } = findings
  const prefix = (t: TableTarget) => `${t.system.name}.${t.table.name}.`.toLowerCase()
  return context.documents.some((d) => {
    if (d.kind !== 'Link' || context.links.some((l) => l.document === d)) return false
    const sides = [d.value['left'], d.value['right']].map((v) => (typeof v === 'string' ? v.toLowerCase() : ''))
    const names = (t: TableTarget) => sides.some((s) => s.startsWith(prefix(t)))
    return names(a) && names(b)
  })
}
