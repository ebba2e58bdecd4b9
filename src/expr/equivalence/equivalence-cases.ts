/**
 * THE shared table of equivalence cases: every case runs on the JS backend, on SQLite and on
 * PostgreSQL, and all three must return `expected`. Generated cases call every function with nulls,
 * and the function library's documented examples are added, so the docs cannot claim a result that a
 * backend does not give.
 */
import { listFunctions } from '../functions/registry.ts'
import { DATE_CASES } from './date-cases.ts'
import { DN_CASES } from './dn-cases.ts'
import { type EquivalenceCase, eq } from './equivalence-case.ts'
import { LOGIC_CASES } from './logic-cases.ts'
import { NULL_CASES } from './null-cases.ts'
import { REGEX_HASH_CASES } from './regex-hash-cases.ts'
import { STRING_CASES } from './string-cases.ts'

const EXAMPLE_CASES: readonly EquivalenceCase[] = listFunctions().flatMap((fn) =>
  fn.examples.map((example) => eq(example.expr, example.result)),
)

export const EQUIVALENCE_CASES: readonly EquivalenceCase[] = [
  ...STRING_CASES,
  ...DN_CASES,
  ...LOGIC_CASES,
  ...DATE_CASES,
  ...REGEX_HASH_CASES,
  ...NULL_CASES,
  ...EXAMPLE_CASES,
]
