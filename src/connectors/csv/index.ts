/**
 * The CSV connector (`connector: csv`). A CSV system is a folder; each declared table is one file in
 * it, read as a stream of pages:
 *
 *   bytes ──decode-stream──▶ text ──csv-records (papaparse)──▶ records + line numbers
 *         ──column-plan + parse-value──▶ typed rows ──csv-reader──▶ pages of 5,000 rows
 *
 * Every problem in a file is a CON_CSV_ error naming the file, line, column and value, with a hint.
 */
export { csvConnector } from './csv-connector.ts'
export {
  AUTO_DELIMITERS,
  CSV_ENCODINGS,
  type CsvConfig,
  csvConfigSchema,
  type CsvEncoding,
  type CsvTableOptions,
  csvTableOptionsSchema,
} from './csv-schema.ts'
export { csvError, type CsvErrorCode } from './csv-errors.ts'
