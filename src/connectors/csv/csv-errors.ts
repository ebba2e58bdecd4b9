/**
 * Error codes of the CSV connector. Every problem a CSV file can have is a user error with a code,
 * a position (file, line, column) and a hint; only I/O failures of the machine are operational.
 */
import { defineErrors } from '../../core/index.ts'

/** Factory for the CSV connector's errors; accepts only the codes below. */
export const csvError = defineErrors('connectors.csv', {
  CON_CSV_FOLDER_NOT_FOUND: {
    audience: 'user',
    title: 'The folder of a CSV system does not exist or is not a folder.',
    hint: 'Check `config.folder` of the system; a relative folder is resolved against the project folder.',
  },
  CON_CSV_FILE_NOT_FOUND: {
    audience: 'user',
    title: 'The file of a CSV table does not exist.',
    hint: "Check `config.folder` of the system and `options.file` of the table (default: the table's name + .csv).",
  },
  CON_CSV_ACCESS_DENIED: {
    audience: 'operational',
    title: 'A CSV folder or file exists but may not be read by this process.',
    hint: 'Give the user that runs Provisio read permission on the folder and its files.',
  },
  CON_CSV_READ_FAILED: {
    audience: 'operational',
    retry: 'safe',
    title: 'Reading a CSV file failed in the operating system.',
    hint: 'Check that the disk or network share holding the file is available, then run again.',
  },
  CON_CSV_INVALID_OPTIONS: {
    audience: 'user',
    title: 'The options of a CSV table, or the combination of config and options, are not valid.',
    hint: 'Correct the `options:` block of the table; allowed keys are file, encoding, delimiter, quote and header.',
  },
  CON_CSV_INVALID_FORMAT: {
    audience: 'user',
    title: "A column's date or datetime `format` is not understood.",
    hint: 'Write the format with the tokens YYYY, MM, DD, M, D (and HH, H, mm, ss for datetimes) and any separators, e.g. DD-MM-YYYY.',
  },
  CON_CSV_EMPTY_FILE: {
    audience: 'user',
    title: 'A CSV file that should start with a header line is empty.',
    hint: 'Check the export that writes the file. If the file really has no header line, set `header: false`.',
  },
  CON_CSV_MISSING_COLUMN: {
    audience: 'user',
    title: 'A declared column is not in the CSV file.',
    hint: "Set the column's `source:` to the name used in the file's header line, or correct the export.",
  },
  CON_CSV_DUPLICATE_HEADER: {
    audience: 'user',
    title: 'A column that the table uses appears more than once in the header line.',
    hint: 'Rename one of the header columns in the export so that each name is unique.',
  },
  CON_CSV_RAGGED_ROW: {
    audience: 'user',
    title: 'A CSV record has a different number of fields than the header line.',
    hint: 'Quote values that contain the delimiter, or check that the right delimiter is configured.',
  },
  CON_CSV_UNCLOSED_QUOTE: {
    audience: 'user',
    title: 'A quoted CSV field is never closed.',
    hint: 'Close the quote, or double the quote character ("") where it is part of the value.',
  },
  CON_CSV_RECORD_TOO_LONG: {
    audience: 'user',
    title: 'A CSV record is longer than the connector accepts, usually because the line endings are not recognised.',
    hint: 'Check that the file uses \\n, \\r\\n or \\r line endings and that the encoding is right.',
  },
  CON_CSV_INVALID_QUOTES: {
    audience: 'user',
    title: 'A quoted CSV field has text after its closing quote.',
    hint: 'Double the quote character ("") where it is part of the value, or remove the stray text after the closing quote.',
  },
  CON_CSV_INVALID_VALUE: {
    audience: 'user',
    title: "A CSV value does not parse as its column's type.",
    hint: "Correct the value in the file, or change the column's type or format.",
  },
  CON_CSV_INVALID_ENCODING: {
    audience: 'user',
    title: 'A CSV file contains bytes that are not valid in its encoding.',
    hint: 'Set `encoding:` (utf-8, utf-16le, utf-16be, windows-1252) to what the file really uses, or re-export it as UTF-8.',
  },
  CON_CSV_READ_ONLY: {
    audience: 'user',
    title: 'A CSV system is a source only; it cannot apply operations.',
    hint: 'Map to a target system with write functions (LDAP, SQL, SCIM…); CSV files are read, never written.',
  },
})

/** The codes {@link csvError} accepts. */
export type CsvErrorCode = Parameters<typeof csvError>[0]
