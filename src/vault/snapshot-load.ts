/**
 * `provisio vault load ID`: puts the state a system had just after a past collection back into the
 * vault without contacting the system. It is itself recorded as a collection (kind `load`), so it
 * shows in history and can be undone by loading the collection before it.
 */
import type { ProgressListener } from '../core/index.ts'
import type { SqlDriver } from './driver/sql-driver.ts'
import { type CollectionResult, writeCollection } from './collection-writer.ts'
import { vaultError } from './errors.ts'
import type { CollectionGuards } from './guards.ts'
import { listCollections } from './vault-queries.ts'
import { findVaultTable } from './vault-table.ts'

export interface LoadCollectionOptions {
  readonly collectionId: number
  /** Guards per table name; the same guards as a collection from the system. */
  readonly guards?: ((table: string) => CollectionGuards | undefined) | undefined
  readonly force?: boolean | undefined
  readonly onProgress?: ProgressListener | undefined
}

export async function loadCollection(driver: SqlDriver, options: LoadCollectionOptions): Promise<CollectionResult> {
  const [source] = await listCollections(driver, { id: options.collectionId, limit: 1 })
  if (source === undefined || source.status !== 'succeeded') {
    throw vaultError(
      'VLT_UNKNOWN_COLLECTION',
      source === undefined
        ? `There is no collection ${options.collectionId}.`
        : `Collection ${options.collectionId} ${source.status}; only a successful collection can be loaded.`,
    )
  }
  const tables = []
  for (const t of source.tables) {
    const table = await findVaultTable(driver, source.system, t.table)
    if (table === undefined) continue
    const schema = {
      system: table.system,
      name: table.name,
      columns: table.columns,
      primaryKey: table.primaryKey,
      referenceKeys: table.referenceKeys,
      options: {},
    }
    tables.push({ schema, guards: options.guards?.(table.name) })
  }
  return writeCollection(driver, {
    system: source.system,
    tables,
    loadFrom: options.collectionId,
    force: options.force,
    onProgress: options.onProgress,
  })
}
