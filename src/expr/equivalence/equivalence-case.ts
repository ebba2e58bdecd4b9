/**
 * The shape of the shared equivalence cases: an expression over the test table `t`, the row it
 * reads, and the value every backend must return. See equivalence.test.ts for how they run.
 */
import type { Value } from '../../core/index.ts'
import type { Scope } from '../scope.ts'

/** The test table `t`: one column per type, two of some so expressions can compare columns. */
export interface TestRow {
  readonly s?: string | null
  readonly s2?: string | null
  readonly i?: number | null
  readonly j?: number | null
  readonly n?: number | null
  readonly b?: boolean | null
  readonly d?: string | null
  readonly d2?: string | null
  readonly dt?: string | null
  readonly dt2?: string | null
  readonly tags?: readonly string[] | null
  readonly 'first name'?: string | null
}

export const TEST_COLUMNS = ['s', 's2', 'i', 'j', 'n', 'b', 'd', 'd2', 'dt', 'dt2', 'tags', 'first name'] as const

export const TEST_SCOPE: Scope = {
  aliases: {
    t: {
      s: 'string',
      s2: 'string',
      i: 'integer',
      j: 'integer',
      n: 'number',
      b: 'boolean',
      d: 'date',
      d2: 'date',
      dt: 'datetime',
      dt2: 'datetime',
      tags: 'string[]',
      'first name': 'string',
    },
  },
  defaultAlias: 't',
  parameters: { p_s: 'string', p_i: 'integer', p_d: 'date' },
}

export interface EquivalenceCase {
  readonly expr: string
  readonly expected: Value
  readonly row?: TestRow
  /** @default 'UTC' */
  readonly timeZone?: string
  /** ISO instant for today() and now(). @default DEFAULT_NOW */
  readonly now?: string
  readonly params?: Readonly<Record<string, Value>>
  /** A backend that cannot run the case, and why. */
  readonly skip?: { readonly postgres?: string; readonly sqlite?: string }
}

export const DEFAULT_NOW = '2026-01-31T10:00:00.000Z'

/** Shorthand for a case. */
export function eq(
  expr: string,
  expected: Value,
  row: TestRow = {},
  extra: Omit<EquivalenceCase, 'expr' | 'expected' | 'row'> = {},
): EquivalenceCase {
  return { expr, expected, row, ...extra }
}
