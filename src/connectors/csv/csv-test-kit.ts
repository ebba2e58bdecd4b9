/**
 * Helpers for the CSV connector's tests: fixture files in a fresh temporary project folder (no
 * binary fixtures are committed), table schemas in one line, and reading a whole file.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ReadPage } from '../contract.ts'
import type { ColumnSchema, ColumnType, Row, TableSchema } from '../../core/index.ts'
import { type CsvReadTuning, readCsvFile } from './csv-reader.ts'
import { type CsvConfig, csvConfigSchema, type CsvTableOptions } from './csv-schema.ts'
import { type CsvFileSettings, resolveFileSettings } from './csv-settings.ts'

/** A temporary project folder with a `files/` folder for CSV files. */
export interface TempProject {
  readonly dir: string
  readonly folder: string
  /** Writes `files/<name>` and returns its absolute path. */
  write(name: string, content: string | Uint8Array): string
}

/** A fresh project folder under the OS temp folder, with an empty `files/`. */
export function tempProject(): TempProject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'provisio-csv-'))
  const folder = path.join(dir, 'files')
  fs.mkdirSync(folder)
  return {
    dir,
    folder,
    write(name, content) {
      const file = path.join(folder, name)
      fs.writeFileSync(file, content)
      return file
    },
  }
}

/** A column: `'name'`, `'name:integer'`, or a full schema. */
export type ColumnSpec = string | (Partial<ColumnSchema> & { name: string })

function toColumn(spec: ColumnSpec): ColumnSchema {
  if (typeof spec !== 'string') return { type: 'string', source: spec.name, ...spec }
  const [name = '', type = 'string'] = spec.split(':')
  return { name, type: type as ColumnType, source: name }
}

/** A table of system `hr` with string columns unless typed (`'id:integer'`). */
export function tableOf(
  name: string,
  columns: readonly ColumnSpec[],
  options: Record<string, unknown> = {},
): TableSchema {
  return { system: 'hr', name, columns: columns.map(toColumn), referenceKeys: [], options }
}

/** The config of a system reading `files/`, with overrides. */
export function configOf(overrides: Partial<Record<keyof CsvConfig, unknown>> = {}): CsvConfig {
  return csvConfigSchema.parse({ folder: 'files', ...overrides })
}

/** Settings for `files/<fileName>` of `project`. */
export function settingsFor(
  project: TempProject,
  fileName: string,
  config: Partial<Record<keyof CsvConfig, unknown>> = {},
  options: CsvTableOptions = {},
): CsvFileSettings {
  return resolveFileSettings(configOf(config), options, fileName, project.dir)
}

/** Every page of a read. */
export async function collectPages(pages: AsyncIterable<ReadPage>): Promise<ReadPage[]> {
  const all: ReadPage[] = []
  for await (const page of pages) all.push(page)
  return all
}

/** Writes `content` as `files/t.csv` and reads it with `columns`: rows and their lines. */
export async function readCsv(
  content: string | Uint8Array,
  columns: readonly ColumnSpec[],
  config: Partial<Record<keyof CsvConfig, unknown>> = {},
  tuning: CsvReadTuning = {},
): Promise<{ rows: Row[]; lines: number[] }> {
  const project = tempProject()
  project.write('t.csv', content)
  const pages = await collectPages(
    readCsvFile({ ...tuning, settings: settingsFor(project, 't.csv', config), table: tableOf('t', columns) }),
  )
  return { rows: pages.flatMap((p) => p.rows), lines: pages.flatMap((p) => p.lines ?? []) }
}

/** The rejection of `promise` (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise
  } catch (error) {
    return error as Error & Record<string, unknown>
  }
  throw new Error('expected a rejection, but the promise resolved')
}

/** UTF-16 bytes of `text` with an optional byte order mark. */
export function utf16(text: string, endian: 'le' | 'be', withBom = true): Uint8Array {
  const le = Buffer.from((withBom ? '\uFEFF' : '') + text, 'utf16le')
  return endian === 'le' ? le : Buffer.from(le).swap16()
}
