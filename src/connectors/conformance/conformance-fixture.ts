/**
 * What a connector's test file hands the shared conformance suite: a subject (a name, why it is
 * skipped here, and a factory) that sets up a fixture on a real server of the connector's kind. The
 * fixture says how to open the system (raw config as written in YAML, its environment, the project
 * folder) and gives the tables the checks work on. It fits read-only connectors (csv: rows are
 * `seed`ed outside the connector) as well as writable ones (sql, ldap: rows are created through
 * the connector's own create function).
 */
import type { FunctionSchema, Row, TableSchema, Value } from '../../core/index.ts'
import type { ConnectorContext, ConnectorDefinition } from '../contract.ts'

/** One connector on one server, as `describeConformance` runs it. */
export interface ConformanceSubject {
  /** Names the suite in the test output (`sql on PostgreSQL`). */
  readonly name: string
  /** Why the subject cannot run here (its server is absent), or false. @default false */
  readonly skip?: string | false | undefined
  /** Makes a fresh fixture on a real server; called once, before the first check. */
  setUp(): Promise<ConformanceFixture>
}

/** A `config:` and the environment its references resolve in. */
export interface SystemSettings {
  /** The system's `config:` as written in YAML: secrets only as `${env:NAME}` references. */
  readonly config: Readonly<Record<string, unknown>>
  /** The environment the references resolve in. */
  readonly env: Readonly<Record<string, string>>
}

export interface ConformanceFixture extends SystemSettings {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each connector has its own config types; the suite goes through its schemas
  readonly definition: ConnectorDefinition<any, any>
  /** The project folder relative paths of the config resolve against. */
  readonly projectDir: string
  /** ConnectorContext.openDatabase for connectors that use it (sql). @default one that refuses */
  readonly openDatabase?: ConnectorContext['openDatabase'] | undefined
  readonly accounts: AccountsFixture
  /** Offered when the connector relates entries (LDAP group members). @default memberships not checked */
  readonly memberships?: MembershipsFixture | undefined
  /** A config whose credentials the server refuses; absent when the system has none (a SQLite file). */
  readonly wrongCredentials?: SystemSettings | undefined
  /**
   * Values that must appear in no error's message, hint or details: the passwords of `env` and of
   * `wrongCredentials`. The values of secret function parameters the suite sends are added to them.
   */
  readonly secrets: readonly string[]
  /** A table `discover` must propose (the SQL table of `accounts`). @default any, as long as there is one */
  readonly discovers?: string | undefined
  /** Removes what setUp made; the suite has closed its connections before. */
  tearDown(): Promise<void>
}

/** The table most checks work on: empty at setUp, with a primary key and a reference key. */
export interface AccountsFixture {
  /** The declared table, as the data model gives it (`options:` included). */
  readonly table: TableSchema
  /** The reference key to look rows up by. @default table.referenceKeys[0] */
  readonly referenceKey?: string | undefined
  /**
   * The values of the index-th row, distinct for every index, with hostile but legal text (see
   * HOSTILE_TEXTS): the create operation's attributes, keyed by parameter name. `create` is the
   * table's create function (to fill a secret parameter, say); undefined for a read-only connector,
   * whose rows are then whole rows keyed by column name, primary key included, for `seed`.
   */
  row(index: number, create: FunctionSchema | undefined): Row
  /** Read-only connectors: adds rows to the table outside the connector (writes the CSV file). */
  seed?(rows: readonly Row[]): Promise<void>
  /** The parameter a second create repeats to provoke a duplicate. @default the reference key */
  readonly uniqueParameter?: string | undefined
  /**
   * A parameter of the update function that writes a string column, and its index-th new value
   * (different from every `row`'s and from each other), for the update and incremental checks.
   * Required when the table has an update function; read-only connectors leave it out.
   */
  readonly change?: { readonly attribute: string; value(index: number): Value } | undefined
  /**
   * Rows per page the fixture configured: small, so that 2 × pageSize + 1 rows need several pages.
   * @default not configurable: paging is checked with 11 rows and no bound on the page size
   */
  readonly pageSize?: number | undefined
}

/** A table of relations between two entries (group members), with membership-add/-remove functions. */
export interface MembershipsFixture {
  readonly table: TableSchema
  /**
   * Makes two fresh entries to relate (a group and a user) and returns the memberships row that
   * relates them, keyed by column name, exactly as `read` will show it once the membership exists.
   */
  pair(): Promise<Row>
}
