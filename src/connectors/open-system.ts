import { type Logger, secretReferenceNames } from '../core/index.ts'
import { type SystemConfig, resolveSystemSecrets } from '../config/index.ts'
import { type SqlExecutor, loadSecretKey, openVaultDriver, readSecrets } from '../vault/index.ts'
import { openConnectorDatabase } from './connector-database.ts'
import type { Connection } from './contract.ts'
import { type AnyConnectorDefinition, requireConnector } from './registry.ts'

export interface OpenSystemOptions {
  readonly projectDir: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly logger: Logger
  /**
   * The vault whose secret store resolves `${secret:NAME}` references.
   * @default the project's vault (PROVISIO_DATABASE_URL, else the embedded file), opened only when the system has such a reference
   */
  readonly vault?: SqlExecutor | undefined
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
  const secrets = await loadReferencedSecrets(parsed, options)
  const config: unknown = resolveSystemSecrets(parsed, options.env, { system: system.name, secrets })
  const connection = await definition.open(config, {
    projectDir: options.projectDir,
    logger: options.logger,
    openDatabase: (location) => openConnectorDatabase(options.projectDir, location),
  })
  return { connection, definition, config }
}

/**
 * The values of the `${secret:NAME}` references in `config`, decrypted from the secret store. A
 * system without such references touches neither the vault nor the key. Names not stored are left
 * out: resolveSystemSecrets names them in its error.
 */
async function loadReferencedSecrets(
  config: Readonly<Record<string, unknown>>,
  options: OpenSystemOptions,
): Promise<Map<string, string> | undefined> {
  const names = secretReferenceNames(config)
  if (names.length === 0) return undefined
  // Given the key id the secrets need: an interrupted key rotation is completed on the way (noted in the log).
  const key = (keyId: string, secret: string) =>
    loadSecretKey({
      projectDir: options.projectDir,
      env: options.env,
      keyId,
      secret,
      onNotice: (message) => options.logger.warn(message),
    })
  if (options.vault !== undefined) return readSecrets(options.vault, key, names)
  const vault = await openVaultDriver({
    projectDir: options.projectDir,
    database: options.env['PROVISIO_DATABASE_URL'],
  })
  try {
    return await readSecrets(vault, key, names)
  } finally {
    await vault.close()
  }
}
