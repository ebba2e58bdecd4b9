/**
 * The connector contract (DESIGN.md §5). A connector is declared as data (type, config schemas,
 * capabilities) plus `open`, which returns a {@link Connection}. Connectors import only src/core and
 * this file; everything they need from the rest of Provisio reaches them through {@link ConnectorContext}.
 */
import type { ZodType } from 'zod'
import type { FunctionSchema, FunctionSemantics, Logger, Row, TableSchema, Value } from '../core/index.ts'

/** What a connector can do, read by the engine before it plans. Every flag documents its default. */
export interface ConnectorCapabilities {
  /**
   * Reads can start from a watermark and return only changed rows ({@link ReadOptions.since}); a
   * full read still finds deletions. @default false
   */
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
  /**
   * Opens a SQL database (a SQLite file or a `postgres://` URL) through the same query layer the vault
   * uses, so that SQL connectors need no driver code of their own. Only the SQL connector uses it.
   */
  readonly openDatabase: (location: DatabaseLocation) => Promise<ConnectorDatabase>
}

/** Where a SQL database is: a SQLite file (relative to the project) or a PostgreSQL URL. */
export type DatabaseLocation = { readonly file: string } | { readonly url: string }

export type ConnectorSqlValue = string | number | boolean | null | bigint | Buffer

/** The part of the vault's query layer a connector may use (see src/vault/driver/sql-driver.ts). */
export interface ConnectorSqlExecutor {
  /** `sqlite` or `postgres`; statements are written with `?` placeholders for both. */
  readonly dialect: 'sqlite' | 'postgres'
  query<T = Record<string, unknown>>(sql: string, params?: readonly ConnectorSqlValue[]): Promise<T[]>
  run(sql: string, params?: readonly ConnectorSqlValue[]): Promise<number>
  exec(sql: string): Promise<void>
  stream<T = Record<string, unknown>>(
    sql: string,
    params?: readonly ConnectorSqlValue[],
    pageSize?: number,
  ): AsyncIterable<T[]>
}

export interface ConnectorDatabase extends ConnectorSqlExecutor {
  transaction<T>(work: (tx: ConnectorSqlExecutor) => Promise<T>): Promise<T>
  close(): Promise<void>
  /** For messages: the file path or the URL without its password. */
  readonly location: string
}

export interface ReadOptions {
  /** The table as the data model declares it: columns with types, keys and connector options. */
  readonly table: TableSchema
  readonly signal?: AbortSignal | undefined
  /**
   * The watermark an earlier read of this table returned ({@link ReadPage.watermark}). A connector
   * with `supportsIncrementalRead` then reads only rows changed since, and marks its pages `delta`;
   * one that cannot for this table (or that finds the watermark unusable) reads in full. @default full read
   */
  readonly since?: string | undefined
}

/** One page of rows, with where each row came from so that later errors can point at it. */
export interface ReadPage {
  readonly rows: readonly Row[]
  /** Per row: its position in the source (line number of a CSV record). */
  readonly lines?: readonly number[] | undefined
  /** What `lines` count in (`employees.csv`). */
  readonly source?: string | undefined
  /**
   * Where a later read may start to see only what changed after this one (AD's highestCommittedUSN,
   * a point in time on OpenLDAP). Opaque to Provisio, stored with the collection; the last page
   * that carries one wins. @default none: the table is always read in full
   */
  readonly watermark?: string | undefined
  /**
   * The pages hold only the rows changed since {@link ReadOptions.since}: rows not among them are
   * kept, not removed (a delta cannot see deletions; a full read does). Every page of a read says
   * the same. @default false
   */
  readonly delta?: boolean | undefined
}

export interface DiscoveredColumn {
  readonly name: string
  readonly type: string
  /** The name in the system when it is not a valid column name (`source:` of the column). @default `name` */
  readonly source?: string | undefined
  /** The system's own type (`varchar(40)`), shown to help choose `type`. @default undefined */
  readonly nativeType?: string | undefined
  /** The system compares the column's values without case (an LDAP caseIgnoreMatch attribute). @default false */
  readonly caseInsensitive?: boolean | undefined
}

export interface DiscoveredTable {
  readonly name: string
  readonly columns: readonly DiscoveredColumn[]
  readonly primaryKey?: string | undefined
  /** Further columns the system keeps unique. @default [] */
  readonly referenceKeys?: readonly string[] | undefined
  /** Suggested `options:` of the table (the SQL connector's table, mandatory and readOnly). @default {} */
  readonly options?: Readonly<Record<string, unknown>> | undefined
}

/**
 * A staged call of one function for one row (DESIGN.md §1 "operation"), as the executor hands it to
 * a connection. Attribute names are the function's parameter names; secret attributes (passwords)
 * are present only here, in memory, at execution time.
 */
export interface Operation {
  /** Deterministic: the same mapping, key and values give the same id, so a re-plan after a crash finds it again. */
  readonly id: string
  readonly table: string
  readonly function: string
  readonly semantics: FunctionSemantics
  /** The target row, for every semantics but `create` (and for a create whose key the mapping gives). */
  readonly key?: { readonly column: string; readonly value: Value } | undefined
  readonly attributes: Row
}

export interface ApplyContext {
  /** The target table as the data model declares it (columns, their source names, keys, options). */
  readonly table: TableSchema
  /** The function as {@link ConnectorDefinition.functions} declared it. */
  readonly function: FunctionSchema
  readonly signal?: AbortSignal | undefined
}

/**
 * What a successful operation left in the target. A failure is thrown instead, as a ProvisioError
 * with a CON_ code, `retry: 'safe'` when trying again may succeed, and the ProvisioError option
 * `retryAfterMs` when the target said how long to wait (a Retry-After header); the executor waits
 * that long, capped at the system's maxRetryDelay. A failure after which the write may have taken
 * effect (a connection lost mid-statement) is best retryable too: before trying a create or a
 * delete again, the executor asks {@link Connection.lookup} whether it did.
 */
export interface OperationResult {
  /**
   * The row as the target now holds it (all declared columns, keyed by column name), for the
   * write-back to the vault; absent after a delete, or when the connector cannot read it back (the
   * engine then writes back the key and the attributes it sent).
   */
  readonly row?: Row | undefined
  /** Set when nothing had to change (a member that already was one): still a success. */
  readonly unchanged?: boolean | undefined
  readonly message?: string | undefined
}

export interface Connection {
  /** Proves reachability and credentials; throws a CON_ error with a hint when it cannot. */
  check(): Promise<void>
  /** Tables and columns the system offers. */
  discover(): Promise<readonly DiscoveredTable[]>
  /**
   * Reads a table page by page, never holding it whole in memory: in full, or with `since` and the
   * incremental capability only what changed.
   */
  read(options: ReadOptions): AsyncIterable<ReadPage>
  /**
   * About how many bytes reading the table will process, when cheap to know (a file's size). Large
   * reads are then run on a worker thread, in parallel with the vault's work. @default undefined
   */
  estimateSize?(table: TableSchema): Promise<number | undefined>
  /** Executes one operation; one outcome per operation (thrown as a CON_ error when it fails). */
  apply(operation: Operation, context: ApplyContext): Promise<OperationResult>
  /**
   * Reads one row by a key column (primary or reference key), or undefined when there is none. The
   * executor uses it to settle an operation whose outcome is unknown: one a crash left in doubt, or
   * a create or delete about to be retried after a lost connection. Applied or not? Connectors that
   * can write should offer it. @default undefined
   */
  lookup?(table: TableSchema, column: string, value: Value): Promise<Row | undefined>
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
  /**
   * The functions the connector offers on a declared table, derived from the declaration alone (no
   * connection), so that `provisio validate` can check mappings offline. @default none (read-only)
   */
  functions?(table: TableSchema, config: Config): readonly FunctionSchema[]
  /**
   * What the schemas cannot see in a declared table: options that do not fit its columns, columns
   * the connector refuses (an LDAP column holding a password hash). Pure, offline, like
   * `functions`; `provisio validate` reports each problem at the table. @default none
   */
  checkTable?(table: TableSchema, config: Config): readonly string[]
  open(config: Config, context: ConnectorContext): Promise<Connection>
}
