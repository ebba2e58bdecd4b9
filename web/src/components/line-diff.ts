/**
 * A line diff of two texts (longest common subsequence), for showing what differs between two
 * versions of a document. The common start and end are taken off first. A middle too large for the
 * table (over LIMIT cells: 2,000 lines against 2,000, 16 MB and a noticeable pause) is cut at the
 * lines found once in each text and in the same order in both (as patience diff does), and each
 * part diffed alike; a part without such a line is shown as removed then added, whole. So two long
 * files that differ in a line at each end show those two lines, not every line removed and added.
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
  const out: DiffLine[] = []
  diffRange(a, b, 0, a.length, 0, b.length, out)
  return out
}

/** The diff of a[aFrom..aTo) and b[bFrom..bTo), appended to `out`. */
function diffRange(
  a: readonly string[],
  b: readonly string[],
  aFrom: number,
  aTo: number,
  bFrom: number,
  bTo: number,
  out: DiffLine[],
): void {
  const same = (i: number, j: number) => out.push({ op: 'same', text: a[i]!, before: i + 1, after: j + 1 })
  let start = 0
  while (aFrom + start < aTo && bFrom + start < bTo && a[aFrom + start] === b[bFrom + start]) start++
  let end = 0
  while (aTo - end > aFrom + start && bTo - end > bFrom + start && a[aTo - end - 1] === b[bTo - end - 1]) end++
  for (let k = 0; k < start; k++) same(aFrom + k, bFrom + k)
  const from = [aFrom + start, bFrom + start] as const
  const to = [aTo - end, bTo - end] as const
  if ((to[0] - from[0]) * (to[1] - from[1]) <= LIMIT) table(a, b, from[0], to[0], from[1], to[1], out)
  else {
    const anchors = uniqueAnchors(a, b, from[0], to[0], from[1], to[1])
    let i = from[0]
    let j = from[1]
    for (const [x, y] of anchors) {
      diffRange(a, b, i, x, j, y, out)
      same(x, y)
      i = x + 1
      j = y + 1
    }
    if (anchors.length > 0) diffRange(a, b, i, to[0], j, to[1], out)
    else {
      for (let k = from[0]; k < to[0]; k++) out.push({ op: 'remove', text: a[k]!, before: k + 1 })
      for (let k = from[1]; k < to[1]; k++) out.push({ op: 'add', text: b[k]!, after: k + 1 })
    }
  }
  for (let k = end; k > 0; k--) same(aTo - k, bTo - k)
}

/** The longest common subsequence of the two ranges by its table (at most LIMIT cells). */
function table(
  a: readonly string[],
  b: readonly string[],
  aFrom: number,
  aTo: number,
  bFrom: number,
  bTo: number,
  out: DiffLine[],
): void {
  const n = aTo - aFrom
  const m = bTo - bFrom
  const width = m + 1
  // common[i * width + j]: the length of the longest common subsequence of a[aFrom+i..] and b[bFrom+j..].
  const common = new Uint32Array((n + 1) * width)
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i * width + j] =
        a[aFrom + i] === b[bFrom + j]
          ? common[(i + 1) * width + j + 1]! + 1
          : Math.max(common[(i + 1) * width + j]!, common[i * width + j + 1]!)
    }
  }
  let i = 0
  let j = 0
  while (i < n || j < m) {
    const x = aFrom + i
    const y = bFrom + j
    if (i < n && j < m && a[x] === b[y]) {
      out.push({ op: 'same', text: a[x]!, before: x + 1, after: y + 1 })
      i++
      j++
    } else if (i < n && (j >= m || common[(i + 1) * width + j]! >= common[i * width + j + 1]!)) {
      out.push({ op: 'remove', text: a[x]!, before: x + 1 })
      i++
    } else {
      out.push({ op: 'add', text: b[y]!, after: y + 1 })
      j++
    }
  }
}

/**
 * The lines found exactly once in each range, as [index in a, index in b] pairs increasing in both
 * (the longest such chain, by patience sorting): safe places to cut a large diff.
 */
function uniqueAnchors(
  a: readonly string[],
  b: readonly string[],
  aFrom: number,
  aTo: number,
  bFrom: number,
  bTo: number,
): [number, number][] {
  const counts = new Map<string, { a: number; b: number; at: number }>()
  for (let i = aFrom; i < aTo; i++) {
    const seen = counts.get(a[i]!)
    if (seen === undefined) counts.set(a[i]!, { a: 1, b: 0, at: i })
    else seen.a++
  }
  const pairs: [number, number][] = []
  for (let j = bFrom; j < bTo; j++) {
    const seen = counts.get(b[j]!)
    if (seen !== undefined) seen.b++
  }
  for (let j = bFrom; j < bTo; j++) {
    const seen = counts.get(b[j]!)
    if (seen !== undefined && seen.a === 1 && seen.b === 1) pairs.push([seen.at, j])
  }
  // Longest chain increasing in a (pairs are already in b's order): tails[k] ends the best chain of k + 1.
  const tails: number[] = []
  const previous: number[] = new Array<number>(pairs.length)
  pairs.forEach(([x], p) => {
    let low = 0
    let high = tails.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (pairs[tails[mid]!]![0] < x) low = mid + 1
      else high = mid
    }
    previous[p] = low > 0 ? tails[low - 1]! : -1
    tails[low] = p
  })
  const chain: [number, number][] = []
  for (let p = tails.length > 0 ? tails[tails.length - 1]! : -1; p >= 0; p = previous[p]!) chain.push(pairs[p]!)
  return chain.reverse()
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

/**
 * At most `max` rows of a diff to show, and how many were left out: thousands of table rows would
 * hold the page for seconds, and no one reads them (the editor holds the whole text).
 */
export function capped<T>(
  rows: readonly T[],
  max = MAX_ROWS,
): { readonly shown: readonly T[]; readonly hidden: number } {
  return rows.length <= max ? { shown: rows, hidden: 0 } : { shown: rows.slice(0, max), hidden: rows.length - max }
}

export const MAX_ROWS = 1000
