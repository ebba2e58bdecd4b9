/** Conversions between types, and transliteration to ASCII. */
import { param, raw, sql, type Fragment } from '../sql/fragment.ts'
import { toInteger, INTEGER_TEXT } from '../runtime/numbers.ts'
import { transliterate, transliterationSteps } from '../transliterate.ts'
import { type FunctionDefinition, type SqlArg, p } from './definition.ts'
import { at, str, udf } from './helpers.ts'

function booleanText(value: Fragment): Fragment {
  return sql`CASE WHEN ${value} THEN 'true' WHEN NOT ${value} THEN 'false' END`
}

function toTextSql(dialect: 'sqlite' | 'postgres', args: readonly SqlArg[]): Fragment {
  const arg = at(args, 0)
  switch (args[0]?.type) {
    case 'integer':
      return dialect === 'sqlite' ? sql`CAST(${arg} AS TEXT)` : sql`(${arg})::text`
    case 'boolean':
      return booleanText(arg)
    case 'date':
      // to_char, not ::text, so the session's DateStyle cannot change the result.
      return dialect === 'sqlite' ? arg : sql`to_char(${arg}, 'YYYY-MM-DD')`
    case 'datetime':
      return dialect === 'sqlite' ? arg : sql`to_char((${arg}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    default:
      return arg
  }
}

/**
 * PostgreSQL: translate() for one-letter targets, then a replace() per multi-letter target; the
 * table is bound as parameters. https://www.postgresql.org/docs/current/functions-string.html
 */
function transliterateSql(args: readonly SqlArg[]): Fragment {
  const steps = transliterationSteps()
  let out = sql`translate(${at(args, 0)}, ${param(steps.from, 'string')}, ${param(steps.to, 'string')})`
  for (const [from, to] of steps.replacements)
    out = sql`replace(${out}, ${param(from, 'string')}, ${param(to, 'string')})`
  return out
}

export const CONVERSION_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'to_text',
    family: 'conversion',
    signatures: [{ params: [p('value', ['string', 'integer', 'boolean', 'date', 'datetime'])], returns: 'string' }],
    summary:
      "A value as text: integers in decimal, booleans as 'true'/'false', dates as YYYY-MM-DD, datetimes as YYYY-MM-DDTHH:MM:SS.sssZ (UTC). Use format_date() for other date layouts.",
    nulls: 'Null if the value is null.',
    notes: 'Numbers with decimals are not accepted: their text form differs between databases; use round() first.',
    examples: [
      { expr: 'to_text(42)', result: '42' },
      { expr: "to_text(date '2026-01-31')", result: '2026-01-31' },
    ],
    js: ([v]) => (v === null || v === undefined ? null : String(v)),
    sql: { sqlite: (args) => toTextSql('sqlite', args), postgres: (args) => toTextSql('postgres', args) },
  },
  {
    name: 'to_integer',
    family: 'conversion',
    signatures: [{ params: [p('text', 'string')], returns: 'integer' }],
    summary:
      'The integer written in `text`: an optional sign and 1 to 15 digits, nothing else (no spaces). Anything else gives null.',
    nulls: 'Null if the text is null or not an integer.',
    examples: [
      { expr: "to_integer('00123')", result: 123 },
      { expr: "to_integer('12a')", result: null },
    ],
    js: ([s]) => toInteger(str(s)),
    sql: {
      sqlite: udf('provisio_to_integer'),
      postgres: (args) => sql`CASE WHEN (${at(args, 0)}) ~ ${raw(`'${INTEGER_TEXT}'`)} THEN (${at(args, 0)})::int8 END`,
    },
  },
  {
    name: 'transliterate',
    aliases: ['ascii'],
    family: 'string',
    signatures: [{ params: [p('text', 'string')], returns: 'string' }],
    summary:
      'Replaces Latin letters with diacritics by ASCII (é → e, ß → ss, æ → ae, ø → o, ł → l, đ → d, þ → th) and removes combining accents. Other characters stay as they are.',
    nulls: 'Null if the text is null.',
    notes:
      'One table drives all backends (src/expr/transliterate.ts), so results are identical byte for byte. Cyrillic, Greek and other scripts are not transliterated.',
    examples: [
      { expr: "transliterate('Zoë Łukasz Ørsted-Straße')", result: 'Zoe Lukasz Orsted-Strasse' },
      { expr: "ascii('Þórður Đoković')", result: 'Thordur Dokovic' },
    ],
    js: ([s]) => transliterate(str(s)),
    sql: { sqlite: udf('provisio_transliterate'), postgres: transliterateSql },
  },
]
