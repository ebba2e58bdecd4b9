/** Formatting dates as text and reading dates from text, with the tokens YYYY MM DD HH mm ss. */
import type { Value } from '../../core/index.ts'
import { dateOf } from '../runtime/date-arithmetic.ts'
import { formatDate, toCharTemplate, toDate, toDateFormatProblem, toDatePattern } from '../runtime/date-format.ts'
import { type Fragment, param, sql } from '../sql/fragment.ts'
import { sqliteCall } from '../sql/sqlite-functions.ts'
import { type ArgumentProblem, type FunctionDefinition, p, type SqlArg } from './definition.ts'
import { at, constant, str } from './helpers.ts'

const HINT = 'Use the tokens YYYY, MM, DD, HH, mm and ss; other characters are copied.'

function checkFormat(format: Value | undefined, index: number): ArgumentProblem | undefined {
  return format === ''
    ? { index, code: 'EXPR_INVALID_ARGUMENT', message: 'The format is empty.', hint: HINT }
    : undefined
}

/**
 * PostgreSQL: regexp_match() cuts the text into year, month and day; the nested CASE checks the
 * day exists before make_date() sees it (make_date raises an error for 2026-02-30, and a CASE
 * branch whose condition folds to false is never evaluated, even for constants).
 */
function postgresToDate(args: readonly SqlArg[]): Fragment {
  const { pattern, year, month, day } = toDatePattern(constant(args, 1))
  const parts = sql`SELECT (provisio_r.m[${rawIndex(year)}])::int AS y, (provisio_r.m[${rawIndex(month)}])::int AS m, (provisio_r.m[${rawIndex(day)}])::int AS d FROM regexp_match(${at(args, 0)}, ${param(pattern, 'string')}) AS provisio_r(m)`
  const daysInMonth = sql`CASE WHEN provisio_p.m = 2 THEN CASE WHEN (provisio_p.y % 4 = 0 AND provisio_p.y % 100 <> 0) OR provisio_p.y % 400 = 0 THEN 29 ELSE 28 END WHEN provisio_p.m IN (4, 6, 9, 11) THEN 30 ELSE 31 END`
  return sql`(SELECT CASE WHEN provisio_p.y >= 1 AND provisio_p.m BETWEEN 1 AND 12 THEN CASE WHEN provisio_p.d BETWEEN 1 AND ${daysInMonth} THEN make_date(provisio_p.y, provisio_p.m, provisio_p.d) END END FROM (${parts}) AS provisio_p)`
}

function rawIndex(n: number): Fragment {
  return { kind: 'fragment', parts: [String(n)] }
}

export const DATE_FORMAT_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'format_date',
    family: 'date',
    signatures: [
      { params: [p('date', 'date'), p('format', 'string', { constant: true })], returns: 'string' },
      { params: [p('datetime', 'datetime'), p('format', 'string', { constant: true })], returns: 'string' },
    ],
    summary:
      'A date or datetime as text. Tokens: YYYY year, MM month, DD day, HH hour (00–23), mm minute, ss second, all zero-padded; anything else is copied. Datetimes show the wall-clock time in the compile option `timeZone`.',
    nulls: 'Null if the date is null.',
    examples: [
      { expr: "format_date(date '2026-01-31', 'DD-MM-YYYY')", result: '31-01-2026' },
      { expr: "format_date(datetime '2026-03-29T01:30:00Z', 'YYYY-MM-DD HH:mm')", result: '2026-03-29 01:30' },
    ],
    validate: ([, format]) => checkFormat(format, 1),
    js: ([v, format], env, types) => formatDate(str(v), types[0] === 'datetime', String(format), env.timeZone),
    sql: {
      sqlite: (args, env) =>
        args[0]?.type === 'datetime'
          ? sqliteCall('provisio_format_datetime', [at(args, 0), at(args, 1), param(env.timeZone, 'string')])
          : sqliteCall('provisio_format_date', [at(args, 0), at(args, 1)]),
      // https://www.postgresql.org/docs/current/functions-formatting.html
      postgres: (args, env) => {
        const template = param(toCharTemplate(constant(args, 1)), 'string')
        const value =
          args[0]?.type === 'datetime'
            ? sql`(${at(args, 0)}) AT TIME ZONE ${param(env.timeZone, 'string')}`
            : at(args, 0)
        return sql`to_char(${value}, ${template})`
      },
    },
  },
  {
    name: 'to_date',
    family: 'date',
    signatures: [
      { params: [p('text', 'string'), p('format', 'string', { constant: true })], returns: 'date' },
      { params: [p('datetime', 'datetime')], returns: 'date' },
    ],
    summary:
      'Reads a date written in `format`, which must contain YYYY, MM and DD once each (exactly 4, 2 and 2 digits); other characters must match literally. With a datetime: its date in the compile option `timeZone`.',
    nulls: 'Null if the text is null, does not match the format, or names a day that does not exist.',
    examples: [
      { expr: "to_date('31-01-2026', 'DD-MM-YYYY')", result: '2026-01-31' },
      { expr: "to_date('30-02-2026', 'DD-MM-YYYY')", result: null },
      { expr: "to_date(datetime '2026-03-28T23:30:00Z')", result: '2026-03-28' },
    ],
    validate: ([, format]) => {
      if (typeof format !== 'string') return undefined
      const problem = toDateFormatProblem(format)
      return problem === undefined
        ? undefined
        : { index: 1, code: 'EXPR_INVALID_ARGUMENT', message: problem, hint: HINT }
    },
    js: ([s, format], env, types) =>
      types[0] === 'datetime' ? dateOf(str(s), env.timeZone) : toDate(str(s), String(format)),
    sql: {
      sqlite: (args, env) =>
        args[0]?.type === 'datetime'
          ? sqliteCall('provisio_date_of', [at(args, 0), param(env.timeZone, 'string')])
          : sqliteCall('provisio_to_date', [at(args, 0), at(args, 1)]),
      postgres: (args, env) =>
        args[0]?.type === 'datetime'
          ? sql`((${at(args, 0)}) AT TIME ZONE ${param(env.timeZone, 'string')})::date`
          : postgresToDate(args),
    },
  },
]
