/**
 * An open SQL system. The database is opened on first use and kept until `close`; a failed open is
 * not remembered, so the next call tries again. Each declared table is bound to its database table
 * once (checked columns, functions) and reused for every read, operation and lookup.
 */
import type { TableSchema, Value } from '../../core/index.ts'
import type {
  ApplyContext,
  Connection,
  ConnectorContext,
  DiscoveredTable,
  Operation,
  OperationResult,
  ReadOptions,
  ReadPage,
} from '../contract.ts'
import { applyOperation, lookupRow } from './sql-apply.ts'
import { type BoundTable, bindTable } from './sql-bind.ts'
import { readCatalog } from './sql-catalog.ts'
import { toDiscoveredTables } from './sql-discover.ts'
import { readTable } from './sql-read.ts'
import type { SqlConfig } from './sql-schema.ts'
import { openSqlSession, type SqlSession } from './sql-session.ts'
import { resolveTablePlan } from './sql-table.ts'
import { translateSqlError } from './translate-error.ts'

/** Opens nothing yet: the first call that needs the database opens it. */
export function createSqlConnection(config: SqlConfig, context: ConnectorContext): Connection {
  let opening: Promise<SqlSession> | undefined
  // Keyed by the declared table object: the engine and the collector pass the same one each time.
  const bound = new WeakMap<TableSchema, Promise<BoundTable>>()

  const session = (): Promise<SqlSession> => {
    opening ??= openSqlSession(config, context).catch((error: unknown) => {
      opening = undefined
      throw error
    })
    return opening
  }

  const bind = (table: TableSchema): Promise<BoundTable> => {
    let found = bound.get(table)
    if (found === undefined) {
      const plan = resolveTablePlan(table)
      found = session()
        .then((s) =>
          bindTable(s, plan).catch((error: unknown) => {
            throw translateSqlError(error, { action: `Cannot find table ${table.name}`, location: s.location })
          }),
        )
        .catch((error: unknown) => {
          bound.delete(table)
          throw error
        })
      bound.set(table, found)
    }
    return found
  }

  return {
    async check(): Promise<void> {
      const s = await session()
      await s.db.query('SELECT 1 AS ok').catch((error: unknown) => {
        throw translateSqlError(error, { action: 'The check query failed', location: s.location })
      })
    },

    async discover(): Promise<readonly DiscoveredTable[]> {
      const s = await session()
      try {
        return toDiscoveredTables(await readCatalog(s.db, s.schema), s.dialect)
      } catch (error) {
        throw translateSqlError(error, { action: 'Cannot read the list of tables', location: s.location })
      }
    },

    async *read({ table, signal }: ReadOptions): AsyncGenerator<ReadPage, void, undefined> {
      const target = await bind(table)
      const s = await session()
      context.logger.debug('sql: reading', { table: `${table.system}.${table.name}`, from: target.qualified })
      const pageSize = target.plan.options.pageSize ?? config.pageSize
      try {
        yield* readTable(s, target, { pageSize, signal })
      } catch (error) {
        if (signal?.aborted === true) throw error
        throw translateSqlError(error, {
          action: `Cannot read table ${table.system}.${table.name}`,
          location: s.location,
        })
      }
    },

    async apply(operation: Operation, applyContext: ApplyContext): Promise<OperationResult> {
      const target = await bind(applyContext.table)
      applyContext.signal?.throwIfAborted()
      // Only names: attribute values may hold a password.
      context.logger.debug('sql: apply', { operation: operation.id, function: operation.function })
      return applyOperation(await session(), target, operation)
    },

    async lookup(table: TableSchema, column: string, value: Value) {
      return lookupRow(await session(), await bind(table), column, value)
    },

    async close(): Promise<void> {
      const open = opening
      opening = undefined
      if (open !== undefined) await (await open.catch(() => undefined))?.db.close()
    },
  }
}
