/**
 * Guesses the line ending and the delimiter of a file from its first characters. Both scans skip
 * quoted text, so a `;` or a line break inside a quoted value does not count.
 */
import { AUTO_DELIMITERS } from './csv-schema.ts'

/** The line endings papaparse accepts. */
export type Newline = '\r\n' | '\n' | '\r'

/** How many records the delimiter guess looks at. */
const SAMPLE_RECORDS = 20

/**
 * The first line ending outside quotes: `\r\n`, `\n` or `\r`. Undefined when `sample` has none yet, or
 * ends in `\r` so that a following `\n` cannot be ruled out (`isComplete` says no more text follows).
 */
export function detectNewline(sample: string, quote: string, isComplete: boolean): Newline | undefined {
  const quoteCode = quote.charCodeAt(0)
  let inQuotes = false
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i)
    if (c === quoteCode) inQuotes = !inQuotes
    else if (inQuotes) continue
    else if (c === 10) return '\n'
    else if (c === 13) {
      if (i + 1 < sample.length) return sample.charCodeAt(i + 1) === 10 ? '\r\n' : '\r'
      return isComplete ? '\r' : undefined
    }
  }
  return undefined
}

/** Per record of `sample`, how often each candidate occurs outside quotes. Blank records are left out. */
function countPerRecord(sample: string, quote: string, newline: Newline, candidates: readonly string[]): number[][] {
  const records: number[][] = []
  let counts = candidates.map(() => 0)
  let inQuotes = false
  let isBlank = true
  for (let i = 0; i < sample.length && records.length < SAMPLE_RECORDS; i++) {
    const ch = sample[i] ?? ''
    if (ch === quote) {
      inQuotes = !inQuotes
      isBlank = false
    } else if (!inQuotes && sample.startsWith(newline, i)) {
      if (!isBlank) records.push(counts)
      counts = candidates.map(() => 0)
      isBlank = true
      i += newline.length - 1
    } else if (!inQuotes) {
      isBlank = false
      const k = candidates.indexOf(ch)
      if (k !== -1) counts[k] = (counts[k] ?? 0) + 1
    }
  }
  // A last record without a line ending is counted only when it is the only one.
  if (!isBlank && records.length === 0) records.push(counts)
  return records
}

/**
 * The delimiter among `, ; tab |` that occurs in the first record and occurs equally often in most
 * of the following records; on a tie, the one occurring more often, then the earlier in that list.
 * A file in which none occurs has one column; `,` is returned for it.
 */
export function detectDelimiter(sample: string, quote: string, newline: Newline): string {
  const candidates = AUTO_DELIMITERS.filter((d) => d !== quote)
  const records = countPerRecord(sample, quote, newline, candidates)
  const first = records[0]
  let best = ','
  let bestScore: [number, number] = [0, 0]
  if (first === undefined) return best
  candidates.forEach((candidate, k) => {
    const expected = first[k] ?? 0
    if (expected === 0) return
    const consistent = records.filter((r) => r[k] === expected).length
    if (consistent > bestScore[0] || (consistent === bestScore[0] && expected > bestScore[1])) {
      best = candidate
      bestScore = [consistent, expected]
    }
  })
  return best
}
