/**
 * The functions a target system's connector offers on a table (ConnectorDefinition.functions),
 * declared without a connection: validation checks mappings against them, and planning and
 * execution resolve a mapping's or an operation's function with them.
 */
import type { FunctionSchema, TableSchema } from '../core/index.ts'
import type { SystemConfig } from '../config/index.ts'
import { findConnector } from '../connectors/index.ts'

/**
 * The functions a connector offers on a table; undefined when that cannot be told (an unknown
 * connector type or an invalid `config:`, which the connectors' own checks report).
 */
export type FunctionsOf = (system: SystemConfig, table: TableSchema) => readonly FunctionSchema[] | undefined

/** The functions of `table` as the system's connector declares them. */
export const connectorFunctions: FunctionsOf = (system, table) => {
  const definition = findConnector(system.connector)
  if (definition === undefined) return undefined
  if (definition.functions === undefined) return []
  const config = definition.configSchema.safeParse(system.config)
  return config.success ? definition.functions(table, config.data) : undefined
}
