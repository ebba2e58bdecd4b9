import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isProvisioError } from '../core/index.ts'
import { parseExpression } from './parser.ts'
import type { Scope } from './scope.ts'
import { checkExpression, typeCheck } from './type-check.ts'

const scope: Scope = {
  aliases: {
    e: {
      employee_id: 'string',
      first_name: 'string',
      last_name: 'string',
      birth_date: 'date',
      hired_at: 'datetime',
      active: 'boolean',
      salary: 'number',
      grade: 'integer',
      groups: 'string[]',
      department: 'string',
    },
    d: { department: 'string', name: 'string', manager_id: 'string' },
  },
  defaultAlias: 'e',
  parameters: { dept: 'string', since: 'date' },
}

function typeOf(text: string): string {
  return typeCheck(parseExpression(text), scope).type
}

describe('typeCheck', () => {
  const types: [string, string][] = [
    ["first_name || ' ' || last_name", 'string'],
    ['grade + 1', 'integer'],
    ['grade + salary', 'number'],
    ['grade / 2', 'number'],
    ['-grade', 'integer'],
    ['active and grade > 3', 'boolean'],
    ['birth_date < :since', 'boolean'],
    ['case when active then grade else salary end', 'number'],
    ["case when active then 'a' end", 'string'],
    ['coalesce(null, grade, 2.5)', 'number'],
    ['null', 'null'],
    ["if(active, null, 'x')", 'string'],
    ['length(groups)', 'integer'],
    ["contains(groups, 'admins')", 'boolean'],
    ["date_add(hired_at, 2, 'hour')", 'datetime'],
    ["date_add(birth_date, 2, 'year')", 'date'],
    ['today()', 'date'],
    ['year(hired_at)', 'integer'],
    ['grade in (1, 2.5, null)', 'boolean'],
    ['hash(employee_id)', 'string'],
  ]
  for (const [text, type] of types) it(`types ${text} as ${type}`, () => assert.equal(typeOf(text), type))

  it('resolves bare columns to the default alias first, then to the one alias that has them', () => {
    const typed = typeCheck(
      parseExpression('department = d.department and manager_id = employee_id and e.active'),
      scope,
    )
    assert.deepEqual(typed.columns, [
      { alias: 'e', column: 'department' },
      { alias: 'd', column: 'department' },
      { alias: 'd', column: 'manager_id' },
      { alias: 'e', column: 'employee_id' },
      { alias: 'e', column: 'active' },
    ])
  })

  it('lists the parameters an expression uses', () => {
    assert.deepEqual(
      typeCheck(parseExpression('department = :dept and birth_date > :since and department <> :dept'), scope)
        .parameters,
      ['dept', 'since'],
    )
  })

  const errors: {
    text: string
    code: string
    at: string
    message: string
    hint: string | undefined
    excerpt: string
  }[] = [
    {
      text: "emial = 'x'",
      code: 'EXPR_UNKNOWN_COLUMN',
      at: '1:1',
      message: "There is no column 'emial'.",
      hint: 'Available: employee_id, first_name, last_name, birth_date, hired_at, active, salary, grade, groups, department, d.department, d.name and 1 more.',
      excerpt: "emial = 'x'\n^^^^^",
    },
    {
      text: "frist_name = 'x'",
      code: 'EXPR_UNKNOWN_COLUMN',
      at: '1:1',
      message: "There is no column 'frist_name'.",
      hint: "Did you mean 'first_name'?",
      excerpt: "frist_name = 'x'\n^^^^^^^^^^",
    },
    {
      text: 'lower(d.nmae)',
      code: 'EXPR_UNKNOWN_COLUMN',
      at: '1:7',
      message: "'d' has no column 'nmae'.",
      hint: "Did you mean 'name'?",
      excerpt: 'lower(d.nmae)\n      ^^^^^^',
    },
    {
      text: 'x.name',
      code: 'EXPR_UNKNOWN_ALIAS',
      at: '1:1',
      message: "There is no table alias 'x'.",
      hint: "Did you mean 'e'?",
      excerpt: 'x.name\n^^^^^^',
    },
    {
      text: 'name = "Bob"',
      code: 'EXPR_UNKNOWN_COLUMN',
      at: '1:8',
      message: "There is no column 'Bob'.",
      hint: "Available: employee_id, first_name, last_name, birth_date, hired_at, active, salary, grade, groups, department, d.department, d.name and 1 more. Text in double quotes names a column; write strings in 'single quotes'.",
      excerpt: 'name = "Bob"\n       ^^^^^',
    },
    {
      text: 'lowr(first_name)',
      code: 'EXPR_UNKNOWN_FUNCTION',
      at: '1:1',
      message: "There is no function 'lowr'.",
      hint: "Did you mean 'lower'?",
      excerpt: 'lowr(first_name)\n^^^^',
    },
    {
      text: ':dep = department',
      code: 'EXPR_UNKNOWN_PARAMETER',
      at: '1:1',
      message: "The parameter ':dep' is not declared.",
      hint: 'Declared: :dept, :since.',
      excerpt: ':dep = department\n^^^^',
    },
    {
      text: "birth_date = '1990-05-10'",
      code: 'EXPR_TYPE_MISMATCH',
      at: '1:1',
      message: 'Cannot compare date with string.',
      hint: "Write a date as date '2026-01-31' (or datetime '2026-01-31T10:00:00Z'), or convert text with to_date(text, 'YYYY-MM-DD').",
      excerpt: "birth_date = '1990-05-10'\n^^^^^^^^^^^^^^^^^^^^^^^^^",
    },
    {
      text: 'hired_at > birth_date',
      code: 'EXPR_TYPE_MISMATCH',
      at: '1:1',
      message: 'Cannot compare datetime with date.',
      hint: 'Convert the datetime with to_date(datetime), which takes its date in the time zone of the compile options.',
      excerpt: 'hired_at > birth_date\n^^^^^^^^^^^^^^^^^^^^^',
    },
    {
      text: "groups = 'admins'",
      code: 'EXPR_TYPE_MISMATCH',
      at: '1:1',
      message: 'Cannot compare string[] with string.',
      hint: "Test a multi-valued column with contains(column, 'value').",
      excerpt: "groups = 'admins'\n^^^^^^^^^^^^^^^^^",
    },
    {
      text: "first_name + ' '",
      code: 'EXPR_TYPE_MISMATCH',
      at: '1:1',
      message: "'+' needs numbers, got string.",
      hint: "Join text with '||'.",
      excerpt: "first_name + ' '\n^^^^^^^^^^",
    },
    {
      text: 'birth_date + 1',
      code: 'EXPR_TYPE_MISMATCH',
      at: '1:1',
      message: "'+' needs numbers, got date.",
      hint: "Use date_add(date, n, 'day') and date_diff('day', a, b).",
      excerpt: 'birth_date + 1\n^^^^^^^^^^',
    },
    {
      text: 'active and first_name',
      code: 'EXPR_TYPE_MISMATCH',
      at: '1:12',
      message: "The right side of 'and' must be boolean, got string.",
      hint: undefined,
      excerpt: 'active and first_name\n           ^^^^^^^^^^',
    },
    {
      text: "case when active then 1 else 'x' end",
      code: 'EXPR_TYPE_MISMATCH',
      at: '1:30',
      message: "The results of 'case' must have compatible types: integer and string.",
      hint: undefined,
      excerpt: "case when active then 1 else 'x' end\n                             ^^^",
    },
    {
      text: 'coalesce(first_name, grade)',
      code: 'EXPR_TYPE_MISMATCH',
      at: '1:1',
      message: 'The arguments of coalesce() must have compatible types, got string and integer.',
      hint: undefined,
      excerpt: 'coalesce(first_name, grade)\n^^^^^^^^^^^^^^^^^^^^^^^^^^^',
    },
    {
      text: 'lower(grade)',
      code: 'EXPR_ARGUMENT_TYPE',
      at: '1:7',
      message: 'Argument 1 (text) of lower() must be string, got integer.',
      hint: undefined,
      excerpt: 'lower(grade)\n      ^^^^^',
    },
    {
      text: "date_diff('day', birth_date, hired_at)",
      code: 'EXPR_ARGUMENT_TYPE',
      at: '1:1',
      message: 'date_diff() does not accept (string, date, datetime).',
      hint: 'Write date_diff(unit string, from date, to date) or date_diff(unit string, from datetime, to datetime).',
      excerpt: "date_diff('day', birth_date, hired_at)\n^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    },
    {
      text: 'substr(first_name)',
      code: 'EXPR_ARGUMENT_COUNT',
      at: '1:1',
      message: 'substr() takes 2 or 3 arguments, got 1.',
      hint: 'Write substr(text string, start integer, [count integer]).',
      excerpt: 'substr(first_name)\n^^^^^^^^^^^^^^^^^^',
    },
    {
      text: 'today(1)',
      code: 'EXPR_ARGUMENT_COUNT',
      at: '1:1',
      message: 'today() takes 0 arguments, got 1.',
      hint: 'Write today().',
      excerpt: 'today(1)\n^^^^^^^^',
    },
    {
      text: 'date_add(birth_date, 1, first_name)',
      code: 'EXPR_CONSTANT_REQUIRED',
      at: '1:25',
      message: 'Argument 3 (unit) of date_add() must be a string literal.',
      hint: undefined,
      excerpt: 'date_add(birth_date, 1, first_name)\n                        ^^^^^^^^^^',
    },
    {
      text: "date_add(birth_date, 1, 'months')",
      code: 'EXPR_INVALID_ARGUMENT',
      at: '1:25',
      message: "'months' is not a valid unit for date_add().",
      hint: "Did you mean 'month'? Accepted: 'day', 'month', 'year'.",
      excerpt: "date_add(birth_date, 1, 'months')\n                        ^^^^^^^^",
    },
    {
      text: "date_add(birth_date, 1, 'hour')",
      code: 'EXPR_INVALID_ARGUMENT',
      at: '1:25',
      message: "'hour' is not a valid unit for date_add().",
      hint: "Accepted: 'day', 'month', 'year'.",
      excerpt: "date_add(birth_date, 1, 'hour')\n                        ^^^^^^",
    },
    {
      text: "regex_match(first_name, '^(?<name>x)')",
      code: 'EXPR_INVALID_REGEX',
      at: '1:27',
      message:
        'The regular expression is not valid here: Only (?:…), (?=…), (?!…), (?<=…) and (?<!…) are portable; named groups and inline flags are not.',
      hint: undefined,
      excerpt: "regex_match(first_name, '^(?<name>x)')\n                          ^",
    },
    {
      text: "regex_match(first_name, 'it''s[[:alpha:]]')",
      code: 'EXPR_INVALID_REGEX',
      at: '1:32',
      message:
        "The regular expression is not valid here: Write \\[ for a '[' inside a [ ] class (POSIX classes such as [:alpha:] are not portable).",
      hint: undefined,
      excerpt: "regex_match(first_name, 'it''s[[:alpha:]]')\n                               ^",
    },
    {
      text: "regex_match(first_name, 'a{2,1}')",
      code: 'EXPR_INVALID_REGEX',
      at: '1:27',
      message: 'The regular expression is not valid here: In {2,1} the maximum is smaller than the minimum.',
      hint: undefined,
      excerpt: "regex_match(first_name, 'a{2,1}')\n                          ^",
    },
    {
      text: "regex_match(first_name, '(a')",
      code: 'EXPR_INVALID_REGEX',
      at: '1:28',
      message: "The regular expression is not valid here: A '(' is not closed.",
      hint: undefined,
      excerpt: "regex_match(first_name, '(a')\n                           ^",
    },
    {
      text: "regex_replace(last_name, '(a)', '$2')",
      code: 'EXPR_INVALID_ARGUMENT',
      at: '1:34',
      message: 'The replacement is not valid: $2 refers to group 2, but the pattern has 1.',
      hint: 'Write $1…$9 for a group, $& for the whole match and $$ for a dollar sign.',
      excerpt: "regex_replace(last_name, '(a)', '$2')\n                                 ^",
    },
    {
      text: "to_date(employee_id, 'YYYY-MM')",
      code: 'EXPR_INVALID_ARGUMENT',
      at: '1:22',
      message: 'The format must contain DD exactly once; it contains it 0 times.',
      hint: 'Use the tokens YYYY, MM, DD, HH, mm and ss; other characters are copied.',
      excerpt: "to_date(employee_id, 'YYYY-MM')\n                     ^^^^^^^^^",
    },
    {
      text: "hash(employee_id, 'sha1')",
      code: 'EXPR_INVALID_ARGUMENT',
      at: '1:19',
      message: "'sha1' is not a valid algorithm for hash().",
      hint: "Did you mean 'sha512'? Accepted: 'sha256', 'sha512', 'md5'.",
      excerpt: "hash(employee_id, 'sha1')\n                  ^^^^^^",
    },
    {
      text: "first_name like 'a\\'",
      code: 'EXPR_INVALID_LITERAL',
      at: '1:17',
      message: 'The like pattern ends with a backslash that escapes nothing.',
      hint: "Write '\\\\' for a literal backslash.",
      excerpt: "first_name like 'a\\'\n                ^^^^",
    },
  ]
  for (const e of errors) {
    it(`reports ${e.code} for ${e.text}`, () => {
      const { expr, issues } = checkExpression(e.text, scope)
      assert.equal(expr, undefined)
      assert.equal(issues.length, 1, JSON.stringify(issues))
      const [issue] = issues
      assert.deepEqual(
        [issue!.code, `${issue!.line}:${issue!.column}`, issue!.message, issue!.hint, issue!.excerpt],
        [e.code, e.at, e.message, e.hint, e.excerpt],
      )
    })
  }

  it('reports the bare name that several aliases share as ambiguous', () => {
    const { issues } = checkExpression("name = 'x'", { aliases: { a: { name: 'string' }, b: { name: 'string' } } })
    assert.deepEqual(
      issues.map((i) => [i.code, i.message, i.hint]),
      [['EXPR_AMBIGUOUS_COLUMN', "The column 'name' exists in more than one table.", 'Write one of: a.name, b.name.']],
    )
  })

  it('reports every problem at once, without follow-up errors from the first', () => {
    const { issues } = checkExpression("lowr(first_name) = 'x' and grade = 'high' and lower(nope) = lower(nope)", scope)
    assert.deepEqual(
      issues.map((i) => `${i.code} ${i.line}:${i.column}`),
      ['EXPR_UNKNOWN_FUNCTION 1:1', 'EXPR_TYPE_MISMATCH 1:28', 'EXPR_UNKNOWN_COLUMN 1:53', 'EXPR_UNKNOWN_COLUMN 1:67'],
    )
  })

  it('checks the expected type of the whole expression', () => {
    const { issues } = checkExpression('first_name', scope, { expectedType: 'boolean' })
    assert.deepEqual(
      issues.map((i) => [i.code, i.message]),
      [['EXPR_TYPE_MISMATCH', 'The expression must be boolean, got string.']],
    )
    assert.equal(checkExpression('active is null', scope, { expectedType: 'boolean' }).issues.length, 0)
  })

  it('returns syntax errors as issues instead of throwing', () => {
    const { expr, issues } = checkExpression('grade >', scope)
    assert.equal(expr, undefined)
    assert.deepEqual(
      issues.map((i) => i.code),
      ['EXPR_SYNTAX'],
    )
  })

  it('throws one ProvisioError that carries every issue', () => {
    assert.throws(
      () => typeCheck(parseExpression('nope = 1 and grade = :x'), scope),
      (error) => {
        assert.ok(isProvisioError(error))
        assert.equal(error.code, 'EXPR_UNKNOWN_COLUMN')
        assert.equal(error.message, "There is no column 'nope'. (and 1 more problem)")
        assert.deepEqual(
          error.issues.map((i) => i.code),
          ['EXPR_UNKNOWN_COLUMN', 'EXPR_UNKNOWN_PARAMETER'],
        )
        return true
      },
    )
  })
})
