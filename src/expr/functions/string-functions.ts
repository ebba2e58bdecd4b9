/** String functions: case, trimming, slicing, searching, concatenation. */
import { type Fragment, param, raw, sql } from '../sql/fragment.ts'
import { sqliteCall } from '../sql/sqlite-functions.ts'
import * as rt from '../runtime/strings.ts'
import { type FunctionDefinition, type SqlArg, p } from './definition.ts'
import { at, list, native, num, str, udf } from './helpers.ts'

const STRICT = 'Null if any argument is null.'
const text = p('text', 'string')

/**
 * PostgreSQL's lower()/upper() follow the collation; ICU's root locale ("und-x-icu") gives the full
 * Unicode mapping that JavaScript's toLowerCase() uses (ß → SS, final sigma), whatever the database
 * default is. https://www.postgresql.org/docs/current/collation.html#COLLATION-MANAGING-PREDEFINED-ICU
 */
const ICU = raw(' COLLATE "und-x-icu"')

/**
 * A count clamped at 0, as int4. PostgreSQL raises an error for a negative substr() length and reads
 * negative left()/right() counts from the other end. Not greatest(), which would turn null into 0.
 */
function nonNegative(count: Fragment): Fragment {
  return sql`CASE WHEN (${count}) < 0 THEN 0 ELSE (${count})::int END`
}

function trimFunction(name: 'trim' | 'ltrim' | 'rtrim', side: rt.Side, where: string): FunctionDefinition {
  const chars = param(rt.TRIM_CHARACTERS, 'string')
  return {
    name,
    family: 'string',
    signatures: [{ params: [text], returns: 'string' }],
    summary: `Removes spaces, tabs, line breaks (CR, LF, VT, FF) and no-break spaces from ${where}.`,
    nulls: STRICT,
    examples: [{ expr: `${name}('  Ann  ')`, result: side === 'both' ? 'Ann' : side === 'left' ? 'Ann  ' : '  Ann' }],
    js: ([s]) => rt.trim(str(s), side),
    sql: {
      // https://www.sqlite.org/lang_corefunc.html#trim — with a character set so it trims more than spaces.
      sqlite: (args) => sql`${raw(`${name}(`)}${at(args, 0)}, ${chars})`,
      postgres: (args) => sql`${raw(`${name === 'trim' ? 'btrim' : name}(`)}${at(args, 0)}, ${chars})`,
    },
  }
}

/**
 * escape_dn on PostgreSQL, three nested regexp_replace() calls so that the argument is evaluated
 * once: a backslash before every special character (`" + , ; < > = \`), then before the trailing
 * space of a value longer than one character, then before a leading `#` or space (so a value of one
 * space gets one backslash, as escapeDnValue gives it). PostgreSQL text cannot hold NUL, so the
 * `\00` rule has nothing to do there. In a replacement, `\&` is the match, `\1` the group, `\\` a
 * backslash. https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-POSIX-REGEXP
 */
function escapeDnPostgres(args: readonly SqlArg[]): Fragment {
  const re = (value: Fragment, pattern: string, replacement: string, flags: Fragment) =>
    sql`regexp_replace(${value}, ${param(pattern, 'string')}, ${param(replacement, 'string')}${flags})`
  const specials = re(at(args, 0), String.raw`["+,;<>=\\]`, String.raw`\\\&`, raw(`, 'g'`))
  const trailing = re(specials, '(.) $', String.raw`\1\\ `, raw(''))
  return re(trailing, '^[# ]', String.raw`\\\&`, raw(''))
}

export const STRING_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'lower',
    family: 'string',
    signatures: [{ params: [text], returns: 'string' }],
    summary: 'Lower case, by the full Unicode rules (É → é, Σ at the end of a word → ς).',
    nulls: STRICT,
    notes:
      'PostgreSQL must be built with ICU (the collation "und-x-icu"); SQLite uses provisio_lower because its own lower() folds only ASCII.',
    examples: [{ expr: "lower('ÉCOLE Straße')", result: 'école straße' }],
    js: ([s]) => rt.lower(str(s)),
    sql: { sqlite: udf('provisio_lower'), postgres: (args) => sql`lower((${at(args, 0)})${ICU})` },
  },
  {
    name: 'upper',
    family: 'string',
    signatures: [{ params: [text], returns: 'string' }],
    summary: 'Upper case, by the full Unicode rules (ß → SS).',
    nulls: STRICT,
    notes: 'See lower().',
    examples: [{ expr: "upper('straße')", result: 'STRASSE' }],
    js: ([s]) => rt.upper(str(s)),
    sql: { sqlite: udf('provisio_upper'), postgres: (args) => sql`upper((${at(args, 0)})${ICU})` },
  },
  trimFunction('trim', 'both', 'both ends'),
  trimFunction('ltrim', 'left', 'the start'),
  trimFunction('rtrim', 'right', 'the end'),
  {
    name: 'length',
    family: 'string',
    signatures: [
      { params: [text], returns: 'integer' },
      { params: [p('values', 'string[]')], returns: 'integer' },
    ],
    summary: 'The number of characters (code points) of a string, or the number of values of a multi-valued column.',
    nulls: STRICT,
    notes: 'An emoji counts 1; a letter with a separate combining mark counts 2.',
    examples: [
      { expr: "length('Zoë')", result: 3 },
      { expr: "length('')", result: 0 },
    ],
    js: ([s], _, types) => (types[0] === 'string[]' ? rt.arrayLength(list(s)) : rt.length(str(s))),
    sql: {
      sqlite: (args) =>
        args[0]?.type === 'string[]' ? sql`json_array_length(${at(args, 0)})` : sql`length(${at(args, 0)})`,
      postgres: (args) =>
        args[0]?.type === 'string[]' ? sql`jsonb_array_length((${at(args, 0)})::jsonb)` : sql`length(${at(args, 0)})`,
    },
  },
  {
    name: 'substr',
    family: 'string',
    signatures: [
      { params: [text, p('start', 'integer'), p('count', 'integer', { optional: true })], returns: 'string' },
    ],
    summary:
      'The characters from position `start` (1 is the first), `count` of them or up to the end. Positions before 1 count toward `count` but yield nothing; a negative `count` gives an empty string.',
    nulls: STRICT,
    examples: [
      { expr: "substr('Johnson', 1, 4)", result: 'John' },
      { expr: "substr('Johnson', 5)", result: 'son' },
      { expr: "substr('Johnson', 0, 2)", result: 'J' },
    ],
    js: ([s, start, count]) => rt.substr(str(s), num(start), count === undefined ? undefined : num(count)),
    sql: {
      sqlite: udf('provisio_substr'),
      postgres: (args) =>
        args.length === 2
          ? sql`substr(${at(args, 0)}, (${at(args, 1)})::int)`
          : sql`substr(${at(args, 0)}, (${at(args, 1)})::int, ${nonNegative(at(args, 2))})`,
    },
  },
  {
    name: 'left',
    family: 'string',
    signatures: [{ params: [text, p('count', 'integer')], returns: 'string' }],
    summary: 'The first `count` characters; empty when `count` is 0 or less.',
    nulls: STRICT,
    examples: [{ expr: "left('Łukasz', 1)", result: 'Ł' }],
    js: ([s, n]) => rt.left(str(s), num(n)),
    sql: { sqlite: udf('provisio_left'), postgres: (args) => sql`left(${at(args, 0)}, ${nonNegative(at(args, 1))})` },
  },
  {
    name: 'right',
    family: 'string',
    signatures: [{ params: [text, p('count', 'integer')], returns: 'string' }],
    summary: 'The last `count` characters; empty when `count` is 0 or less.',
    nulls: STRICT,
    examples: [{ expr: "right('00123', 3)", result: '123' }],
    js: ([s, n]) => rt.right(str(s), num(n)),
    sql: { sqlite: udf('provisio_right'), postgres: (args) => sql`right(${at(args, 0)}, ${nonNegative(at(args, 1))})` },
  },
  {
    name: 'replace',
    family: 'string',
    signatures: [{ params: [text, p('from', 'string'), p('to', 'string')], returns: 'string' }],
    summary: 'Replaces every occurrence of `from` by `to` (case-sensitive); an empty `from` changes nothing.',
    nulls: STRICT,
    examples: [{ expr: "replace('van der Berg', ' ', '')", result: 'vanderBerg' }],
    js: ([s, a, b]) => rt.replace(str(s), str(a), str(b)),
    sql: { sqlite: native('replace'), postgres: native('replace') },
  },
  {
    name: 'concat',
    family: 'string',
    signatures: [{ params: [p('values', ['string', 'integer'], { variadic: true })], returns: 'string' }],
    summary: 'Joins strings and integers into one string.',
    nulls: 'Null arguments count as empty strings; the result is never null. (The || operator gives null instead.)',
    examples: [{ expr: "concat('a', null, 1)", result: 'a1' }],
    js: (args) => rt.concat(args),
    sql: {
      // https://www.sqlite.org/lang_corefunc.html#concat (SQLite 3.44+, bundled with better-sqlite3)
      sqlite: native('concat'),
      postgres: native('concat'),
    },
  },
  {
    name: 'starts_with',
    family: 'string',
    signatures: [{ params: [text, p('prefix', 'string')], returns: 'boolean' }],
    summary: 'Whether `text` starts with `prefix` (case-sensitive). Every string starts with the empty string.',
    nulls: STRICT,
    examples: [{ expr: "starts_with('OU=Staff', 'OU=')", result: true }],
    js: ([s, x]) => rt.startsWith(str(s), str(x)),
    // instr() finds the first occurrence, so position 1 means "starts with".
    sql: { sqlite: (args) => sql`(instr(${at(args, 0)}, ${at(args, 1)}) = 1)`, postgres: native('starts_with') },
  },
  {
    name: 'ends_with',
    family: 'string',
    signatures: [{ params: [text, p('suffix', 'string')], returns: 'boolean' }],
    summary: 'Whether `text` ends with `suffix` (case-sensitive).',
    nulls: STRICT,
    examples: [{ expr: "ends_with('ann@example.com', '@example.com')", result: true }],
    js: ([s, x]) => rt.endsWith(str(s), str(x)),
    sql: {
      sqlite: udf('provisio_ends_with'),
      postgres: (args) => sql`(right(${at(args, 0)}, length(${at(args, 1)})) = ${at(args, 1)})`,
    },
  },
  {
    name: 'contains',
    family: 'string',
    signatures: [
      { params: [text, p('part', 'string')], returns: 'boolean' },
      { params: [p('values', 'string[]'), p('value', 'string')], returns: 'boolean' },
    ],
    summary: 'Whether `text` contains `part` (case-sensitive), or whether a multi-valued column holds `value`.',
    nulls: STRICT,
    examples: [{ expr: "contains('Finance & Control', 'Control')", result: true }],
    js: ([s, x], _, types) =>
      types[0] === 'string[]' ? rt.arrayContains(list(s), str(x)) : rt.contains(str(s), str(x)),
    sql: {
      sqlite: (args) =>
        args[0]?.type === 'string[]'
          ? sqliteCall('provisio_array_contains', [at(args, 0), at(args, 1)])
          : sql`(instr(${at(args, 0)}, ${at(args, 1)}) > 0)`,
      // jsonb @> with a scalar on the right tests array membership: https://www.postgresql.org/docs/current/datatype-json.html#JSON-CONTAINMENT
      postgres: (args) =>
        args[0]?.type === 'string[]'
          ? sql`((${at(args, 0)})::jsonb @> to_jsonb(${at(args, 1)}))`
          : sql`(strpos(${at(args, 0)}, ${at(args, 1)}) > 0)`,
    },
  },
  {
    name: 'split',
    family: 'string',
    signatures: [{ params: [text, p('separator', 'string'), p('index', 'integer')], returns: 'string' }],
    summary:
      'The `index`-th part (1 is the first) of `text` cut at every `separator`; empty past the last part. An empty separator leaves the text whole.',
    nulls: `${STRICT} Also null when \`index\` is below 1.`,
    examples: [
      { expr: "split('ann.smith@example.com', '@', 2)", result: 'example.com' },
      { expr: "split('a,b', ',', 3)", result: '' },
    ],
    js: ([s, sep, i]) => rt.split(str(s), str(sep), num(i)),
    sql: {
      sqlite: udf('provisio_split'),
      postgres: (args) =>
        sql`CASE WHEN (${at(args, 2)}) >= 1 THEN split_part(${at(args, 0)}, ${at(args, 1)}, (${at(args, 2)})::int) END`,
    },
  },
  {
    name: 'escape_dn',
    family: 'string',
    signatures: [{ params: [text], returns: 'string' }],
    summary:
      "The text escaped as an attribute value of an LDAP distinguished name (RFC 4514): a backslash before `\" + , ; < > \\ =`, before a leading `#` or space and before a trailing space; NUL becomes `\\00`. Build DNs with it: `'OU=' || escape_dn(d.name) || ',DC=example,DC=test'`.",
    nulls: STRICT,
    notes:
      'Exactly the escaping the LDAP connector applies to the DNs it builds (src/core/dn-escape.ts). Other characters, letters with accents included, stay as they are. Escape each value, never a whole DN: the commas between its parts must stay. SQLite runs provisio_escape_dn (its own string functions stop at a NUL); PostgreSQL nests regexp_replace().',
    examples: [
      { expr: "escape_dn('Sales, Marketing & PR')", result: 'Sales\\, Marketing & PR' },
      { expr: "escape_dn('#1 Team ')", result: '\\#1 Team\\ ' },
      { expr: "escape_dn('Zoë')", result: 'Zoë' },
    ],
    js: ([s]) => rt.escapeDn(str(s)),
    sql: { sqlite: udf('provisio_escape_dn'), postgres: escapeDnPostgres },
  },
]
