/**
 * Line and column bookkeeping shared by every place that reports a position in a CSV file.
 *
 * One rule everywhere: `\r\n`, a lone `\r` and a lone `\n` each end one physical line, as text
 * editors show them. Columns count characters (Unicode code points), 1-based.
 */

const CR = 13
const LF = 10

/** A 1-based position in a text. */
export interface TextPosition {
  readonly line: number
  readonly column: number
}

/** Walks text fed in pieces and keeps the line and column of the next character. */
export class LinePosition {
  line: number
  column: number
  /** The last piece ended in `\r`; a `\n` at the start of the next piece belongs to it. */
  private afterCR = false

  constructor(start: TextPosition = { line: 1, column: 1 }) {
    this.line = start.line
    this.column = start.column
  }

  /** Moves past `text`, or past its code units from `start` up to (not including) `end`. */
  advance(text: string, start = 0, end: number = text.length): this {
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i)
      if (c === LF) {
        if (!this.afterCR) this.newLine()
        this.afterCR = false
      } else if (c === CR) {
        this.newLine()
        this.afterCR = true
      } else {
        this.afterCR = false
        // A low surrogate completes the character its high surrogate already counted.
        if (c < 0xdc00 || c > 0xdfff) this.column++
      }
    }
    return this
  }

  private newLine(): void {
    this.line++
    this.column = 1
  }
}

/** How many line ends `text` contains (`\r\n` counts once). */
export function countLineBreaks(text: string): number {
  // Fast path for the common field without any line break; indexOf is native.
  if (text.indexOf('\n') === -1 && text.indexOf('\r') === -1) return 0
  let count = 0
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === LF) count++
    else if (c === CR) {
      count++
      if (text.charCodeAt(i + 1) === LF) i++
    }
    i++
  }
  return count
}

/** Offset of the first character of line `lines` lines after the start of `text`, or -1 if the text is shorter. */
export function offsetOfLine(text: string, lines: number): number {
  let remaining = lines
  let i = 0
  while (remaining > 0) {
    const lf = text.indexOf('\n', i)
    const cr = text.indexOf('\r', i)
    if (lf === -1 && cr === -1) return -1
    if (cr !== -1 && (lf === -1 || cr < lf)) i = text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1
    else i = lf + 1
    remaining--
  }
  return i
}
