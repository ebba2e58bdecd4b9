import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isRegexProblem, translateRegex } from './regex.ts'
import { parseReplacement } from './regex-replace.ts'

describe('translateRegex', () => {
  const translations: [pattern: string, js: string, postgres: string][] = [
    ['^E[0-9]{5}$', '^E[0-9]{5}$', '^E[0-9]{5}$'],
    ['\\bsmith\\B', '\\bsmith\\B', '\\ysmith\\Y'],
    ['a\\sb\\S', 'a[\\t\\n\\v\\f\\r ]b[^\\t\\n\\v\\f\\r ]', 'a\\sb\\S'],
    ['[\\s,]', '[\\t\\n\\v\\f\\r ,]', '[\\s,]'],
    ['\\x41B', '\\x41B', '\\u0041B'],
    ['\\u00e9', '\\u00e9', '\\u00e9'],
    ['a\\-b\\@c', 'a-b@c', 'a\\-b\\@c'],
    ['[\\]\\-]', '[\\]\\-]', '[\\]\\-]'],
    ['(?:ab|cd)(?=x)(?<!y)\\1', '(?:ab|cd)(?=x)(?<!y)\\1', '(?:ab|cd)(?=x)(?<!y)\\1'],
  ]
  for (const [pattern, js, postgres] of translations) {
    it(`translates ${pattern}`, () => {
      const regex = translateRegex(pattern === '(?:ab|cd)(?=x)(?<!y)\\1' ? `(z)${pattern}` : pattern)
      assert.ok(!isRegexProblem(regex), JSON.stringify(regex))
      if (pattern.startsWith('(?:')) assert.deepEqual([regex.js, regex.postgres], [`(z)${js}`, `(z)${postgres}`])
      else assert.deepEqual([regex.js, regex.postgres], [js, postgres])
    })
  }

  const rejected: [pattern: string, index: number, message: string][] = [
    [
      '(?<name>a)',
      0,
      'Only (?:…), (?=…), (?!…), (?<=…) and (?<!…) are portable; named groups and inline flags are not.',
    ],
    ['(?i)abc', 0, 'Only (?:…), (?=…), (?!…), (?<=…) and (?<!…) are portable; named groups and inline flags are not.'],
    ['[[:alpha:]]', 1, "Write \\[ for a '[' inside a [ ] class (POSIX classes such as [:alpha:] are not portable)."],
    ['[]a]', 1, "Write \\] for a ']' at the start of a [ ] class."],
    ['\\p{L}', 0, '\\p is not supported in portable regular expressions.'],
    ['[\\D]', 1, '\\D is not supported in portable regular expressions inside [ ].'],
    ['a{300}', 1, 'Repetition counts above 255 are not supported (PostgreSQL limit).'],
    ['a{x', 1, "Write \\{ for a literal '{'; a quantifier is {n}, {n,} or {n,m}."],
    ['(a', 2, "A '(' is not closed."],
    ['a)', 1, "A ')' has no matching '('."],
    ['[a', 0, "A '[' is not closed."],
    ['a\\', 1, 'The pattern ends with a lone backslash.'],
    ['(a)\\2', 3, '\\2 refers to a group that does not exist.'],
    ['(?=(a))', 3, 'Capturing groups inside lookahead or lookbehind are not portable; use (?:…).'],
    ['*a', 0, 'Nothing to repeat.'],
  ]
  for (const [pattern, index, message] of rejected) {
    it(`rejects ${pattern} at ${index}`, () => {
      const regex = translateRegex(pattern)
      assert.ok(isRegexProblem(regex), pattern)
      assert.deepEqual([regex.index, regex.message], [index, message])
    })
  }
})

describe('parseReplacement', () => {
  it('turns $n, $& and $$ into PostgreSQL syntax and escapes backslashes', () => {
    assert.deepEqual(parseReplacement('$2, $1 ($&) $$5 \\1', 2), {
      parts: ['', 2, ', ', 1, ' (', 0, ') $5 \\1'].filter((p) => p !== ''),
      postgres: '\\2, \\1 (\\&) $5 \\\\1',
    })
  })

  it('rejects a $ that is not followed by a group, & or $', () => {
    assert.deepEqual(parseReplacement('cost: $x', 0), { message: "A '$' must be followed by 1–9, & or $.", index: 6 })
  })
})
