/** The answers of the system, collection and vault routes (src/server/routes/systems.ts, vault.ts). */

export interface TableCounts {
  readonly table: string
  readonly rowsBefore: number
  readonly rowsAfter: number
  readonly added: number
  readonly changed: number
  readonly removed: number
  readonly incremental: boolean
  readonly watermark: string | null
}

export interface CollectionRecord {
  readonly id: number
  readonly system: string
  readonly kind: string
  readonly status: string
  readonly startedAt: string
  readonly durationMs: number | null
  readonly forced: boolean
  readonly errorCode: string | null
  readonly message: string | null
  readonly tables: readonly TableCounts[]
}

export interface SystemSummary {
  readonly name: string
  readonly connector: string
  readonly description?: string
  readonly tables: readonly string[]
  readonly lastCollection: CollectionRecord | null
}

export interface SystemsAnswer {
  readonly systems: readonly SystemSummary[]
}

export interface CollectionResult {
  readonly id: number
  readonly system: string
  readonly status: string
  readonly durationMs: number
  readonly forced: boolean
  readonly tables: readonly TableCounts[]
  readonly overriddenGuards: readonly string[]
}

export interface CheckAnswer {
  readonly system: string
  readonly ok: boolean
  readonly error?: { readonly code: string; readonly message: string; readonly hint?: string }
}

export interface DiscoveredColumn {
  readonly name: string
  readonly type: string
  readonly source?: string
  readonly nativeType?: string
  readonly caseInsensitive?: boolean
}

export interface DiscoveredTable {
  readonly name: string
  readonly columns: readonly DiscoveredColumn[]
  readonly primaryKey?: string
  readonly referenceKeys?: readonly string[]
}

export interface VaultTableInfo {
  readonly system: string
  readonly table: string
  readonly rows: number
  readonly columns: number
  readonly lastCollectionId: number | null
  readonly lastCollectedAt: string | null
}

export interface RowsAnswer {
  readonly table: string
  readonly columns: readonly { readonly name: string; readonly type: string }[]
  readonly primaryKey: string | null
  readonly total?: number
  /** Absent on a server without keyset paging (then pages go by offset). */
  readonly next?: string | null
  readonly rows: readonly Record<string, unknown>[]
}

export interface RowChange {
  readonly collectionId: number
  readonly collectedAt: string
  readonly key: string
  readonly kind: 'added' | 'changed' | 'removed'
  readonly changes: readonly { readonly column: string; readonly old: unknown; readonly new: unknown }[]
}

/** The sum of added, changed and removed rows over the tables of a collection. */
export function collectionTotals(tables: readonly TableCounts[]) {
  return {
    rows: tables.reduce((n, t) => n + t.rowsAfter, 0),
    added: tables.reduce((n, t) => n + t.added, 0),
    changed: tables.reduce((n, t) => n + t.changed, 0),
    removed: tables.reduce((n, t) => n + t.removed, 0),
  }
}
