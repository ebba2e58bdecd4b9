/**
 * The CSV connector: a system is a folder, each table one file in it. Read-only.
 */
import type { ConnectorDefinition } from '../contract.ts'
import { createCsvConnection } from './csv-connection.ts'
import { type CsvConfig, csvConfigSchema, type CsvTableOptions, csvTableOptionsSchema } from './csv-schema.ts'

/**
 * Reads tables from CSV files (UTF-8, UTF-16, Windows-1252; delimiter and line endings detected).
 *
 * @example
 * const connection = await csvConnector.open(csvConfigSchema.parse({ folder: 'files/hr500' }), { projectDir, logger })
 * for await (const page of connection.read({ table })) console.log(page.rows.length, page.lines?.[0])
 */
export const csvConnector: ConnectorDefinition<CsvConfig, CsvTableOptions> = {
  type: 'csv',
  displayName: 'CSV files',
  configSchema: csvConfigSchema,
  tableOptionsSchema: csvTableOptionsSchema,
  capabilities: {
    supportsIncrementalRead: false,
    supportsApply: false,
    requiresDeclaredTables: true,
  },
  async open(config, context) {
    return createCsvConnection(config, context)
  },
}
