import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isProvisioError } from '../core/index.ts'
import { formatExpr, LiteralNode } from './ast/index.ts'
import { parseExpression } from './parser.ts'
import type { ExprIssue } from './span.ts'

/** The issue a parse error carries. */
function parseIssue(text: string): ExprIssue {
  try {
    parseExpression(text)
  } catch (error) {
    assert.ok(isProvisioError(error))
    assert.equal(error.issues.length, 1)
    return error.issues[0] as ExprIssue
  }
  assert.fail(`${text} parsed`)
}

describe('parseExpression', () => {
  const precedence: [string, string][] = [
    ['a or b and c', '(a or (b and c))'],
    ['not a = 1 and b', '((not (a = 1)) and b)'],
    ['a = b is null', '((a = b) is null)'],
    ["x || 'a' like 'b%' = true", "(((x || 'a') like 'b%') = true)"],
    ['1 + 2 * 3 - 4 / 5', '((1 + (2 * 3)) - (4 / 5))'],
    ["'a' || 1 + 2", "('a' || (1 + 2))"],
    ['10 - 2 - 3', '((10 - 2) - 3)'],
    ['-x * 2', '((-x) * 2)'],
    ['-5 * -2.5', '(-5 * -2.5)'],
    ['(a or b) and c', '((a or b) and c)'],
    ["x not in (1, 2) or y not like '%a'", "((x not in (1, 2)) or (y not like '%a'))"],
    ['a is not null and not b', '((a is not null) and (not b))'],
    ['a <> b', '(a != b)'],
  ]
  for (const [text, expected] of precedence) {
    it(`reads ${text} with SQL precedence`, () => assert.equal(formatExpr(parseExpression(text)), expected))
  }

  it('reads keywords in any case and keeps identifier case', () => {
    assert.equal(
      formatExpr(parseExpression("CASE WHEN Name IS NOT NULL THEN LOWER(Name) ELSE 'x' END")),
      "case when (Name is not null) then lower(Name) else 'x' end",
    )
    assert.equal(formatExpr(parseExpression('A AnD NOT b Or TRUE')), '((A and (not b)) or true)')
    assert.equal(formatExpr(parseExpression("x NOT IN (NULL) And y LIKE 'a'")), "((x not in (null)) and (y like 'a'))")
  })

  it('reads literals: escaped quotes, decimals, typed dates, normalised datetimes', () => {
    const literal = (text: string) => {
      const node = parseExpression(text)
      assert.ok(LiteralNode.is(node))
      return [node.type, node.value]
    }
    assert.deepEqual(literal("'it''s'"), ['string', "it's"])
    assert.deepEqual(literal("''"), ['string', ''])
    assert.deepEqual(literal('0042'), ['integer', 42])
    assert.deepEqual(literal('1.50'), ['number', 1.5])
    assert.deepEqual(literal('-7'), ['integer', -7])
    assert.deepEqual(literal('null'), ['null', null])
    assert.deepEqual(literal('False'), ['boolean', false])
    assert.deepEqual(literal("date '2024-02-29'"), ['date', '2024-02-29'])
    assert.deepEqual(literal("DATETIME '2026-01-31T10:00:00+01:00'"), ['datetime', '2026-01-31T09:00:00.000Z'])
    assert.deepEqual(literal("datetime '2026-01-31 10:00:00.123456Z'"), ['datetime', '2026-01-31T10:00:00.123Z'])
  })

  it('reads columns, alias.column, quoted identifiers, parameters and calls', () => {
    assert.equal(formatExpr(parseExpression('e.first_name')), 'e.first_name')
    assert.equal(formatExpr(parseExpression('"first name" || e."x""y"')), '("first name" || e."x""y")')
    assert.equal(formatExpr(parseExpression('"and" = date')), '("and" = date)')
    assert.equal(formatExpr(parseExpression('Zoë_1 = :dept')), '(Zoë_1 = :dept)')
    assert.equal(formatExpr(parseExpression('LOWER(x) || Today()')), '(lower(x) || today())')
  })

  it('gives every node a span with line and column', () => {
    const node = parseExpression("a = 1\n  and lower(\n    name) = 'x'")
    assert.equal(node.kind, 'Binary')
    assert.deepEqual(node.span, { offset: 0, length: 34, line: 1, column: 1 })
    const right = node.kind === 'Binary' ? node.right : node
    assert.deepEqual(right.span, { offset: 12, length: 22, line: 2, column: 7 })
  })

  const errors: { text: string; code: string; at: string; message: string; excerpt: string }[] = [
    {
      text: 'lower(s',
      code: 'EXPR_SYNTAX',
      at: '1:8',
      message: "Expected ')' to close the '(' at 1:6, found the end of the expression.",
      excerpt: 'lower(s\n       ^',
    },
    {
      text: "s = 'abc",
      code: 'EXPR_SYNTAX',
      at: '1:5',
      message: 'The string starting here is not closed.',
      excerpt: "s = 'abc\n    ^^^^",
    },
    {
      text: 's = "abc',
      code: 'EXPR_SYNTAX',
      at: '1:5',
      message: 'The quoted identifier starting here is not closed.',
      excerpt: 's = "abc\n    ^^^^',
    },
    { text: 'a ! b', code: 'EXPR_SYNTAX', at: '1:3', message: "Unexpected character '!'.", excerpt: 'a ! b\n  ^' },
    {
      text: '1 --2',
      code: 'EXPR_SYNTAX',
      at: '1:3',
      message: "'--' starts a comment in SQL, but expressions have no comments.",
      excerpt: '1 --2\n  ^^',
    },
    {
      text: 's ==',
      code: 'EXPR_SYNTAX',
      at: '1:4',
      message: "Expected a value, a column or a function call, found '='.",
      excerpt: 's ==\n   ^',
    },
    {
      text: 'a < b < c',
      code: 'EXPR_SYNTAX',
      at: '1:7',
      message: 'Comparisons cannot be chained.',
      excerpt: 'a < b < c\n      ^',
    },
    {
      text: 'case when a then b',
      code: 'EXPR_SYNTAX',
      at: '1:19',
      message: "Expected 'end' to close the 'case' at 1:1, found the end of the expression.",
      excerpt: 'case when a then b\n                  ^',
    },
    {
      text: 'case end',
      code: 'EXPR_SYNTAX',
      at: '1:6',
      message: "Expected 'when' in the case expression, found 'end'.",
      excerpt: 'case end\n     ^^^',
    },
    {
      text: 's in ()',
      code: 'EXPR_SYNTAX',
      at: '1:7',
      message: "The list after 'in' is empty.",
      excerpt: 's in ()\n      ^',
    },
    {
      text: 'x is nul',
      code: 'EXPR_SYNTAX',
      at: '1:6',
      message: "Expected 'null' after 'is', found 'nul'.",
      excerpt: 'x is nul\n     ^^^',
    },
    { text: ':', code: 'EXPR_SYNTAX', at: '1:1', message: "Expected a parameter name after ':'.", excerpt: ':\n^' },
    {
      text: 'lower(s,)',
      code: 'EXPR_SYNTAX',
      at: '1:9',
      message: "Expected a value, a column or a function call, found ')'.",
      excerpt: 'lower(s,)\n        ^',
    },
    {
      text: 'e.',
      code: 'EXPR_SYNTAX',
      at: '1:3',
      message: "Expected a column name after 'e.', found the end of the expression.",
      excerpt: 'e.\n  ^',
    },
    {
      text: 'a b',
      code: 'EXPR_SYNTAX',
      at: '1:3',
      message: "Unexpected 'b' after the end of the expression.",
      excerpt: 'a b\n  ^',
    },
    {
      text: 'and s',
      code: 'EXPR_SYNTAX',
      at: '1:1',
      message: "Expected a value, a column or a function call, found 'and'.",
      excerpt: 'and s\n^^^',
    },
    {
      text: "s = 1 and\n  (t = 'x' or",
      code: 'EXPR_SYNTAX',
      at: '2:14',
      message: 'Expected a value, a column or a function call, found the end of the expression.',
      excerpt: "  (t = 'x' or\n             ^",
    },
    {
      text: "\tname = 'Zoë' and 😀",
      code: 'EXPR_SYNTAX',
      at: '1:19',
      message: "Unexpected character '😀'.",
      excerpt: "\tname = 'Zoë' and 😀\n\t                 ^^",
    },
    {
      text: "date '2026-02-30'",
      code: 'EXPR_INVALID_LITERAL',
      at: '1:6',
      message: "'2026-02-30' is not a valid date.",
      excerpt: "date '2026-02-30'\n     ^^^^^^^^^^^^",
    },
    {
      text: "datetime '2026-01-31T10:00'",
      code: 'EXPR_INVALID_LITERAL',
      at: '1:10',
      message: "'2026-01-31T10:00' is not a valid datetime.",
      excerpt: "datetime '2026-01-31T10:00'\n         ^^^^^^^^^^^^^^^^^^",
    },
    {
      text: '9007199254740993',
      code: 'EXPR_INVALID_LITERAL',
      at: '1:1',
      message: 'The integer 9007199254740993 is too large.',
      excerpt: '9007199254740993\n^^^^^^^^^^^^^^^^',
    },
  ]
  for (const e of errors) {
    it(`reports ${e.code} at ${e.at} for ${JSON.stringify(e.text)}`, () => {
      const issue = parseIssue(e.text)
      assert.deepEqual(
        [issue.code, `${issue.line}:${issue.column}`, issue.message, issue.excerpt],
        [e.code, e.at, e.message, e.excerpt],
      )
    })
  }

  it('throws a ProvisioError whose message is the issue and whose hint says what to do', () => {
    try {
      parseExpression("s = 'abc")
      assert.fail('parsed')
    } catch (error) {
      assert.ok(isProvisioError(error))
      assert.equal(error.code, 'EXPR_SYNTAX')
      assert.equal(error.message, 'The string starting here is not closed.')
      assert.equal(error.hint, "Add the closing '; write '' for a ' inside it.")
      assert.equal(error.audience, 'user')
    }
  })
})
