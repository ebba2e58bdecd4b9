/**
 * An open CSV system: a folder of files, one file per table. `check` proves the folder is readable,
 * `discover` proposes a table per file from its header line, `read` streams one table. CSV is a
 * source only, so `apply` always refuses.
 */
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type {
  Connection,
  ConnectorContext,
  DiscoveredTable,
  Operation,
  OperationResult,
  ReadOptions,
  ReadPage,
} from '../contract.ts'
import { type TableSchema, qualifiedName } from '../../core/index.ts'
import { csvError } from './csv-errors.ts'
import { assertReadableFile, assertReadableFolder, listCsvFiles } from './csv-files.ts'
import { type CsvReadTuning, readCsvFile, readFileRecords } from './csv-reader.ts'
import type { CsvConfig } from './csv-schema.ts'
import { parseTableOptions, resolveFileSettings, resolveFolder, tableFileName } from './csv-settings.ts'

/** The header line of a file (or `column_1…` names with `header: false`), read from its first chunk. */
async function readHeaderNames(config: CsvConfig, fileName: string, context: ConnectorContext): Promise<string[]> {
  const settings = resolveFileSettings(config, {}, fileName, context.projectDir)
  for await (const batch of readFileRecords(settings)) {
    const first = batch.records[0]
    if (first === undefined) continue
    return settings.header ? first.map((name) => name.trim()) : first.map((_, i) => `column_${i + 1}`)
  }
  return []
}

/** `employees.csv` → `employees`; a second file with the same stem keeps its full name. */
function tableNameFor(fileName: string, taken: Set<string>): string {
  const stem = path.parse(fileName).name
  const name = taken.has(stem) ? fileName : stem
  taken.add(name)
  return name
}

/**
 * Opens a CSV system. `tuning` exists for tests (small chunks to put boundaries in odd places).
 */
export function createCsvConnection(
  config: CsvConfig,
  context: ConnectorContext,
  tuning: CsvReadTuning = {},
): Connection {
  const folder = resolveFolder(config, context.projectDir)
  return {
    async check(): Promise<void> {
      await assertReadableFolder(folder, config.folder)
    },

    async discover(): Promise<readonly DiscoveredTable[]> {
      await assertReadableFolder(folder, config.folder)
      const taken = new Set<string>()
      const tables: DiscoveredTable[] = []
      for (const fileName of await listCsvFiles(folder)) {
        const names = await readHeaderNames(config, fileName, context)
        tables.push({ name: tableNameFor(fileName, taken), columns: names.map((name) => ({ name, type: 'string' })) })
      }
      return tables
    },

    async *read({ table, signal }: ReadOptions): AsyncGenerator<ReadPage, void, undefined> {
      const options = parseTableOptions(table)
      const fileName = tableFileName(table, options)
      const settings = resolveFileSettings(config, options, fileName, context.projectDir)
      await assertReadableFile({
        path: settings.path,
        folder,
        configuredFolder: config.folder,
        fileName,
        table: qualifiedName(table),
      })
      context.logger.debug('csv: reading', {
        table: qualifiedName(table),
        file: settings.displayPath,
        encoding: settings.encoding,
      })
      yield* readCsvFile({ ...tuning, settings, table, signal })
    },

    async estimateSize(table: TableSchema): Promise<number | undefined> {
      const options = parseTableOptions(table)
      const settings = resolveFileSettings(config, options, tableFileName(table, options), context.projectDir)
      return stat(settings.path).then(
        (s) => s.size,
        () => undefined, // a missing file is reported by read(), with its hint
      )
    },

    async apply(operation: Operation): Promise<OperationResult> {
      throw csvError(
        'CON_CSV_READ_ONLY',
        `Cannot apply ${operation.function} to ${operation.table}: a CSV system is a source only.`,
      )
    },

    async close(): Promise<void> {
      // Nothing stays open between calls: each read opens and closes its own file.
    },
  }
}
