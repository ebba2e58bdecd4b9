/** Numeric functions. */
import { sql } from '../sql/fragment.ts'
import * as rt from '../runtime/numbers.ts'
import { type FunctionDefinition, p } from './definition.ts'
import { at, native, num, udf } from './helpers.ts'

const numeric = p('value', ['integer', 'number'])

export const NUMBER_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'abs',
    family: 'number',
    signatures: [{ params: [numeric], returns: { unify: [0] } }],
    summary: 'The absolute value.',
    nulls: 'Null if the value is null.',
    examples: [{ expr: 'abs(-2.5)', result: 2.5 }],
    js: ([x]) => rt.abs(num(x)),
    sql: { sqlite: native('abs'), postgres: native('abs') },
  },
  {
    name: 'round',
    family: 'number',
    signatures: [{ params: [numeric], returns: 'integer' }],
    summary: 'The nearest integer; halves round away from zero (2.5 → 3, -2.5 → -3).',
    nulls: 'Null if the value is null.',
    notes:
      'The value is first reduced to 15 significant digits, as PostgreSQL does when it converts a double to numeric.',
    examples: [
      { expr: 'round(2.5)', result: 3 },
      { expr: 'round(-2.5)', result: -3 },
    ],
    js: ([x]) => rt.round(num(x)),
    sql: { sqlite: udf('provisio_round'), postgres: (args) => sql`round((${at(args, 0)})::numeric)::int8` },
  },
  {
    name: 'floor',
    family: 'number',
    signatures: [{ params: [numeric], returns: 'integer' }],
    summary: 'The largest integer not above the value.',
    nulls: 'Null if the value is null.',
    examples: [{ expr: 'floor(-1.5)', result: -2 }],
    js: ([x]) => rt.floor(num(x)),
    sql: { sqlite: udf('provisio_floor'), postgres: (args) => sql`floor((${at(args, 0)})::float8)::int8` },
  },
  {
    name: 'ceil',
    family: 'number',
    signatures: [{ params: [numeric], returns: 'integer' }],
    summary: 'The smallest integer not below the value.',
    nulls: 'Null if the value is null.',
    examples: [{ expr: 'ceil(1.2)', result: 2 }],
    js: ([x]) => rt.ceil(num(x)),
    sql: { sqlite: udf('provisio_ceil'), postgres: (args) => sql`ceil((${at(args, 0)})::float8)::int8` },
  },
]
