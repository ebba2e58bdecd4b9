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
  const resolved = resolveSystemSecrets(system.config, options.env, { system: system.name })
  const config: unknown = definition.configSchema.parse(resolved)
  const connection = await definition.open(config, {
    projectDir: options.projectDir,
    logger: options.logger,
    openDatabase: (location) => openConnectorDatabase(options.projectDir, location),
  })
  return { connection, definition, config }
}
