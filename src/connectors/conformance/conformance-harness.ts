/**
 * What the checks share: the fixture, the connection the suite opened on it, and the few steps
 * every check takes — open a system the way Provisio does (the connector's config schema, then
 * `${env:NAME}` references resolved, then `open`), apply one operation, read a whole table, and
 * catch an expected failure while asserting that it is a well-formed connector error.
 */
import assert from 'node:assert/strict'
import {
  type FunctionSchema,
  type FunctionSemantics,
  isProvisioError,
  type ProvisioError,
  resolveAllReferences,
  type Row,
  silentLogger,
  type TableSchema,
  type Value,
} from '../../core/index.ts'
import type { Connection, ConnectorContext, Operation, OperationResult, ReadPage } from '../contract.ts'
import type { AccountsFixture, ConformanceFixture, SystemSettings } from './conformance-fixture.ts'

/** A row the suite made: what it sent, and the row as the connector returned or read it. */
export interface MadeRow {
  /** Create attributes (by parameter name), or the seeded row (by column name). */
  readonly sent: Row
  readonly row: Row
}

export class ConformanceHarness {
  private index = 0
  private operations = 0
  private readonly secrets: Set<string>
  private readonly connections: Connection[] = []

  private constructor(
    readonly fixture: ConformanceFixture,
    /** The suite's connection, open from the first check to the last. */
    readonly connection: Connection,
  ) {
    this.secrets = new Set(fixture.secrets.filter((s) => s !== ''))
    this.connections.push(connection)
  }

  static async open(fixture: ConformanceFixture): Promise<ConformanceHarness> {
    return new ConformanceHarness(fixture, await openWith(fixture, fixture))
  }

  get accounts(): AccountsFixture {
    return this.fixture.accounts
  }

  /** The config as the connector's schema gives it (defaults applied, references not resolved). */
  get parsedConfig(): unknown {
    return this.fixture.definition.configSchema.parse(this.fixture.config)
  }

  /** A further connection with other settings (wrong credentials); closed with the suite's. */
  async openOther(settings: SystemSettings): Promise<Connection> {
    const connection = await openWith(this.fixture, settings)
    this.connections.push(connection)
    return connection
  }

  async closeAll(): Promise<void> {
    for (const connection of this.connections) await connection.close().catch(() => undefined)
  }

  /** A fresh row index: every row the suite makes has its own. */
  nextIndex(): number {
    return this.index++
  }

  functionsOf(table: TableSchema): readonly FunctionSchema[] {
    return this.fixture.definition.functions?.(table, this.parsedConfig) ?? []
  }

  functionOf(table: TableSchema, semantics: FunctionSemantics): FunctionSchema | undefined {
    return this.functionsOf(table).find((f) => f.semantics === semantics)
  }

  get primaryKey(): string {
    const key = this.accounts.table.primaryKey
    assert.ok(key !== undefined, 'the fixture must give the accounts table a primary key')
    return key
  }

  get referenceKey(): string {
    const key = this.accounts.referenceKey ?? this.accounts.table.referenceKeys[0]
    assert.ok(key !== undefined, 'the fixture must give the accounts table a reference key')
    return key
  }

  /** What the update checks change: the fixture must say when the table has an update function. */
  get change(): { attribute: string; column: string; value: Value } {
    const change = this.accounts.change
    assert.ok(change !== undefined, 'the fixture must give accounts.change: the table has an update function')
    const update = this.functionOf(this.accounts.table, 'update')
    const column = update?.parameters.find((p) => p.name === change.attribute)?.column ?? change.attribute
    return { attribute: change.attribute, column, value: change.value(this.nextIndex()) }
  }

  /** The column whose value names a row for `fn` (its keyColumn, else the primary key). */
  keyColumnOf(fn: FunctionSchema, table: TableSchema = this.accounts.table): string {
    const column = fn.keyColumn ?? table.primaryKey
    assert.ok(column !== undefined, `${fn.name} names its row by no column`)
    return column
  }

  /** Applies one operation; the values of secret parameters join the secrets no error may show. */
  async apply(
    table: TableSchema,
    fn: FunctionSchema,
    attributes: Row,
    key?: { column: string; value: Value },
  ): Promise<OperationResult> {
    for (const parameter of fn.parameters.filter((p) => p.secret === true)) {
      const value = attributes[parameter.name]
      if (typeof value === 'string' && value !== '') this.secrets.add(value)
    }
    const operation: Operation = {
      id: `conformance-${this.operations++}`,
      table: table.name,
      function: fn.name,
      semantics: fn.semantics,
      ...(key === undefined ? {} : { key }),
      attributes,
    }
    return this.connection.apply(operation, { table, function: fn })
  }

  /** Applies `fn` to the row `row` (by the function's key column). */
  async applyTo(fn: FunctionSchema, row: Row, attributes: Row = {}): Promise<OperationResult> {
    const column = this.keyColumnOf(fn)
    return this.apply(this.accounts.table, fn, attributes, { column, value: row[column] ?? null })
  }

  /**
   * Makes `count` accounts rows: through the create function, or with `seed` on a read-only
   * connector. Each comes back as the connector holds it (the create's row, or as read).
   */
  async makeRows(count: number): Promise<MadeRow[]> {
    const table = this.accounts.table
    const create = this.functionOf(table, 'create')
    const made: MadeRow[] = []
    if (create !== undefined) {
      for (let i = 0; i < count; i++) {
        const sent = this.accounts.row(this.nextIndex(), create)
        const result = await this.apply(table, create, sent)
        assert.ok(result.row !== undefined, `${create.name} returned no row`)
        made.push({ sent, row: result.row })
      }
      return made
    }
    assert.ok(this.accounts.seed !== undefined, 'a read-only fixture must offer seed()')
    const rows = Array.from({ length: count }, () => this.accounts.row(this.nextIndex(), undefined))
    await this.accounts.seed(rows)
    const read = await this.readAll(table)
    for (const sent of rows) {
      const found = read.rows.find((r) => sameValue(r[this.primaryKey], sent[this.primaryKey]))
      assert.ok(found !== undefined, `the seeded row ${String(sent[this.primaryKey])} is not read`)
      made.push({ sent, row: found })
    }
    return made
  }

  /** Every row and page of a read of `table`. */
  async readAll(table: TableSchema, since?: string): Promise<{ rows: Row[]; pages: ReadPage[] }> {
    const rows: Row[] = []
    const pages: ReadPage[] = []
    for await (const page of this.connection.read({ table, since })) {
      pages.push(page)
      rows.push(...page.rows)
    }
    return { rows, pages }
  }

  /** The accounts row whose primary key is `key`, as read finds it (undefined when absent). */
  async readRow(key: Value | undefined): Promise<Row | undefined> {
    const { rows } = await this.readAll(this.accounts.table)
    const found = rows.filter((r) => sameValue(r[this.primaryKey], key ?? null))
    assert.ok(found.length <= 1, `read shows the row ${String(key)} ${found.length} times`)
    return found[0]
  }

  /**
   * The error `work` fails with, after asserting that it is a well-formed connector error: a
   * ProvisioError with a CON_ code and a message, that shows no secret. Fails when `work` succeeds.
   */
  async failureOf(work: Promise<unknown> | (() => Promise<unknown>), what: string): Promise<ProvisioError> {
    let failure: unknown
    try {
      await (typeof work === 'function' ? work() : work)
    } catch (error) {
      failure = error
    }
    assert.ok(failure !== undefined, `${what} succeeded, but should have failed`)
    this.assertConnectorError(failure, what)
    return failure
  }

  /** A thrown error is a ProvisioError with a CON_ code, a message, and no secret anywhere. */
  assertConnectorError(error: unknown, what: string): asserts error is ProvisioError {
    const shown = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    assert.ok(isProvisioError(error), `${what} threw ${shown}, not a ProvisioError`)
    assert.match(error.code, /^CON_[A-Z0-9_]+$/, `${what} threw ${error.code}, not a CON_ code`)
    assert.ok(error.message.trim() !== '', `${what} threw ${error.code} without a message`)
    const text = JSON.stringify({ ...error.toJSON(), hint: error.hint })
    for (const secret of this.secrets) {
      assert.ok(!text.includes(secret), `${what}: ${error.code} shows a secret in its message, hint or details`)
    }
  }
}

/** Opens a connection as Provisio does: schema, then references resolved, then `open`. */
async function openWith(fixture: ConformanceFixture, settings: SystemSettings): Promise<Connection> {
  const parsed: unknown = fixture.definition.configSchema.parse(settings.config)
  const config = resolveAllReferences(parsed, { env: settings.env }, (kind, name) => {
    throw new Error(`The conformance fixture sets no value for \${${kind}:${name}}.`)
  })
  const context: ConnectorContext = {
    projectDir: fixture.projectDir,
    logger: silentLogger,
    openDatabase:
      fixture.openDatabase ??
      (() => Promise.reject(new Error('The conformance fixture gives no openDatabase: this connector needs one.'))),
  }
  return fixture.definition.open(config, context)
}

/** Equal values; lists equal as sets (a directory keeps no order of values). */
export function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return JSON.stringify([...(a as string[])].sort()) === JSON.stringify([...(b as string[])].sort())
  }
  return a === b
}

/**
 * The columns a create's attributes write, with the values sent: a parameter writes its `column`,
 * or the declared column of its name. Secret parameters are write-only and left out.
 */
export function sentColumns(table: TableSchema, fn: FunctionSchema | undefined, sent: Row): Row {
  if (fn === undefined) return sent // seeded rows are keyed by column already
  const declared = new Set(table.columns.map((c) => c.name))
  const columns: Row = {}
  for (const [name, value] of Object.entries(sent)) {
    const parameter = fn.parameters.find((p) => p.name === name)
    if (parameter === undefined || parameter.secret === true) continue
    const column = parameter.column ?? (declared.has(name) ? name : undefined)
    if (column !== undefined) columns[column] = value
  }
  return columns
}

/** Asserts that `row` holds every value of `expected` (by column). */
export function assertHolds(row: Row | undefined, expected: Row, what: string): void {
  assert.ok(row !== undefined, `${what}: the row is not there`)
  for (const [column, value] of Object.entries(expected)) {
    assert.ok(
      sameValue(row[column], value),
      `${what}: column ${column} is ${JSON.stringify(row[column])}, but ${JSON.stringify(value)} was sent`,
    )
  }
}

/**
 * For checks where a faulty connector could wait forever (a refused bind, a closed pool): a
 * failure instead of a hung run. Not an assertion about speed.
 */
export const GUARD = { timeout: 120_000 } as const
