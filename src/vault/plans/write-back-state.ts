/**
 * The rows one flush of write-backs touches in one table, held in memory while the flush's
 * write-backs are applied in order: an update after a create of the same row, in the same flush,
 * finds the created row here. Each entry remembers the version it started from (`original`) and
 * the row it ends with (`current`), so the flush writes each row's versions once.
 */
import type { Row, Value } from '../../core/index.ts'
import type { SqlValue } from '../driver/sql-driver.ts'
import { RowPreparer, toStoredValue } from '../staging.ts'
import type { VaultTable } from '../vault-table.ts'
import { coerceToColumn, matchText } from './column-values.ts'

/** Where the current row is: by the value of one of its columns (a primary or reference key). */
export interface TargetKey {
  readonly column: string
  readonly value: Value
  /** Match regardless of case (caseInsensitive key columns). @default false */
  readonly caseInsensitive?: boolean | undefined
}

/**
 * What an executed operation leaves in the target's vault table (DESIGN.md §6):
 * - `upsert`: the row as the target now holds it (`merge` false: a complete row, columns not given
 *   become empty), or the values the operation set (`merge` true: merged into the current row). The
 *   current row is found by `key`, else by the row's own primary key; none found, the row is added.
 * - `remove`: the row found by `key` (or, for tables without a primary key, the row given) is removed.
 * Values take the column's type (column-values.ts); names that are not columns are ignored.
 */
export type WriteBack =
  | { readonly kind: 'upsert'; readonly key?: TargetKey | undefined; readonly row: Row; readonly merge?: boolean }
  | { readonly kind: 'remove'; readonly key?: TargetKey | undefined; readonly row?: Row | undefined }

/** A version as stored: its row id, identity, fingerprint and the collection that opened it. */
export interface StoredVersion {
  readonly rid: number
  readonly key: string
  readonly hash: number
  readonly from: number
}

interface Version {
  readonly row: Row
  readonly key: string
  readonly hash: number
  /** `[key, hash, ...stored]` as RowPreparer makes it; absent for a version read from the vault. */
  readonly flat?: readonly SqlValue[] | undefined
}

export interface Entry {
  readonly original: (StoredVersion & { readonly row: Row }) | undefined
  current: Version | undefined
}

/** A locator index: `e:` or `i:` (case-insensitive) plus the column name. */
export function locatorSpec(key: TargetKey): string {
  return `${key.caseInsensitive === true ? 'i' : 'e'}:${key.column}`
}

export class WriteBackState {
  readonly preparer: RowPreparer
  readonly entries: Entry[] = []
  private readonly byKey = new Map<string, Entry>()
  private readonly byColumn = new Map<string, Map<string, Entry>>()

  constructor(
    readonly table: VaultTable,
    /** The locator specs the flush uses, so that rows are indexed by them as they change. */
    specs: Iterable<string>,
  ) {
    this.preparer = new RowPreparer(table)
    for (const spec of specs) this.byColumn.set(spec, new Map())
  }

  /** A current row read from the vault. */
  load(version: StoredVersion, row: Row): void {
    if (this.byKey.has(version.key)) return
    // The stored fingerprint, not a recomputed one: an untouched row must compare as unchanged.
    const entry: Entry = { original: { ...version, row }, current: { row, key: version.key, hash: version.hash } }
    this.entries.push(entry)
    this.index(entry)
  }

  /** The problem, or undefined once the write-back is applied to the state. */
  apply(item: WriteBack): string | undefined {
    const given = this.coerce(item.row ?? {})
    if (typeof given === 'string') return given
    const located = this.locate(item, given)
    if (typeof located === 'string') return located
    if (item.kind === 'remove') {
      if (located?.current === undefined) return undefined // already gone: removing again changes nothing
      this.unindex(located)
      located.current = undefined
      return undefined
    }
    const base = item.merge === true ? (located?.current?.row ?? {}) : {}
    if (item.merge === true && located?.current !== undefined && this.sameValues(located.current.row, given)) {
      return undefined
    }
    const next = this.version({ ...this.emptyRow(), ...base, ...given })
    if (next === undefined) return `the row has no value in its primary key ${this.table.primaryKey ?? ''}`
    const entry = located ?? this.byKey.get(next.key)
    if (entry === undefined) {
      const added: Entry = { original: undefined, current: next }
      this.entries.push(added)
      this.index(added)
      return undefined
    }
    if (entry.current !== undefined) this.unindex(entry)
    entry.current = next
    this.index(entry)
    return undefined
  }

  /**
   * What must be read from the vault before `apply`: the key column's value to look up, and the
   * row's own identity. Undefined parts need no read; a problem is reported again by `apply`.
   */
  lookupsFor(item: WriteBack): { key?: { spec: string; value: SqlValue }; own?: string } {
    const given = this.coerce(item.row ?? {})
    if (typeof given === 'string') return {}
    const result: { key?: { spec: string; value: SqlValue }; own?: string } = {}
    const keyValue = item.key === undefined ? undefined : this.keyValue(item.key)
    if (item.key !== undefined && keyValue !== undefined && typeof keyValue !== 'string') {
      result.key = { spec: locatorSpec(item.key), value: keyValue.value as SqlValue }
    }
    const own = ownKey(this.table, this.preparer, item, given)
    if (own !== undefined) result.own = own
    return result
  }

  /** The key's value in its column's type, or the problem. */
  private keyValue(key: TargetKey): { value: Value } | string {
    const type = this.table.columns.find((c) => c.name === key.column)?.type
    if (type === undefined) return `the key column ${key.column} is not a column of the table`
    const coerced = coerceToColumn(key.value, type === 'string[]' ? 'string' : type)
    if ('problem' in coerced) return `the key ${key.column}: ${coerced.problem}`
    if (coerced.value === null) return `the key ${key.column} has no value`
    return coerced
  }

  private emptyRow(): Row {
    return Object.fromEntries(this.table.columns.map((c) => [c.name, null]))
  }

  private version(row: Row): Version | undefined {
    const flat = this.preparer.prepareFlat(row)
    if (flat[0] === null) return undefined
    return { row, key: flat[0] as string, hash: flat[1] as number, flat }
  }

  /** The given values in their columns' types, or the first problem. */
  private coerce(row: Row): Row | string {
    const result: Row = {}
    for (const column of this.table.columns) {
      if (!(column.name in row)) continue
      const coerced = coerceToColumn(row[column.name], column.type)
      if ('problem' in coerced) return `column ${column.name}: ${coerced.problem}`
      result[column.name] = coerced.value
    }
    return result
  }

  private sameValues(current: Row, given: Row): boolean {
    return Object.keys(given).every(
      (name) => JSON.stringify(toStoredValue(current[name])) === JSON.stringify(toStoredValue(given[name])),
    )
  }

  /** The entry the write-back addresses (undefined: none), or the problem. */
  private locate(item: WriteBack, given: Row): Entry | undefined | string {
    if (item.key !== undefined) {
      const key = this.keyValue(item.key)
      if (typeof key === 'string') return key
      const found = this.byColumn
        .get(locatorSpec(item.key))
        ?.get(matchText(key.value, item.key.caseInsensitive === true))
      if (found?.current !== undefined || item.kind === 'remove') return found
    }
    const own = ownKey(this.table, this.preparer, item, given)
    if (own === undefined) {
      return item.key === undefined ? 'there is neither a key nor a row that identifies the target row' : undefined
    }
    return this.byKey.get(own)
  }

  private index(entry: Entry): void {
    const current = entry.current
    if (current === undefined) return
    this.byKey.set(current.key, entry)
    for (const [spec, map] of this.byColumn) {
      const value = current.row[spec.slice(2)]
      if (value !== null && value !== undefined && !Array.isArray(value))
        map.set(matchText(value, spec[0] === 'i'), entry)
    }
  }

  private unindex(entry: Entry): void {
    const current = entry.current!
    if (this.byKey.get(current.key) === entry) this.byKey.delete(current.key)
    for (const [spec, map] of this.byColumn) {
      const value = current.row[spec.slice(2)]
      if (value === null || value === undefined || Array.isArray(value)) continue
      const text = matchText(value, spec[0] === 'i')
      if (map.get(text) === entry) map.delete(text)
    }
  }
}

/**
 * The vault identity (`_key`) a write-back's own row gives, when it gives one: the primary key's
 * value, or for a table without one the fingerprint of a complete row.
 */
export function ownKey(table: VaultTable, preparer: RowPreparer, item: WriteBack, given: Row): string | undefined {
  if (table.primaryKey !== undefined) {
    const value = toStoredValue(given[table.primaryKey])
    return value === null || value === '' ? undefined : String(value)
  }
  if (item.row === undefined || (item.kind === 'upsert' && item.merge === true)) return undefined
  const full = Object.fromEntries(table.columns.map((c) => [c.name, given[c.name] ?? null]))
  return (preparer.prepareFlat(full)[0] as string | null) ?? undefined
}
