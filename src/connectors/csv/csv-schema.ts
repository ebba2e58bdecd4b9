/**
 * The YAML surface of the CSV connector: the system's `config:` block and each table's `options:`
 * block. Both are strict (unknown keys are errors) and are the single source of truth for the
 * defaults, the TypeScript types and the generated docs.
 *
 * @example
 * ```yaml
 * connector: csv
 * config:
 *   folder: files/hr500
 *   delimiter: auto
 *   encoding: utf-8
 * tables:
 *   employees:
 *     options: { file: employees.csv }
 * ```
 */
import { z } from 'zod'

/** Encodings a CSV file may use. A byte order mark, when present, always wins (see decode-stream.ts). */
export const CSV_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const

/** One of {@link CSV_ENCODINGS}. */
export type CsvEncoding = (typeof CSV_ENCODINGS)[number]

/** Delimiters that `delimiter: auto` chooses from, in order of preference when counts tie. */
export const AUTO_DELIMITERS = [',', ';', '\t', '|'] as const

/** Spellings of tab that YAML authors use: `tab`, the two characters `\t`, or a real tab. */
const TAB_SPELLINGS = new Set(['tab', '\\t', '\t'])

function isSingleCharacter(value: string): boolean {
  return value.length === 1 && value !== '\r' && value !== '\n'
}

const encodingSchema = z.enum(CSV_ENCODINGS)

const delimiterSchema = z
  .string()
  .refine((v) => v === 'auto' || TAB_SPELLINGS.has(v) || (isSingleCharacter(v) && v !== '"' && v !== '\uFEFF'), {
    message: "The delimiter must be 'auto', 'tab' (or \\t) or one character other than a line break or a double quote.",
  })

const quoteSchema = z.string().refine(isSingleCharacter, {
  message: 'The quote must be exactly one character other than a line break.',
})

/** The `config:` block of a CSV system. */
export const csvConfigSchema = z.strictObject({
  /** Folder holding the files; relative paths resolve against the project folder. */
  folder: z.string().min(1).describe('Folder holding the CSV files, relative to the project folder.'),
  /** @default 'utf-8' */
  encoding: encodingSchema.default('utf-8').describe('Encoding of the files; a byte order mark overrides it.'),
  /** `auto` detects one of , ; tab | per file from its first lines. @default 'auto' */
  delimiter: delimiterSchema.default('auto').describe("Field delimiter: 'auto' (, ; tab |), 'tab' or one character."),
  /** @default '"' */
  quote: quoteSchema.default('"').describe('Quote character around fields that contain delimiters or line breaks.'),
  /** The first line names the columns. @default true */
  header: z.boolean().default(true).describe('Whether the first line of each file is a header line.'),
})

/** The `options:` block of each table of a CSV system; every key but `file` overrides the system's config. */
export const csvTableOptionsSchema = z.strictObject({
  /** File name inside the system's folder. @default '<table name>.csv' */
  file: z
    .string()
    .min(1)
    .optional()
    .describe("File name inside the system's folder; defaults to the table name + .csv."),
  /** @default the system's `encoding` */
  encoding: encodingSchema.optional(),
  /** @default the system's `delimiter` */
  delimiter: delimiterSchema.optional(),
  /** @default the system's `quote` */
  quote: quoteSchema.optional(),
  /** @default the system's `header` */
  header: z.boolean().optional(),
})

/** A validated `config:` block, defaults applied. */
export type CsvConfig = z.output<typeof csvConfigSchema>

/** A validated `options:` block of one table. */
export type CsvTableOptions = z.output<typeof csvTableOptionsSchema>

/** `'auto'` or the one delimiter character (tab spellings normalised to `\t`). */
export function normaliseDelimiter(delimiter: string): string {
  return TAB_SPELLINGS.has(delimiter) ? '\t' : delimiter
}
