/**
 * `collect`: opens a system's connection and hands every table's pages to the vault's collection
 * writer, which applies the differences in one transaction (or rejects the whole collection).
 */
import type { Logger, ProgressListener, TableSchema } from '../core/index.ts'
import { silentLogger } from '../core/index.ts'
import type { SystemConfig } from '../config/index.ts'
import { type CollectionResult, type SqlDriver, writeCollection } from '../vault/index.ts'
import { connectorError } from './errors.ts'
import { openSystem } from './open-system.ts'

export interface CollectSystemOptions {
  readonly driver: SqlDriver
  readonly system: SystemConfig
  readonly projectDir: string
  /** Only these tables. @default every table of the system */
  readonly tables?: readonly string[] | undefined
  /** Apply even when guards are breached. @default false */
  readonly force?: boolean | undefined
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  readonly onProgress?: ProgressListener | undefined
  readonly logger?: Logger | undefined
}

function selectTables(system: SystemConfig, names: readonly string[] | undefined): readonly TableSchema[] {
  if (names === undefined || names.length === 0) return system.tables
  return names.map((name) => {
    const table = system.tables.find((t) => t.name.toLowerCase() === name.toLowerCase())
    if (table === undefined) {
      throw connectorError('CON_UNKNOWN_TABLE', `System ${system.name} has no table '${name}'.`, { hint: `Its tables: ${system.tables.map((t) => t.name).join(', ')}.` })
    }
    return table
  })
}

export async function collectSystem(options: CollectSystemOptions): Promise<CollectionResult> {
  const { system } = options
  const tables = selectTables(system, options.tables)
  const { connection, definition } = await openSystem(system, {
    projectDir: options.projectDir,
    env: options.env ?? process.env,
    logger: options.logger ?? silentLogger,
  })
  try {
    return await writeCollection(options.driver, {
      system: system.name,
      force: options.force,
      onProgress: options.onProgress,
      tables: tables.map((table) => {
        const schema: TableSchema = { ...table, options: definition.tableOptionsSchema.parse(table.options ?? {}) as Record<string, unknown> }
        return { schema, guards: system.guards[table.name], read: () => connection.read({ table: schema }) }
      }),
    })
  } finally {
    await connection.close()
  }
}

