/**
 * Finds positions inside a piece of CSV text after papaparse has parsed it: where a record's field
 * starts (for value errors) and where an unclosed quote opened. papaparse reports rows, not offsets,
 * so these small scanners follow its quoting rules again. They run only when an error is reported.
 */
import type { Newline } from './detect-dialect.ts'
import { LinePosition, offsetOfLine, type TextPosition } from './line-position.ts'

/** The resolved syntax of one file. */
export interface CsvDialect {
  readonly delimiter: string
  readonly quote: string
  readonly newline: Newline
}

/**
 * Offset just after the quote that closes the field opened at `open` (and any spaces after it), or
 * -1. As in papaparse, a quote counts as closing only when a delimiter, a line end or the end of the
 * text follows; a doubled quote is part of the value.
 */
function afterClosingQuote(text: string, open: number, d: CsvDialect): number {
  let i = open + 1
  for (;;) {
    const q = text.indexOf(d.quote, i)
    if (q === -1) return -1
    if (text.startsWith(d.quote, q + 1)) {
      i = q + 2
      continue
    }
    let j = q + 1
    while (text[j] === ' ') j++
    if (j >= text.length || text.startsWith(d.delimiter, j) || text.startsWith(d.newline, j)) return j
    i = q + 1
  }
}

/** Offset of the field after the one starting at `pos`, or -1 when that was the record's last field. */
function nextField(text: string, pos: number, d: CsvDialect): number {
  if (text.startsWith(d.quote, pos)) {
    const after = afterClosingQuote(text, pos, d)
    return after !== -1 && text.startsWith(d.delimiter, after) ? after + d.delimiter.length : -1
  }
  const delimiter = text.indexOf(d.delimiter, pos)
  const newline = text.indexOf(d.newline, pos)
  if (delimiter === -1 || (newline !== -1 && newline < delimiter)) return -1
  return delimiter + d.delimiter.length
}

/**
 * Line and column where field `field` (0-based) of the record on line `recordLine` starts.
 * `text` must begin at the start of a record, on line `firstLine`.
 */
export function locateField(
  text: string,
  firstLine: number,
  recordLine: number,
  field: number,
  d: CsvDialect,
): TextPosition {
  const recordStart = offsetOfLine(text, recordLine - firstLine)
  if (recordStart < 0) return { line: recordLine, column: 1 }
  let pos = recordStart
  for (let f = 0; f < field && pos >= 0; f++) pos = nextField(text, pos, d)
  if (pos < 0) return { line: recordLine, column: 1 }
  return plain(new LinePosition({ line: recordLine, column: 1 }).advance(text, recordStart, pos))
}

const plain = ({ line, column }: TextPosition): TextPosition => ({ line, column })

/** Offset of the quote that opens a field never closed in `text` (which begins at a record start), or -1. */
export function findUnclosedQuote(text: string, d: CsvDialect): number {
  let pos = 0
  while (pos < text.length) {
    let end = pos
    if (text.startsWith(d.quote, pos)) {
      end = afterClosingQuote(text, pos, d)
      if (end === -1) return pos
    }
    const delimiter = text.indexOf(d.delimiter, end)
    const newline = text.indexOf(d.newline, end)
    if (delimiter === -1 && newline === -1) return -1
    pos =
      delimiter !== -1 && (newline === -1 || delimiter < newline)
        ? delimiter + d.delimiter.length
        : newline + d.newline.length
  }
  return -1
}

/** Line and column of `offset` in `text`, which begins on line `firstLine`, column 1. */
export function positionAt(text: string, firstLine: number, offset: number): TextPosition {
  return plain(new LinePosition({ line: firstLine, column: 1 }).advance(text, 0, offset))
}
