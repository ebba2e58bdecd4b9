/**
 * The file-system side of the connector: checking the folder and files before reading them, and
 * turning Node's `ENOENT`/`EACCES`… into CSV errors that name the full path and the setting to fix.
 */
import { readdir, stat } from 'node:fs/promises'
import { didYouMean, isProvisioError, type ProvisioError } from '../../core/index.ts'
import { csvError } from './csv-errors.ts'

/** What a file-system error was about, for the message. */
export interface FsSubject {
  readonly kind: 'file' | 'folder'
  /** Absolute path. */
  readonly path: string
}

function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}

/** Maps a Node file-system error to a CSV error; our own errors pass through unchanged. */
export function toFsError(error: unknown, subject: FsSubject): ProvisioError {
  if (isProvisioError(error)) return error
  const code = errnoCode(error)
  const options = { cause: error }
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return subject.kind === 'folder'
      ? csvError('CON_CSV_FOLDER_NOT_FOUND', `The folder ${subject.path} does not exist.`, options)
      : csvError('CON_CSV_FILE_NOT_FOUND', `The file ${subject.path} does not exist.`, options)
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return csvError('CON_CSV_ACCESS_DENIED', `Permission denied reading the ${subject.kind} ${subject.path}.`, options)
  }
  const reason = error instanceof Error ? error.message : String(error)
  return csvError('CON_CSV_READ_FAILED', `Reading the ${subject.kind} ${subject.path} failed: ${reason}`, options)
}

/**
 * Proves that `folder` exists, is a folder and can be listed.
 * @param configured the folder as written in `config.folder`, for the hint
 */
export async function assertReadableFolder(folder: string, configured: string): Promise<void> {
  const hint = `config.folder is '${configured}', resolved against the project folder to ${folder}.`
  let isFolder: boolean
  try {
    isFolder = (await stat(folder)).isDirectory()
  } catch (error) {
    const e = toFsError(error, { kind: 'folder', path: folder })
    throw e.code === 'CON_CSV_FOLDER_NOT_FOUND'
      ? csvError('CON_CSV_FOLDER_NOT_FOUND', e.message, { hint, cause: error })
      : e
  }
  if (!isFolder) throw csvError('CON_CSV_FOLDER_NOT_FOUND', `${folder} is a file, not a folder.`, { hint })
  try {
    await readdir(folder)
  } catch (error) {
    throw toFsError(error, { kind: 'folder', path: folder })
  }
}

/** The names of the CSV (`*.csv`, `*.txt`) files in `folder`, sorted. */
export async function listCsvFiles(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true })
    return entries
      .filter((e) => e.isFile() && /\.(csv|txt)$/i.test(e.name))
      .map((e) => e.name)
      .sort()
  } catch (error) {
    throw toFsError(error, { kind: 'folder', path: folder })
  }
}

/** Where a table's file was looked for, to explain a missing file. */
export interface FileLookup {
  /** Absolute path of the file. */
  readonly path: string
  /** Absolute folder and the folder as configured. */
  readonly folder: string
  readonly configuredFolder: string
  /** The file name as configured (or defaulted). */
  readonly fileName: string
  /** `hr500.employees`, for the message. */
  readonly table: string
}

/** Proves that a table's file exists and is a file, before streaming it. */
export async function assertReadableFile(lookup: FileLookup): Promise<void> {
  let isFile: boolean
  try {
    isFile = (await stat(lookup.path)).isFile()
  } catch (error) {
    if (toFsError(error, { kind: 'file', path: lookup.path }).code !== 'CON_CSV_FILE_NOT_FOUND') {
      throw toFsError(error, { kind: 'file', path: lookup.path })
    }
    await assertReadableFolder(lookup.folder, lookup.configuredFolder)
    throw await missingFileError(lookup, error)
  }
  if (!isFile) {
    throw csvError('CON_CSV_FILE_NOT_FOUND', `${lookup.path}, the file of table ${lookup.table}, is a folder.`, {
      hint: `Set options.file of table ${lookup.table} to the CSV file inside that folder.`,
    })
  }
}

async function missingFileError(lookup: FileLookup, cause: unknown): Promise<ProvisioError> {
  const suggestion = didYouMean(lookup.fileName, await listCsvFiles(lookup.folder))
  const hint =
    `The path is config.folder ('${lookup.configuredFolder}') + options.file ('${lookup.fileName}'); ` +
    `options.file defaults to the table's name + .csv.${suggestion === '' ? '' : ` ${suggestion}`}`
  return csvError('CON_CSV_FILE_NOT_FOUND', `The file ${lookup.path} of table ${lookup.table} does not exist.`, {
    hint,
    cause,
  })
}
