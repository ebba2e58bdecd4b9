/** Null handling and conditionals. (`case … end` is syntax; see the docs.) */
import type { Value } from '../../core/index.ts'
import { sql } from '../sql/fragment.ts'
import { type FunctionDefinition, p } from './definition.ts'
import { at, native } from './helpers.ts'

function equal(a: Value, b: Value): boolean {
  return a === b
}

export const CONDITIONAL_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'coalesce',
    family: 'conditional',
    signatures: [{ params: [p('values', 'any', { variadic: true })], returns: { unify: 'all' } }],
    summary: 'The first argument that is not null. All arguments must have compatible types.',
    nulls: 'Null only when every argument is null.',
    examples: [{ expr: "coalesce(null, 'fallback')", result: 'fallback' }],
    js: (args) => args.find((v) => v !== null) ?? null,
    // SQLite's coalesce() wants at least two arguments (https://www.sqlite.org/lang_corefunc.html#coalesce).
    sql: {
      sqlite: (args, env) => (args.length === 1 ? at(args, 0) : native('coalesce')(args, env)),
      postgres: native('coalesce'),
    },
  },
  {
    name: 'nullif',
    family: 'conditional',
    signatures: [{ params: [p('value', 'any'), p('other', 'any')], returns: { unify: [0, 1] } }],
    summary:
      'Null when `value` equals `other`, otherwise `value`. Turns sentinel values such as empty strings into null.',
    nulls: 'A null `value` gives null; a null `other` never matches.',
    examples: [
      { expr: "nullif('', '')", result: null },
      { expr: "nullif('x', '')", result: 'x' },
    ],
    js: ([a, b]) => (a === undefined || a === null ? null : b !== undefined && b !== null && equal(a, b) ? null : a),
    sql: { sqlite: native('nullif'), postgres: native('nullif') },
  },
  {
    name: 'if',
    family: 'conditional',
    signatures: [
      { params: [p('condition', 'boolean'), p('then', 'any'), p('else', 'any')], returns: { unify: [1, 2] } },
    ],
    summary: '`then` when the condition is true, otherwise `else`. Short for `case when condition then … else … end`.',
    nulls: 'A null condition counts as false, so it gives `else`.',
    examples: [{ expr: "if(1 < 2, 'yes', 'no')", result: 'yes' }],
    js: ([c, a, b]) => (c === true ? (a ?? null) : (b ?? null)),
    sql: {
      sqlite: (args) => sql`CASE WHEN ${at(args, 0)} THEN ${at(args, 1)} ELSE ${at(args, 2)} END`,
      postgres: (args) => sql`CASE WHEN ${at(args, 0)} THEN ${at(args, 1)} ELSE ${at(args, 2)} END`,
    },
  },
]
