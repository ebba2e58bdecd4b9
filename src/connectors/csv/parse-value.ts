/**
 * Text → typed value, one parser per declared column, compiled before the first row.
 *
 * Shared rules: an empty cell is `null` for every type; values of non-string types are trimmed
 * first (so a blank cell is `null` too), strings are kept exactly as written. A parser returns
 * `undefined` for text that is not a valid value; the reader turns that into CON_CSV_INVALID_VALUE.
 */
import type { ColumnSchema, Value } from '../../core/index.ts'
import {
  compileDateFormat,
  type DateFormat,
  ISO_DATE_FORMAT,
  ISO_DATETIME_FORMAT,
  isIsoDate,
  isValidDateParts,
  toIsoDate,
  toIsoDatetime,
} from './date-format.ts'

/** Parses the text of one column. */
export interface ValueParser {
  /** The value, `null` for an empty cell, or `undefined` when `raw` is not valid for the column. */
  parse(raw: string): Value | undefined
  /** What a valid value looks like, completing "expected …" in messages. */
  readonly expected: string
  /** How to fix an invalid value. */
  readonly hint: string
}

const INTEGER = /^[+-]?\d+$/
const DECIMAL_POINT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const DECIMAL_COMMA = /^[+-]?(?:\d+(?:,\d*)?|,\d+)$/

const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  y: true,
  n: false,
  '1': true,
  '0': false,
}

/** Turns -0 into 0: the vault compares values and must not see two zeros. */
const noNegativeZero = (n: number) => (n === 0 ? 0 : n)

function trimmed(parse: (text: string) => Value | undefined): (raw: string) => Value | undefined {
  return (raw) => {
    const text = raw.trim()
    return text === '' ? null : parse(text)
  }
}

function integerParser(): ValueParser {
  return {
    parse: trimmed((text) => {
      if (!INTEGER.test(text)) return undefined
      const n = Number(text)
      return Number.isSafeInteger(n) ? noNegativeZero(n) : undefined
    }),
    expected: `a whole number between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}, like 42 or -7`,
    hint: 'Write whole numbers with digits and an optional sign only; declare the column as `number` if it has decimals.',
  }
}

/**
 * Numbers with the column's decimal separator. Thousands separators are refused in both modes:
 * `1.500` could mean 1500 or 1.5, and a silent misreading is worse than an error.
 */
function numberParser(decimalSeparator: '.' | ','): ValueParser {
  const isComma = decimalSeparator === ','
  return {
    parse: trimmed((text) => {
      if (!(isComma ? DECIMAL_COMMA : DECIMAL_POINT).test(text)) return undefined
      const n = Number(isComma ? text.replace(',', '.') : text)
      return Number.isFinite(n) ? noNegativeZero(n) : undefined
    }),
    expected: isComma
      ? 'a number with a decimal comma, like 0,8 or -12,5'
      : 'a number with a decimal point, like 0.8 or -12.5',
    hint: isComma
      ? "Write numbers without thousands separators; set `decimalSeparator: '.'` on the column if the file uses decimal points."
      : "Write numbers without thousands separators; set `decimalSeparator: ','` on the column if the file uses decimal commas.",
  }
}

function booleanParser(): ValueParser {
  return {
    parse: trimmed((text) => BOOLEANS[text.toLowerCase()]),
    expected: 'true/false, yes/no, y/n or 1/0',
    hint: 'Write booleans as true/false, yes/no, y/n or 1/0 (any case).',
  }
}

function dateParser(column: ColumnSchema, kind: 'date' | 'datetime'): ValueParser {
  const fallback = kind === 'date' ? ISO_DATE_FORMAT : ISO_DATETIME_FORMAT
  const format: DateFormat = column.format === undefined ? fallback : compileDateFormat(column.format, kind)
  const convert = kind === 'date' ? toIsoDate : toIsoDatetime
  // An ISO date is already in the stored form: checking it without a regex or a rebuild matters on
  // millions of rows.
  const parse =
    format === ISO_DATE_FORMAT
      ? (text: string) => (isIsoDate(text) ? text : undefined)
      : (text: string) => {
          const parts = format.parse(text)
          return parts !== undefined && isValidDateParts(parts) ? convert(parts) : undefined
        }
  return {
    parse: trimmed(parse),
    expected: `a real ${kind} in the format ${format.format}`,
    hint: `Correct the value, or set \`format:\` on the column to the format the file uses (tokens YYYY, MM, DD, M, D${kind === 'datetime' ? ', HH, H, mm, ss, SSS' : ''}).`,
  }
}

/**
 * Sorts by UTF-16 code units (the default sort order) and drops duplicates, in place. Lists are
 * short (a few groups), where insertion sort with `<` beats `Array.prototype.sort`.
 */
function sortUnique(values: string[]): string[] {
  for (let i = 1; i < values.length; i++) {
    const value = values[i] ?? ''
    let j = i - 1
    for (; j >= 0 && (values[j] ?? '') > value; j--) values[j + 1] = values[j] ?? ''
    values[j + 1] = value
  }
  let kept = 1
  for (let i = 1; i < values.length; i++) if (values[i] !== values[kept - 1]) values[kept++] = values[i] ?? ''
  values.length = kept
  return values
}

/** Multi-valued strings: split, trimmed, empties dropped, sorted (by UTF-16 code units) and deduplicated. */
function stringListParser(separator: string): ValueParser {
  return {
    parse(raw) {
      const values: string[] = []
      for (let start = 0; start <= raw.length;) {
        let end = raw.indexOf(separator, start)
        if (end === -1) end = raw.length
        const value = raw.slice(start, end).trim()
        if (value !== '') values.push(value)
        start = end + separator.length
      }
      return values.length === 0 ? null : sortUnique(values)
    },
    expected: `values separated by '${separator}'`,
    hint: 'Set `separator:` on the column to the character between the values.',
  }
}

const stringParser: ValueParser = {
  parse: (raw) => (raw === '' ? null : raw),
  expected: 'text',
  hint: '',
}

/** The parser for `column`'s type; throws CON_CSV_INVALID_FORMAT for a date `format` it cannot read. */
export function createValueParser(column: ColumnSchema): ValueParser {
  switch (column.type) {
    case 'string':
      return stringParser
    case 'integer':
      return integerParser()
    case 'number':
      return numberParser(column.decimalSeparator ?? '.')
    case 'boolean':
      return booleanParser()
    case 'date':
    case 'datetime':
      return dateParser(column, column.type)
    case 'string[]':
      return stringListParser(column.separator === undefined || column.separator === '' ? '|' : column.separator)
  }
}
