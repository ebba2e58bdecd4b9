/**
 * Turns a checked System document into the resolved {@link SystemConfig} that later layers use:
 * core's TableSchema and RelationSchema with defaults applied, guards merged per table, and the N-N
 * relations derived from pairs of 1-N relations.
 */
import type { ColumnSchema, RelationSchema, TableSchema } from '../core/index.ts'
import { type GuardsConfig, resolveGuards } from './guards.ts'
import type { LoadedDocument } from './loaded-document.ts'
import { parseColumnRef, relationName } from './system-checks.ts'
import { type ExecutionConfig, resolveExecution } from './system-execution.ts'
import type { ColumnDocument, SystemDocument, TableDocument } from './system-schema.ts'

/**
 * An N-N relation derived from two 1-N relations leaving the same table (DESIGN.md §1):
 * employees ↔ departments through contracts. Data only for now; filters will join over it.
 */
export interface ManyToManyRelation {
  /** `<left>_<right>`; `<leftRelation>_<rightRelation>` when several relation pairs link the same tables. */
  readonly name: string
  /** The table the first relation points at (`employees`). */
  readonly left: string
  /** The table the second relation points at (`departments`). */
  readonly right: string
  /** The association table both relations leave from (`contracts`). */
  readonly through: string
  /** The 1-N relation from `through` to `left`. */
  readonly leftRelation: string
  /** The 1-N relation from `through` to `right`. */
  readonly rightRelation: string
}

/** A valid System document, resolved. */
export interface SystemConfig {
  readonly name: string
  readonly description?: string | undefined
  /** The connector type (`csv`). */
  readonly connector: string
  /** The raw `config:` block; `${env:NAME}` references are not resolved yet (see resolveSystemSecrets). */
  readonly config: Readonly<Record<string, unknown>>
  readonly tables: readonly TableSchema[]
  readonly relations: readonly RelationSchema[]
  /** Derived N-N relations. */
  readonly manyToMany: readonly ManyToManyRelation[]
  /** Resolved collection guards, by table name. */
  readonly guards: Readonly<Record<string, GuardsConfig>>
  /**
   * How operations are executed against the system, defaults applied. Validation always sets it;
   * hand-built configurations may leave it out: read it with executionOf(). @default DEFAULT_EXECUTION
   */
  readonly execution?: ExecutionConfig | undefined
  /** The project-relative file the document came from. */
  readonly file: string
  /** The document, for positioning later issues (connector config, links) in it. */
  readonly document: LoadedDocument
}

/** Builds the resolved SystemConfig; the document must have passed the schema and the checks. */
export function resolveSystem(document: LoadedDocument, system: SystemDocument): SystemConfig {
  const tables = Object.entries(system.tables).map(([name, table]) => toTableSchema(system.name, name, table))
  const relations = (system.relations ?? []).map((relation): RelationSchema => {
    const from = parseColumnRef(relation.from)
    const to = parseColumnRef(relation.to)
    return {
      system: system.name,
      name: relationName(relation),
      fromTable: from.table,
      fromColumn: from.column,
      toTable: to.table,
      toColumn: to.column,
    }
  })
  const guards = Object.fromEntries(
    Object.entries(system.tables).map(([name, table]) => [name, resolveGuards(system.guards, table.guards)]),
  )
  return {
    name: system.name,
    ...(system.description === undefined ? {} : { description: system.description }),
    connector: system.connector,
    config: system.config,
    tables,
    relations,
    manyToMany: deriveManyToMany(relations),
    guards,
    execution: resolveExecution(system.execution),
    file: document.file,
    document,
  }
}

function toTableSchema(systemName: string, name: string, table: TableDocument): TableSchema {
  return {
    system: systemName,
    name,
    columns: Object.entries(table.columns).map(([columnName, column]) => toColumnSchema(columnName, column)),
    ...(table.primaryKey === undefined ? {} : { primaryKey: table.primaryKey }),
    referenceKeys: table.referenceKeys ?? [],
    options: table.options ?? {},
  }
}

function toColumnSchema(name: string, column: ColumnDocument): ColumnSchema {
  // Only options that were written are set, so that consumers apply core's documented defaults.
  return {
    name,
    type: column.type,
    source: column.source ?? name,
    ...(column.format === undefined ? {} : { format: column.format }),
    ...(column.separator === undefined ? {} : { separator: column.separator }),
    ...(column.decimalSeparator === undefined ? {} : { decimalSeparator: column.decimalSeparator }),
    ...(column.caseInsensitive === undefined ? {} : { caseInsensitive: column.caseInsensitive }),
    ...(column.emptyIsNull === undefined ? {} : { emptyIsNull: column.emptyIsNull }),
  }
}

/**
 * Every pair of 1-N relations that leave the same table towards two other tables (or twice the
 * same other table). A pair whose source is also one of its targets (departments.parent_unit and
 * departments.manager_id) describes the row itself, not an association, and is left out.
 */
export function deriveManyToMany(relations: readonly RelationSchema[]): ManyToManyRelation[] {
  const found: Omit<ManyToManyRelation, 'name'>[] = []
  relations.forEach((left, i) => {
    for (const right of relations.slice(i + 1)) {
      if (left.fromTable !== right.fromTable) continue
      const through = left.fromTable
      if (left.toTable === through || right.toTable === through) continue
      found.push({
        left: left.toTable,
        right: right.toTable,
        through,
        leftRelation: left.name,
        rightRelation: right.name,
      })
    }
  })
  const pairCount = new Map<string, number>()
  for (const m of found) pairCount.set(`${m.left}_${m.right}`, (pairCount.get(`${m.left}_${m.right}`) ?? 0) + 1)
  return found.map((m) => {
    const base = `${m.left}_${m.right}`
    // Relation names are unique in a system, so the pair of them is a unique fallback name.
    return { name: (pairCount.get(base) ?? 0) > 1 ? `${m.leftRelation}_${m.rightRelation}` : base, ...m }
  })
}
