/**
 * `collect`: opens a system's connection and hands every table's pages to the vault's collection
 * writer, which applies the differences in one transaction (or rejects the whole collection).
 * Incrementally, a table is read only from the watermark its last collection recorded, when the
 * connector can do that; the vault then keeps the rows the read did not return.
 */
import { createHash } from 'node:crypto'
import type { Logger, ProgressListener, TableSchema } from '../core/index.ts'
import { silentLogger } from '../core/index.ts'
import type { SystemConfig } from '../config/index.ts'
import {
  type CollectTable,
  type CollectionResult,
  type SqlDriver,
  type StagePage,
  ensureJoinIndexes,
  findWatermark,
  writeCollection,
} from '../vault/index.ts'
import type { Connection } from './contract.ts'
import { connectorError } from './errors.ts'
import { openSystem } from './open-system.ts'
import { WorkerRead, readInWorker } from './read-in-worker.ts'
import type { AnyConnectorDefinition } from './registry.ts'

export interface CollectSystemOptions {
  readonly driver: SqlDriver
  readonly system: SystemConfig
  readonly projectDir: string
  /** Only these tables. @default every table of the system */
  readonly tables?: readonly string[] | undefined
  /** Apply even when guards are breached. @default false */
  readonly force?: boolean | undefined
  /**
   * Read each table only from the watermark of its last collection, when the connector supports
   * incremental reads, the table has a primary key and that collection recorded a watermark (see
   * findWatermark); other tables are read in full. Such a read cannot see removals. Without it every
   * table is read in full, finds removals, and still records its watermark for the next incremental
   * collection. @default false
   */
  readonly incremental?: boolean | undefined
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  readonly onProgress?: ProgressListener | undefined
  readonly logger?: Logger | undefined
}

/** A system's open connection, as openSystem returns it. */
export interface OpenedSystem {
  readonly connection: Connection
  readonly definition: AnyConnectorDefinition
  /** The connector configuration, references resolved and validated (for reads on worker threads). */
  readonly config: unknown
}

function selectTables(system: SystemConfig, names: readonly string[] | undefined): readonly TableSchema[] {
  if (names === undefined || names.length === 0) return system.tables
  return names.map((name) => {
    const table = system.tables.find((t) => t.name.toLowerCase() === name.toLowerCase())
    if (table === undefined) {
      throw connectorError('CON_UNKNOWN_TABLE', `System ${system.name} has no table '${name}'.`, {
        hint: `Its tables: ${system.tables.map((t) => t.name).join(', ')}.`,
      })
    }
    return table
  })
}

/**
 * Reads of at least this many bytes run on a worker thread (PROVISIO_READ_WORKER_BYTES overrides it;
 * 0 sends every read there). Below it (about 250,000 rows of a typical HR export), starting a worker
 * costs more than it saves: measured at 100k employees, 2.2 s without workers against 2.9 s with.
 */
const DEFAULT_WORKER_THRESHOLD = 32 * 1024 * 1024

function workerThreshold(env: Readonly<Record<string, string | undefined>>): number {
  const configured = Number(env['PROVISIO_READ_WORKER_BYTES'])
  return env['PROVISIO_READ_WORKER_BYTES'] !== undefined && Number.isFinite(configured)
    ? configured
    : DEFAULT_WORKER_THRESHOLD
}

/**
 * What a table's watermark is valid for: the connector, the system's configuration as written
 * (references unresolved, so no secret is hashed) and the table's declaration. A watermark is only
 * used under the same scope: a new column, a changed filter or another server needs a full read.
 */
export function watermarkScope(system: SystemConfig, table: TableSchema): string {
  const declaration = JSON.stringify([system.connector, system.config, table])
  return createHash('sha256').update(declaration).digest('hex').slice(0, 32)
}

/** Opens the system, collects it and closes the connection. */
export async function collectSystem(options: CollectSystemOptions): Promise<CollectionResult> {
  const opened = await openSystem(options.system, {
    projectDir: options.projectDir,
    env: options.env ?? process.env,
    logger: options.logger ?? silentLogger,
    vault: options.driver,
  })
  try {
    return await collectOpenedSystem(options, opened)
  } finally {
    await opened.connection.close()
  }
}

/** Collects a system through a connection already open; the caller closes it. */
export async function collectOpenedSystem(
  options: CollectSystemOptions,
  opened: OpenedSystem,
): Promise<CollectionResult> {
  const { system } = options
  const { connection, definition, config } = opened
  const tables = selectTables(system, options.tables)
  const incremental = options.incremental === true && definition.capabilities.supportsIncrementalRead
  const prefetched: WorkerRead[] = []
  try {
    const result = await writeCollection(options.driver, {
      system: system.name,
      force: options.force,
      onProgress: options.onProgress,
      tables: await Promise.all(
        tables.map(async (table): Promise<CollectTable> => {
          const schema: TableSchema = {
            ...table,
            options: definition.tableOptionsSchema.parse(table.options ?? {}) as Record<string, unknown>,
          }
          const scope = watermarkScope(system, schema)
          // A table without a primary key cannot take a delta (a changed row is a new one, and the
          // old one must go), so it is always read in full.
          const since =
            incremental && schema.primaryKey !== undefined
              ? await findWatermark(options.driver, system.name, table.name, scope)
              : undefined
          const base = { schema, guards: system.guards[table.name], since, watermarkScope: scope }
          const size = await connection.estimateSize?.(schema)
          // An incremental read is small by nature: starting a worker would cost more than it saves.
          if (size === undefined || since !== undefined || size < workerThreshold(options.env ?? process.env)) {
            return { ...base, read: (): AsyncIterable<StagePage> => connection.read({ table: schema, since }) }
          }
          // Large tables are read on worker threads, all starting now, so that the next table is
          // being parsed while the vault works on this one. A second read (the writer's fallback
          // to full staging) starts a fresh worker.
          // 24 pages ahead (about 120,000 rows) lets a worker keep parsing while the vault loads
          // the current fingerprints of its table.
          const request = {
            connector: system.connector,
            config,
            projectDir: options.projectDir,
            table: schema,
            since,
            ahead: 24,
          }
          const first = new WorkerRead(request)
          prefetched.push(first)
          let used = false
          const read = () => (used ? readInWorker(request) : ((used = true), first.pages()))
          return { ...base, read }
        }),
      ),
    })
    // A table collected for the first time gets the indexes of its system's relations at once; the
    // links' (other systems) come with the next project load (ensureJoinIndexes there). Only
    // creates: dropping needs the whole project. The rows are stored: a failure here is a warning.
    await ensureJoinIndexes(options.driver, { systems: [system], links: [] }, { drop: false }).catch((e: unknown) =>
      (options.logger ?? silentLogger).warn(`Join indexes of ${system.name}: ${String(e)}`),
    )
    return result
  } finally {
    await Promise.all(prefetched.map((r) => r.close()))
  }
}
