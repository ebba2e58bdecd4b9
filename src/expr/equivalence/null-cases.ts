/**
 * Generated shared cases: every signature of every function called with null columns of the right
 * types (constant arguments get a valid literal). All give null except concat(), which gives ''.
 */
import type { ColumnType } from '../../core/index.ts'
import type { ParamSpec } from '../functions/definition.ts'
import { listFunctions } from '../functions/registry.ts'
import { type EquivalenceCase, eq } from './equivalence-case.ts'

const NULL_COLUMN: Readonly<Record<ColumnType, string>> = {
  string: 's',
  integer: 'i',
  number: 'n',
  boolean: 'b',
  date: 'd',
  datetime: 'dt',
  'string[]': 'tags',
}
const CONSTANT: Readonly<Record<string, string>> = { pattern: "'a'", replacement: "'b'", format: "'YYYY-MM-DD'" }

function argument(param: ParamSpec): string {
  if (param.constant === true)
    return param.oneOf === undefined ? (CONSTANT[param.name] ?? "'x'") : `'${param.oneOf[0]}'`
  const type = param.types === 'any' ? 'string' : param.types[0]!
  return type === 'null' ? 'null' : NULL_COLUMN[type]
}

const ALL_NULL = { s: null, i: null, n: null, b: null, d: null, dt: null, tags: null }

export const NULL_CASES: readonly EquivalenceCase[] = listFunctions().flatMap((fn) =>
  fn.signatures
    .filter((s) => s.params.length > 0)
    .map((s) => eq(`${fn.name}(${s.params.map(argument).join(', ')})`, fn.name === 'concat' ? '' : null, ALL_NULL)),
)
