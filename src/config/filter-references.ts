/**
 * References from Link and Filter documents into the data model: `system.table` and
 * `system.table.column`, resolved against the project's valid Systems. Each failure is reported at
 * the value that holds the reference, with a "did you mean" for the closest declared name.
 *
 * System names are matched regardless of case (document names are unique regardless of case);
 * table and column names are matched exactly, as expressions match them. Resolved references carry
 * the names as the data model declares them.
 */
import { type ColumnSchema, closestMatch, type Issue, type TableSchema } from '../core/index.ts'
import type { ColumnRef } from './filter-model.ts'
import { issueAt } from './issues.ts'
import type { KindContext } from './kind-definition.ts'
import type { LoadedDocument } from './loaded-document.ts'
import type { SystemConfig } from './system-config.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** `system.table.column`, as Links and lookups write a column. */
export const COLUMN_PATH = /^[^.\s]+\.[^.\s]+\.[^.\s]+$/

/** A resolved table with its system. */
export interface TableTarget {
  readonly system: SystemConfig
  readonly table: TableSchema
}

/** A resolved column with its table and system. */
export interface ColumnTarget extends TableTarget {
  readonly column: ColumnSchema
}

/**
 * Collects the issues of one document's checks, and whether a reference could not be checked
 * because the document it names has errors of its own (then the document is not resolved either).
 */
export class Findings {
  readonly issues: Issue[] = []
  blocked = false

  constructor(
    readonly document: LoadedDocument,
    readonly context: KindContext,
  ) {}

  /** Whether the checked document may be resolved: no errors and no blocked reference. */
  get isResolvable(): boolean {
    return !this.blocked && !this.issues.some((issue) => issue.severity !== 'warning')
  }

  add(...issues: Issue[]): void {
    this.issues.push(...issues)
  }
}

/** The ColumnRef of a resolved column: names as declared in the data model. */
export function columnRefOf(target: ColumnTarget): ColumnRef {
  return { system: target.system.name, table: target.table.name, column: target.column.name }
}

/** Whether a document of `kind` named `name` exists in the project (valid or not). */
export function isDeclared(context: KindContext, kind: string, name: string): boolean {
  const lower = name.toLowerCase()
  return context.documents.some((d) => d.kind === kind && d.name.toLowerCase() === lower)
}

/** The system named `name` (any case), or undefined after reporting it (or blocking on an invalid one). */
export function resolveSystem(
  findings: Findings,
  name: string,
  path: DocumentPath,
  text: string,
): SystemConfig | undefined {
  const { context } = findings
  const lower = name.toLowerCase()
  const system = context.systems.find((s) => s.name.toLowerCase() === lower)
  if (system !== undefined) return system
  if (isDeclared(context, 'System', name)) {
    findings.blocked = true
    return undefined
  }
  const names = context.systems.map((s) => s.name)
  const match = closestMatch(name, names)
  const hint =
    match !== undefined
      ? `Did you mean '${match}'?`
      : names.length === 0
        ? `Add a System document named '${name}'.`
        : `Use one of the project's systems: ${names.join(', ')}.`
  findings.add(
    issueAt(findings.document, 'CFG_UNKNOWN_SYSTEM', `System '${name}' is not declared in the project.`, path, {
      hint,
      value: text,
    }),
  )
  return undefined
}

/**
 * The table `name` of `system` (exact, as expressions and connectors name it); reports
 * CFG_UNKNOWN_TABLE at `path`, with the closest name or the list, when the system does not declare it.
 * `written` is how the document wrote it (`system.table` suggests `system.match`).
 */
export function tableOfSystem(
  findings: Findings,
  system: SystemConfig,
  name: string,
  path: DocumentPath,
  written: { readonly value: string; readonly qualified: boolean } = { value: name, qualified: false },
): TableSchema | undefined {
  const table = system.tables.find((t) => t.name === name)
  if (table !== undefined) return table
  const names = system.tables.map((t) => t.name)
  const match = closestMatch(name, names)
  findings.add(
    issueAt(
      findings.document,
      'CFG_UNKNOWN_TABLE',
      `Table '${name}' is not declared in system '${system.name}'.`,
      path,
      {
        hint:
          match === undefined
            ? `Use one of the tables of '${system.name}': ${names.join(', ')}.`
            : `Did you mean '${written.qualified ? `${system.name}.` : ''}${match}'?`,
        value: written.value,
      },
    ),
  )
  return undefined
}

/** Resolves `system.table`; reports at `path` (whose value is `text`) when it does not exist. */
export function resolveTable(
  findings: Findings,
  systemName: string,
  tableName: string,
  path: DocumentPath,
  text: string,
): TableTarget | undefined {
  const system = resolveSystem(findings, systemName, path, text)
  if (system === undefined) return undefined
  const table = tableOfSystem(findings, system, tableName, path, { value: text, qualified: true })
  return table === undefined ? undefined : { system, table }
}

/** Resolves `system.table.column` (the schema checked the shape); reports at `path` when it does not exist. */
export function resolveColumnPath(findings: Findings, text: string, path: DocumentPath): ColumnTarget | undefined {
  const [systemName = '', tableName = '', columnName = ''] = text.split('.')
  const target = resolveTable(findings, systemName, tableName, path, text)
  if (target === undefined) return undefined
  const column = columnOfTable(findings, target, columnName, path, { value: text, qualified: true })
  return column === undefined ? undefined : { ...target, column }
}

/**
 * The column `name` of `target.table` (exactly); reports CFG_UNKNOWN_COLUMN at `path`, with the
 * closest name or what to do, when the table does not declare it. `written` is how the document wrote
 * it (`system.table.column` suggests `system.table.match`).
 */
export function columnOfTable(
  findings: Findings,
  target: TableTarget,
  name: string,
  path: DocumentPath,
  written: { readonly value: string; readonly qualified: boolean } = { value: name, qualified: false },
): ColumnSchema | undefined {
  const column = target.table.columns.find((c) => c.name === name)
  if (column !== undefined) return column
  const qualified = `${target.system.name}.${target.table.name}`
  const names = target.table.columns.map((c) => c.name)
  const match = closestMatch(name, names)
  const hint = written.qualified
    ? match === undefined
      ? `Declare '${name}' under tables.${target.table.name}.columns of system '${target.system.name}'.`
      : `Did you mean '${qualified}.${match}'?`
    : match === undefined
      ? `Use one of its columns: ${names.join(', ')}.`
      : `Did you mean '${match}'?`
  findings.add(
    issueAt(
      findings.document,
      'CFG_UNKNOWN_COLUMN',
      `Column '${name}' is not declared in table '${qualified}'.`,
      path,
      {
        hint,
        value: written.value,
      },
    ),
  )
  return undefined
}

/** Whether `column` is the primary key or a reference key of `table`: a unique column. */
export function isKeyColumn(table: TableSchema, column: string): boolean {
  return table.primaryKey === column || table.referenceKeys.includes(column)
}
