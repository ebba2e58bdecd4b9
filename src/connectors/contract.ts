/**
 * The connector contract (DESIGN.md §5). A connector is declared as data (type, config schemas,
 * capabilities) plus `open`, which returns a {@link Connection}. Connectors import only src/core and
 * this file; everything they need from the rest of Provisio reaches them through {@link ConnectorContext}.
 */
import type { ZodType } from 'zod'
import type { Logger, Row, TableSchema } from '../core/index.ts'

/** What a connector can do, read by the engine before it plans. Every flag documents its default. */
export interface ConnectorCapabilities {
  /** Reads can start from a watermark and return only changed rows. @default false */
  readonly supportsIncrementalRead: boolean
  /** `apply` accepts operations (the connector has write functions). @default false */
  readonly supportsApply: boolean
  /** Tables must be declared in the data model; `discover` proposes them but does not define them. @default true */
  readonly requiresDeclaredTables: boolean
}

export interface ConnectorContext {
  /** The project folder; relative paths in the configuration resolve against it. */
  readonly projectDir: string
  readonly logger: Logger
}

export interface ReadOptions {
  /** The table as the data model declares it: columns with types, keys and connector options. */
  readonly table: TableSchema
  readonly signal?: AbortSignal | undefined
}

/** One page of rows, with where each row came from so that later errors can point at it. */
export interface ReadPage {
  readonly rows: readonly Row[]
  /** Per row: its position in the source (line number of a CSV record). */
  readonly lines?: readonly number[] | undefined
  /** What `lines` count in (`employees.csv`). */
  readonly source?: string | undefined
}

export interface DiscoveredColumn {
  readonly name: string
  readonly type: string
}

export interface DiscoveredTable {
  readonly name: string
  readonly columns: readonly DiscoveredColumn[]
  readonly primaryKey?: string | undefined
}

/** A staged call of one function for one row (fully defined with the engine, issue 4). */
export interface Operation {
  readonly id: string
  readonly table: string
  readonly function: string
  readonly key?: string | undefined
  readonly attributes: Row
}

export interface OperationResult {
  readonly status: 'succeeded' | 'failed' | 'skipped'
  /** The row as the target now holds it, for the write-back to the vault. */
  readonly row?: Row | undefined
  readonly message?: string | undefined
}

export interface Connection {
  /** Proves reachability and credentials; throws a CON_ error with a hint when it cannot. */
  check(): Promise<void>
  /** Tables and columns the system offers. */
  discover(): Promise<readonly DiscoveredTable[]>
  /** Reads a table in full, page by page; never holds the whole table in memory. */
  read(options: ReadOptions): AsyncIterable<ReadPage>
  /**
   * About how many bytes reading the table will process, when cheap to know (a file's size). Large
   * reads are then run on a worker thread, in parallel with the vault's work. @default undefined
   */
  estimateSize?(table: TableSchema): Promise<number | undefined>
  /** Executes one operation; one outcome per operation. */
  apply(operation: Operation, signal?: AbortSignal): Promise<OperationResult>
  close(): Promise<void>
}

export interface ConnectorDefinition<Config = unknown, TableOptions = unknown> {
  /** Permanent, lower-case id used in `connector:` of a System document (`csv`). */
  readonly type: string
  readonly displayName: string
  /** The `config:` block of a System document. Secret fields accept only `${env:NAME}` references. */
  readonly configSchema: ZodType<Config>
  /** The `options:` block of each table of a System document. */
  readonly tableOptionsSchema: ZodType<TableOptions>
  readonly capabilities: ConnectorCapabilities
  open(config: Config, context: ConnectorContext): Promise<Connection>
}
