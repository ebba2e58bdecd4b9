import type { Logger } from '../core/index.ts'
import { type SystemConfig, resolveSystemSecrets } from '../config/index.ts'
import { openConnectorDatabase } from './connector-database.ts'
import type { Connection } from './contract.ts'
import { type AnyConnectorDefinition, requireConnector } from './registry.ts'

export interface OpenSystemOptions {
  readonly projectDir: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly logger: Logger
}

/** Resolves a system's secret references, validates its config with its connector and opens a connection. */
export async function openSystem(
  system: SystemConfig,
  options: OpenSystemOptions,
): Promise<{ connection: Connection; definition: AnyConnectorDefinition; config: unknown }> {
  const definition = requireConnector(system.connector)
  // Validated as written, then resolved: a secret field (core's secretRef, the SQL connector's url)
  // accepts only a reference, which its resolved value no longer is.
  const parsed = definition.configSchema.parse(system.config) as Readonly<Record<string, unknown>>
  const config: unknown = resolveSystemSecrets(parsed, options.env, { system: system.name })
  const connection = await definition.open(config, {
    projectDir: options.projectDir,
    logger: options.logger,
    openDatabase: (location) => openConnectorDatabase(options.projectDir, location),
  })
  return { connection, definition, config }
}
