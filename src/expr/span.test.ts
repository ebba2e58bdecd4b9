import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { renderSourceExcerpt, spanAt } from './span.ts'

describe('renderSourceExcerpt', () => {
  const cases: { source: string; offset: number; length: number; expected: string }[] = [
    { source: "lower(emial) = 'x'", offset: 6, length: 5, expected: "lower(emial) = 'x'\n      ^^^^^" },
    { source: 'a = 1', offset: 5, length: 0, expected: 'a = 1\n     ^' },
    { source: 'a = 1\nand b', offset: 10, length: 1, expected: 'and b\n    ^' },
    { source: 'x and\n  lower(y\n', offset: 14, length: 2, expected: '  lower(y\n        ^' },
    { source: "a = 'multi\nline'", offset: 4, length: 12, expected: "a = 'multi\n    ^^^^^^" },
    { source: '\tx = 😀 + y', offset: 8, length: 1, expected: '\tx = 😀 + y\n\t       ^' },
    { source: "x = '名前' || y", offset: 5, length: 2, expected: "x = '名前' || y\n     ^^^^" },
    { source: "lower('e\u0301') = z", offset: 14, length: 1, expected: "lower('e\u0301') = z\n             ^" },
    { source: 'a\r\nb', offset: 3, length: 1, expected: 'b\n^' },
  ]
  for (const c of cases) {
    it(`underlines ${c.length} unit(s) at offset ${c.offset} of ${JSON.stringify(c.source)}`, () => {
      assert.equal(renderSourceExcerpt(c.source, spanAt(c.source, c.offset, c.length)), c.expected)
    })
  }

  it('counts columns in code points, so an emoji is one column', () => {
    assert.deepEqual(spanAt('😀 = x', 5, 1), { offset: 5, length: 1, line: 1, column: 5 })
  })
})
