/**
 * Dates and datetimes: today(), now(), parts, and arithmetic. PostgreSQL SQL never depends on the
 * session's TimeZone: datetimes are shifted with `AT TIME ZONE` to UTC (arithmetic) or to the
 * compile option `timeZone` (parts), which is bound as a parameter.
 * https://www.postgresql.org/docs/current/functions-datetime.html
 */
import * as rt from '../runtime/date-arithmetic.ts'
import { type Fragment, param, raw, sql } from '../sql/fragment.ts'
import { sqliteCall } from '../sql/sqlite-functions.ts'
import { type FunctionDefinition, p, type SqlArg } from './definition.ts'
import { at, constant, num, str } from './helpers.ts'

const PART_POSITION = { year: [1, 4], month: [6, 2], day: [9, 2] } as const
/** make_interval() argument names: https://www.postgresql.org/docs/current/functions-datetime.html */
const INTERVAL_FIELD: Readonly<Record<rt.DateUnit, string>> = {
  second: 'secs',
  minute: 'mins',
  hour: 'hours',
  day: 'days',
  month: 'months',
  year: 'years',
}
const SECONDS: Readonly<Record<string, number>> = { second: 1, minute: 60, hour: 3600, day: 86400 }

function partFunction(part: rt.DatePart, example: number): FunctionDefinition {
  return {
    name: part,
    family: 'date',
    signatures: [
      { params: [p('date', 'date')], returns: 'integer' },
      { params: [p('datetime', 'datetime')], returns: 'integer' },
    ],
    summary: `The ${part} of a date, or of a datetime's wall-clock time in the compile option \`timeZone\`.`,
    nulls: 'Null if the argument is null.',
    examples: [{ expr: `${part}(date '2026-03-29')`, result: example }],
    js: ([v], env, types) =>
      types[0] === 'datetime' ? rt.datetimePart(part, str(v), env.timeZone) : rt.datePart(part, str(v)),
    sql: {
      sqlite: (args, env) => {
        if (args[0]?.type === 'datetime')
          return sqliteCall('provisio_datetime_part', [
            param(part, 'string'),
            at(args, 0),
            param(env.timeZone, 'string'),
          ])
        const [from, length] = PART_POSITION[part]
        return sql`CAST(substr(${at(args, 0)}, ${raw(`${from}, ${length}`)}) AS INTEGER)`
      },
      postgres: (args, env) => {
        const value =
          args[0]?.type === 'datetime'
            ? sql`(${at(args, 0)}) AT TIME ZONE ${param(env.timeZone, 'string')}`
            : at(args, 0)
        return sql`${raw(`extract(${part} from `)}${value})::int`
      },
    },
  }
}

function postgresDateAdd(args: readonly SqlArg[]): Fragment {
  const unit = constant(args, 2) as rt.DateUnit
  const n = unit === 'second' ? sql`(${at(args, 1)})::float8` : sql`(${at(args, 1)})::int`
  const interval = sql`make_interval(${raw(`${INTERVAL_FIELD[unit]} => `)}${n})`
  if (args[0]?.type !== 'datetime')
    return unit === 'day' ? sql`((${at(args, 0)}) + ${n})` : sql`((${at(args, 0)}) + ${interval})::date`
  return sql`((((${at(args, 0)}) AT TIME ZONE 'UTC') + ${interval}) AT TIME ZONE 'UTC')`
}

function postgresDateDiff(args: readonly SqlArg[]): Fragment {
  const unit = constant(args, 0)
  const [a, b] = [at(args, 1), at(args, 2)]
  if (args[1]?.type === 'datetime' || args[2]?.type === 'datetime') {
    return sql`trunc(extract(epoch from ((${b}) - (${a}))) / ${raw(String(SECONDS[unit]))})::int8`
  }
  if (unit === 'day') return sql`((${b}) - (${a}))`
  // age() subtracts field by field, borrowing a month when the day is smaller: whole months, truncated.
  const age = sql`age(${b}, ${a})`
  return unit === 'year'
    ? sql`extract(year from ${age})::int`
    : sql`(extract(year from ${age}) * 12 + extract(month from ${age}))::int`
}

export const DATE_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'today',
    family: 'date',
    signatures: [{ params: [], returns: 'date' }],
    summary: 'The current date in the compile option `timeZone` (default UTC), fixed when the expression is compiled.',
    nulls: 'Never null.',
    notes: 'Both backends receive the same value: SQL binds it as a parameter.',
    examples: [],
    js: (_, env) => env.today,
    sql: {
      sqlite: (_, env) => sql`${param(env.today, 'date')}`,
      postgres: (_, env) => sql`${param(env.today, 'date')}`,
    },
  },
  {
    name: 'now',
    family: 'date',
    signatures: [{ params: [], returns: 'datetime' }],
    summary: 'The current instant, fixed when the expression is compiled.',
    nulls: 'Never null.',
    examples: [],
    js: (_, env) => env.now,
    sql: {
      sqlite: (_, env) => sql`${param(env.now, 'datetime')}`,
      postgres: (_, env) => sql`${param(env.now, 'datetime')}`,
    },
  },
  partFunction('year', 2026),
  partFunction('month', 3),
  partFunction('day', 29),
  {
    name: 'date_add',
    family: 'date',
    signatures: [
      {
        params: [
          p('date', 'date'),
          p('count', 'integer'),
          p('unit', 'string', { constant: true, oneOf: rt.DATE_UNITS }),
        ],
        returns: 'date',
      },
      {
        params: [
          p('datetime', 'datetime'),
          p('count', 'integer'),
          p('unit', 'string', { constant: true, oneOf: rt.DATETIME_UNITS }),
        ],
        returns: 'datetime',
      },
    ],
    summary:
      "Adds `count` units (negative to subtract). Units: 'day', 'month', 'year', and for datetimes also 'hour', 'minute', 'second'. Adding months or years keeps the day but never passes the month's last day (31 January + 1 month = 28 or 29 February). Datetimes are shifted on the UTC calendar.",
    nulls: 'Null if the date or the count is null.',
    notes: 'Results outside the years 1–9999 are not supported (JS gives null, PostgreSQL an error).',
    examples: [
      { expr: "date_add(date '2026-01-31', 1, 'month')", result: '2026-02-28' },
      { expr: "date_add(date '2024-02-29', 1, 'year')", result: '2025-02-28' },
      { expr: "date_add(date '2026-03-01', -1, 'day')", result: '2026-02-28' },
    ],
    js: ([v, n, unit], _, types) =>
      types[0] === 'datetime'
        ? rt.datetimeAdd(str(v), num(n), unit as rt.DateUnit)
        : rt.dateAdd(str(v), num(n), unit as rt.DateUnit),
    sql: {
      sqlite: (args) =>
        sqliteCall(
          args[0]?.type === 'datetime' ? 'provisio_datetime_add' : 'provisio_date_add',
          args.map((a) => a.sql),
        ),
      postgres: postgresDateAdd,
    },
  },
  {
    name: 'date_diff',
    family: 'date',
    signatures: [
      {
        params: [
          p('unit', 'string', { constant: true, oneOf: rt.DATE_DIFF_UNITS }),
          p('from', 'date'),
          p('to', 'date'),
        ],
        returns: 'integer',
      },
      {
        params: [
          p('unit', 'string', { constant: true, oneOf: rt.DATETIME_DIFF_UNITS }),
          p('from', 'datetime'),
          p('to', 'datetime'),
        ],
        returns: 'integer',
      },
    ],
    summary:
      "Whole units from `from` to `to`, negative when `to` is earlier, truncated toward zero. Dates: 'day', 'month', 'year' (a month counts once the day of the month is reached again, so date_diff('year', birth_date, today()) is the age). Datetimes: 'day' (24 hours), 'hour', 'minute', 'second'.",
    nulls: 'Null if either date is null.',
    examples: [
      { expr: "date_diff('year', date '2000-02-29', date '2026-02-28')", result: 25 },
      { expr: "date_diff('month', date '2026-01-31', date '2026-02-28')", result: 0 },
      { expr: "date_diff('day', date '2026-03-01', date '2026-02-01')", result: -28 },
    ],
    js: ([unit, a, b], _, types) =>
      types.includes('datetime')
        ? rt.datetimeDiff(unit as 'day', str(a), str(b))
        : rt.dateDiff(unit as 'day', str(a), str(b)),
    sql: {
      sqlite: (args) =>
        sqliteCall(
          args[1]?.type === 'datetime' || args[2]?.type === 'datetime'
            ? 'provisio_datetime_diff'
            : 'provisio_date_diff',
          args.map((a) => a.sql),
        ),
      postgres: postgresDateDiff,
    },
  },
]
