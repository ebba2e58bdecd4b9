/**
 * A line diff of two texts (longest common subsequence), for showing what differs between two
 * versions of a document. Documents are small: the common start and end are taken off first, and a
 * middle too large for the table (over LIMIT cells) is shown as removed then added, whole.
 */

export interface DiffLine {
  readonly op: 'same' | 'remove' | 'add'
  readonly text: string
  /** The line's number in the first text (absent for an added line). */
  readonly before?: number | undefined
  /** The line's number in the second text (absent for a removed line). */
  readonly after?: number | undefined
}

/** A run of unchanged lines left out of a diff shown with `withContext`. */
export interface Skipped {
  readonly op: 'skip'
  readonly lines: number
}

const LIMIT = 4_000_000

const linesOf = (text: string): string[] => {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  // A final line break ends the last line rather than starting an empty one.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop()
  return lines
}

/** Every line of `before` and `after` in order: kept, removed (only in `before`) or added (only in `after`). */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = linesOf(before)
  const b = linesOf(after)
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const out: DiffLine[] = []
  for (let i = 0; i < start; i++) out.push({ op: 'same', text: a[i]!, before: i + 1, after: i + 1 })

  const n = endA - start
  const m = endB - start
  const width = m + 1
  // common[i * width + j]: the length of the longest common subsequence of a[start+i..] and b[start+j..].
  const common = n * m <= LIMIT ? new Uint32Array((n + 1) * width) : undefined
  if (common !== undefined) {
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        common[i * width + j] =
          a[start + i] === b[start + j]
            ? common[(i + 1) * width + j + 1]! + 1
            : Math.max(common[(i + 1) * width + j]!, common[i * width + j + 1]!)
      }
    }
  }
  let i = 0
  let j = 0
  while (i < n || j < m) {
    const x = start + i
    const y = start + j
    if (common !== undefined && i < n && j < m && a[x] === b[y]) {
      out.push({ op: 'same', text: a[x]!, before: x + 1, after: y + 1 })
      i++
      j++
    } else if (
      i < n &&
      (j >= m || common === undefined || common[(i + 1) * width + j]! >= common[i * width + j + 1]!)
    ) {
      out.push({ op: 'remove', text: a[x]!, before: x + 1 })
      i++
    } else {
      out.push({ op: 'add', text: b[y]!, after: y + 1 })
      j++
    }
  }

  for (let k = 0; k < a.length - endA; k++)
    out.push({ op: 'same', text: a[endA + k]!, before: endA + k + 1, after: endB + k + 1 })
  return out
}

/** The diff with only `context` unchanged lines around each change; longer unchanged runs are counted. */
export function withContext(lines: readonly DiffLine[], context = 3): (DiffLine | Skipped)[] {
  const near = lines.map(() => false)
  lines.forEach((line, k) => {
    if (line.op === 'same') return
    for (let d = Math.max(0, k - context); d <= Math.min(lines.length - 1, k + context); d++) near[d] = true
  })
  const out: (DiffLine | Skipped)[] = []
  let skipped = 0
  lines.forEach((line, k) => {
    if (near[k]) {
      if (skipped > 0) out.push({ op: 'skip', lines: skipped })
      skipped = 0
      out.push(line)
    } else skipped++
  })
  if (skipped > 0) out.push({ op: 'skip', lines: skipped })
  return out
}
