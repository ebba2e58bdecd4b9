/**
 * The soll-ist diff of one mapping (DESIGN.md §8): the filter's rows, streamed page by page from
 * the vault, become operations of the mapping's function.
 *
 * - create: one operation per row, with generated names;
 * - update: the target row is found by the mapping's key; only attributes whose mapped value differs
 *   from the vault's current value (under the column's compare rules) are kept; a row with no
 *   difference gives no operation. Secrets (passwords) cannot be compared: they ride along with
 *   rows that differ, or, when the mapping sets nothing but secrets, go to every filter row;
 * - delete, disable, enable, move, custom: one operation per row whose target row exists.
 *
 * A row that cannot be planned (no name left, a value of the wrong type, no target row) is reported
 * with its reason and the rest goes on. Memory stays bounded: one page of rows at a time, plus the
 * names handed out in the run.
 */
import type { Row, Value } from '../../core/index.ts'
import { runFilter } from '../../filters/index.ts'
import type { LookupValue, NewOperation, SqlExecutor, TargetRow } from '../../vault/index.ts'
import { type MappingRuntime, evalRowOf } from './mapping-runtime.ts'
import { canonicalJson, operationId } from './operation-id.ts'
import { rowIdentity } from './row-identity.ts'
import { coerceValue, sameValue } from './values.ts'

/** An operation as planned, before the evaluation gives it its step and the plan store its sequence number. */
export type PlannedOperation = Omit<NewOperation, 'step'>

/** A filter row that gave no operation because of a problem, with the reason. */
export interface RowFailure {
  readonly mapping: string
  /** The row's identity for people: its key, or its first column's value. */
  readonly row: string
  readonly code: string
  readonly message: string
}

export interface PlanPage {
  readonly operations: readonly PlannedOperation[]
  readonly failures: readonly RowFailure[]
  /** Rows that needed no operation (an update with nothing to change, a delete of a row already gone). */
  readonly unchanged: number
}

/** What the planner needs from outside: the target's current rows and the generated names. */
export interface PlanServices {
  /** The target table's current rows for these key values (compared under the key column's case rule). */
  lookupTargets(runtime: MappingRuntime, keys: readonly LookupValue[]): Promise<ReadonlyMap<Value, TargetRow>>
  /** Names for one row, or the reason there are none; absent when the mapping has no name generator. */
  generateNames?:
    ((row: Row, runtime: MappingRuntime) => { values: Row } | { code: string; message: string }) | undefined
}

export interface PlanMappingOptions {
  /** Rows per page read from the vault. @default 1000 */
  readonly pageSize?: number | undefined
}

class PageBuilder {
  readonly operations: PlannedOperation[] = []
  readonly failures: RowFailure[] = []
  unchanged = 0
  constructor(private readonly runtime: MappingRuntime) {}

  fail(row: Row, keyValue: Value | undefined, code: string, message: string): void {
    this.failures.push({ mapping: this.runtime.mapping.name, row: rowIdentity(row, keyValue), code, message })
  }
}

/** Evaluates the non-secret attributes of a row in their parameters' types; undefined after a failure. */
function evaluateAttributes(
  runtime: MappingRuntime,
  row: Row,
  generated: Row,
  page: PageBuilder,
  keyValue: Value | undefined,
): Row | undefined {
  const evalRow = evalRowOf(runtime, row, generated)
  const values: Row = {}
  for (const attribute of runtime.attributes) {
    if (attribute.secret) continue
    let raw: Value
    try {
      raw = attribute.evaluate(evalRow)
    } catch (error) {
      page.fail(row, keyValue, 'ENG_VALUE_FAILED', `${attribute.name}: ${(error as Error).message}`)
      return undefined
    }
    const value = coerceValue(raw, attribute.parameter.type)
    if (value === undefined) {
      page.fail(
        row,
        keyValue,
        'ENG_VALUE_TYPE',
        `${attribute.name}: the value ${JSON.stringify(raw)} is not a valid ${attribute.parameter.type}.`,
      )
      return undefined
    }
    values[attribute.name] = value
  }
  return values
}

/** The filter row with the generated names beside it (`generated.<name>`), one flat row to store. */
function sourceOf(row: Row, generated: Row): Row {
  const source: Row = { ...row }
  for (const [name, value] of Object.entries(generated)) source[`generated.${name}`] = value
  return source
}

function secretsOf(runtime: MappingRuntime): string[] {
  return runtime.attributes.filter((a) => a.secret).map((a) => a.name)
}

function planCreate(runtime: MappingRuntime, rows: readonly Row[], services: PlanServices, page: PageBuilder): void {
  const secrets = secretsOf(runtime)
  for (const row of rows) {
    let generated: Row = {}
    if (services.generateNames !== undefined) {
      const names = services.generateNames(row, runtime)
      if ('code' in names) {
        page.fail(row, undefined, names.code, names.message)
        continue
      }
      generated = names.values
    }
    const attributes = evaluateAttributes(runtime, row, generated, page, undefined)
    if (attributes === undefined) continue
    const { mapping, system, table, function: fn } = runtime
    page.operations.push({
      // The source row is part of a create's identity: two people may map to equal attributes.
      id: operationId({ mapping: mapping.name, function: fn.name, key: canonicalJson(row), attributes }),
      mapping: mapping.name,
      system: system.name,
      table: table.name,
      function: fn.name,
      semantics: fn.semantics,
      attributes,
      secrets,
      // Secrets are generated again at execution and may be built from the row and the names.
      source: secrets.length > 0 ? sourceOf(row, generated) : undefined,
    })
  }
}

async function planKeyed(
  runtime: MappingRuntime,
  rows: readonly Row[],
  services: PlanServices,
  page: PageBuilder,
  seen: Set<Value>,
): Promise<void> {
  const key = runtime.key!
  const keys = rows.map((row) => key.evaluate(evalRowOf(runtime, row)))
  const lookups = keys.filter((k): k is LookupValue => k !== null && typeof k !== 'object')
  const targets = await services.lookupTargets(runtime, lookups)
  const secrets = secretsOf(runtime)
  // An update that also sets compared attributes sends its secrets only with rows that differ; one
  // that sets nothing but secrets (a password reset: its filter decides who) sends them for every row.
  const secretsAlone = secrets.length > 0 && !runtime.attributes.some((a) => !a.secret && a.column !== undefined)
  const { mapping, system, table, function: fn } = runtime
  rows.forEach((row, i) => {
    const keyValue = keys[i] ?? null
    if (keyValue === null || typeof keyValue === 'object') {
      page.fail(row, undefined, 'ENG_NO_KEY', `The key expression '${mapping.key?.text}' gave no value.`)
      return
    }
    // Two rows for one target row would race each other; the filter must give one row per target.
    const seenAs =
      key.column.caseInsensitive === true && typeof keyValue === 'string' ? keyValue.toLowerCase() : keyValue
    if (seen.has(seenAs)) {
      page.fail(
        row,
        keyValue,
        'ENG_DUPLICATE_TARGET',
        `Filter ${mapping.filter} gives more than one row for ${system.name}.${table.name} ${key.column.name} = ${JSON.stringify(keyValue)}; only the first is planned. Make the filter give one row per target row.`,
      )
      return
    }
    seen.add(seenAs)
    const target = targets.get(keyValue)
    if (target === undefined) {
      // A row that is already gone needs no delete; every other function needs its row.
      if (fn.semantics === 'delete') page.unchanged++
      else
        page.fail(
          row,
          keyValue,
          'ENG_NO_TARGET_ROW',
          `${system.name}.${table.name} has no row with ${key.column.name} = ${JSON.stringify(keyValue)}.`,
        )
      return
    }
    const attributes = evaluateAttributes(runtime, row, {}, page, keyValue)
    if (attributes === undefined) return
    let changed: Row = attributes
    let before: Row | undefined
    // An update or a move (a rename is one) plans only what differs from the target row: a
    // second run finds the account already named and placed as the mapping says, and does nothing.
    if (fn.semantics === 'update' || fn.semantics === 'move') {
      changed = {}
      before = {}
      let differs = false
      for (const attribute of runtime.attributes) {
        if (attribute.secret) continue
        const value = attributes[attribute.name] ?? null
        if (attribute.column === undefined) {
          // Nothing to compare with: the value rides along when something else changes.
          changed[attribute.name] = value
          continue
        }
        const current = target.row[attribute.column.name]
        if (sameValue(value, current, { ...attribute.column, type: attribute.column.type })) continue
        differs = true
        changed[attribute.name] = value
        before[attribute.name] = current ?? null
      }
      if (!differs && !secretsAlone) {
        page.unchanged++
        return
      }
    } else {
      before = target.row
    }
    page.operations.push({
      id: operationId({ mapping: mapping.name, function: fn.name, key: keyValue, attributes: changed }),
      mapping: mapping.name,
      system: system.name,
      table: table.name,
      function: fn.name,
      semantics: fn.semantics,
      keyColumn: key.column.name,
      keyValue,
      attributes: changed,
      before,
      secrets,
      source: secrets.length > 0 ? sourceOf(row, {}) : undefined,
      targetHash: target.hash,
    })
  })
}

/** Plans one mapping, page by page. */
export async function* planMapping(
  db: SqlExecutor,
  runtime: MappingRuntime,
  services: PlanServices,
  options: PlanMappingOptions = {},
): AsyncGenerator<PlanPage> {
  // The keys planned so far: one value per target row, so memory grows with the plan's rows only.
  const seen = new Set<Value>()
  for await (const rows of runFilter(db, runtime.filter, { pageSize: options.pageSize ?? 1000 })) {
    const page = new PageBuilder(runtime)
    if (runtime.function.semantics === 'create') planCreate(runtime, rows, services, page)
    else await planKeyed(runtime, rows, services, page, seen)
    yield page
  }
}
