/**
 * The Studio's line diff (web/src/components/line-diff.ts) on long texts: what differs is shown,
 * and no more rows than a page can hold.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAX_ROWS, capped, lineDiff, withContext } from '../../web/src/components/line-diff.ts'

const text = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('\n')
const changes = (before: string, after: string) =>
  lineDiff(before, after)
    .filter((l) => l.op !== 'same')
    .map((l) => `${l.op === 'add' ? '+' : '-'}${l.op === 'add' ? l.after : l.before} ${l.text}`)

describe('lineDiff', () => {
  it('shows a small change as itself', () => {
    assert.deepEqual(changes('a\nb\nc\n', 'a\nB\nc\n'), ['-2 b', '+2 B'])
    assert.deepEqual(changes('', 'x'), ['-1 ', '+1 x'])
  })

  it('shows a line changed at each end of two 5,000-line texts as those lines, not every line', () => {
    const before = text(5000, (i) => `  name: user_${i}`)
    const after = text(5000, (i) => (i === 0 ? '# changed' : i === 4999 ? '  name: last' : `  name: user_${i}`))
    assert.deepEqual(changes(before, after), [
      '-1   name: user_0',
      '+1 # changed',
      '-5000   name: user_4999',
      '+5000   name: last',
    ])
    const shown = withContext(lineDiff(before, after))
    assert.ok(shown.length < 20, `${shown.length} rows`)
  })

  it('keeps the unchanged lines between many changes of long texts with repeated lines', () => {
    // Repeated lines (`  enabled: true`) are not unique: the cut happens at the unique ones around them.
    const before = text(6000, (i) => (i % 3 === 2 ? '  enabled: true' : `  key_${i}: ${i}`))
    const after = text(6000, (i) =>
      i % 3 === 2 ? '  enabled: true' : i % 300 === 0 ? `  key_${i}: new` : `  key_${i}: ${i}`,
    )
    const diff = lineDiff(before, after)
    assert.equal(diff.filter((l) => l.op === 'same').length, 6000 - 20)
    assert.equal(diff.filter((l) => l.op !== 'same').length, 40)
    // Every line of each text is there once, in order.
    assert.deepEqual(
      diff.filter((l) => l.op !== 'add').map((l) => l.before),
      Array.from({ length: 6000 }, (_, i) => i + 1),
    )
    assert.deepEqual(
      diff.filter((l) => l.op !== 'remove').map((l) => l.after),
      Array.from({ length: 6000 }, (_, i) => i + 1),
    )
  })

  it('caps the rows shown of a diff of two entirely different long texts', () => {
    const rows = withContext(
      lineDiff(
        text(5000, (i) => `a${i}`),
        text(5000, (i) => `b${i}`),
      ),
    )
    assert.equal(rows.length, 10_000)
    const { shown, hidden } = capped(rows)
    assert.equal(shown.length, MAX_ROWS)
    assert.equal(hidden, 10_000 - MAX_ROWS)
    assert.deepEqual(capped(rows.slice(0, 3)), { shown: rows.slice(0, 3), hidden: 0 })
  })
})
