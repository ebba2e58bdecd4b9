/**
 * What an execution holds open: the target systems' connections with their limits (concurrency,
 * retry policy) and the secrets generator, which makes passwords again at the last moment from the
 * mapping's password generator and the operation's stored source row. Secrets exist only in
 * memory, on their way to the connector.
 */
import type { FunctionSchema, Logger, Row, TableSchema, Value } from '../core/index.ts'
import { silentLogger } from '../core/index.ts'
import { type ValidatedProject, executionOf } from '../config/index.ts'
import { openSystem } from '../connectors/index.ts'
import type { SqlDriver, SqlExecutor, StoredOperation } from '../vault/index.ts'
import { engineError } from './errors.ts'
import type { ExecutionTarget } from './execute/executor.ts'
import { Limiter } from './execute/limiter.ts'
import { connectorFunctions } from './functions.ts'
import { createPasswordGenerator, type PasswordGenerator } from './generators/password-generator.ts'
import { type MappingRuntime, prepareMapping } from './plan/mapping-runtime.ts'

/** How {@link ExecutionTargets} opens systems. */
export interface ExecutionTargetsOptions {
  /** The environment `${env:NAME}` references of the systems resolve in. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  readonly logger?: Logger | undefined
  /** The vault whose secret store resolves `${secret:NAME}` references (the run's vault). */
  readonly vault?: SqlExecutor | undefined
}

/** The open target systems of a run, by name. */
export class ExecutionTargets {
  private readonly targets = new Map<string, ExecutionTarget>()
  private readonly closers: (() => Promise<void>)[] = []

  constructor(
    private readonly project: ValidatedProject,
    private readonly options: ExecutionTargetsOptions,
  ) {}

  /** The target `systemName`, opened on first use. */
  async open(systemName: string): Promise<ExecutionTarget> {
    const existing = this.targets.get(systemName)
    if (existing !== undefined) return existing
    const system = this.project.systems.find((s) => s.name === systemName)
    if (system === undefined) {
      throw engineError(
        'ENG_MAPPING_UNRESOLVED',
        `The plan writes to system '${systemName}', which the project no longer has.`,
        {
          hint: 'Evaluate again: the plan was made with a different configuration.',
        },
      )
    }
    const { connection } = await openSystem(system, {
      projectDir: this.project.dir,
      env: this.options.env ?? process.env,
      logger: this.options.logger ?? silentLogger,
      vault: this.options.vault,
    })
    this.closers.push(() => connection.close())
    const execution = executionOf(system)
    const table = (name: string): TableSchema => {
      const found = system.tables.find((t) => t.name === name)
      if (found === undefined)
        throw engineError('ENG_MAPPING_UNRESOLVED', `System '${system.name}' has no table '${name}'.`)
      return found
    }
    const functions = new Map<string, readonly FunctionSchema[] | undefined>()
    const target: ExecutionTarget = {
      connection,
      limiter: new Limiter(execution.concurrency),
      retry: execution,
      table,
      function: (tableName, name) => {
        // Once per table, not per operation: deriving them parses the connector's table options.
        if (!functions.has(tableName)) functions.set(tableName, connectorFunctions(system, table(tableName)))
        const found = functions.get(tableName)?.find((f) => f.name === name)
        if (found === undefined)
          throw engineError('ENG_MAPPING_UNRESOLVED', `Table ${system.name}.${tableName} has no function '${name}'.`)
        return found
      },
    }
    this.targets.set(systemName, target)
    return target
  }

  /** The targets opened so far, by system name. */
  get all(): ReadonlyMap<string, ExecutionTarget> {
    return this.targets
  }

  /** Closes every connection opened. */
  async close(): Promise<void> {
    await Promise.allSettled(this.closers.map((close) => close()))
  }
}

/** Generates the secret attributes of operations again, per mapping, from their stored source rows. */
export class Secrets {
  private readonly runtimes = new Map<string, { runtime: MappingRuntime; passwords?: PasswordGenerator | undefined }>()

  constructor(
    private readonly project: ValidatedProject,
    private readonly db: SqlDriver,
  ) {}

  /** The secret attributes of `operation`, by parameter name. */
  for(operation: StoredOperation): Row {
    let entry = this.runtimes.get(operation.mapping)
    if (entry === undefined) {
      const runtime = prepareMapping(this.project, operation.mapping, this.db.dialect.name)
      const passwords =
        runtime.passwordGenerator === undefined
          ? undefined
          : createPasswordGenerator(runtime.passwordGenerator, runtime.shape.scope, {
              paramValues: runtime.filter.parameters,
            })
      entry = { runtime, passwords }
      this.runtimes.set(operation.mapping, entry)
    }
    const { runtime, passwords } = entry
    const row: Row = {}
    const generated: Record<string, Value> = {}
    for (const [name, value] of Object.entries(operation.source ?? {})) {
      if (name.startsWith('generated.')) generated[name.slice('generated.'.length)] = value
      else row[name] = value
    }
    if (passwords !== undefined) generated['password'] = passwords.generate(runtime.shape.toEvalRow(row, generated))
    const evalRow = runtime.shape.toEvalRow(row, generated)
    const secrets: Row = {}
    for (const attribute of runtime.attributes)
      if (attribute.secret) secrets[attribute.name] = attribute.evaluate(evalRow)
    return secrets
  }
}
