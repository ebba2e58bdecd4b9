/**
 * The equivalence proof (DESIGN.md §7): every shared case gives the same value on the JS backend,
 * on SQLite and on PostgreSQL. The PostgreSQL part runs when PROVISIO_TEST_PG_URL is set.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { CompileOptions } from '../compile-options.ts'
import { parseExpression } from '../parser.ts'
import { typeCheck } from '../type-check.ts'
import type { TypedExpr } from '../typed-expr.ts'
import { DEFAULT_NOW, type EquivalenceCase, TEST_SCOPE } from './equivalence-case.ts'
import { EQUIVALENCE_CASES } from './equivalence-cases.ts'
import { evaluateJs, PG_SKIP, PG_URL, PostgresBackend, SqliteBackend } from './test-backends.ts'

function prepare(c: EquivalenceCase): { typed: TypedExpr; options: CompileOptions } {
  const typed = typeCheck(parseExpression(c.expr), TEST_SCOPE)
  const options: CompileOptions = {
    timeZone: c.timeZone ?? 'UTC',
    now: new Date(c.now ?? DEFAULT_NOW),
    paramValues: c.params ?? {},
  }
  return { typed, options }
}

function label(c: EquivalenceCase, index: number): string {
  const row = Object.keys(c.row ?? {}).length === 0 ? '' : ` with ${JSON.stringify(c.row)}`
  return `#${index} ${c.expr}${row}${c.timeZone === undefined ? '' : ` in ${c.timeZone}`} = ${JSON.stringify(c.expected)}`
}

describe('equivalence: JS backend', () => {
  EQUIVALENCE_CASES.forEach((c, index) => {
    it(label(c, index), () => {
      const { typed, options } = prepare(c)
      assert.deepEqual(evaluateJs(typed, c.row ?? {}, options), c.expected)
    })
  })
})

describe('equivalence: SQLite backend', () => {
  const sqlite = new SqliteBackend()
  before(() => EQUIVALENCE_CASES.forEach((c, index) => sqlite.insert(index, c.row ?? {})))
  after(() => sqlite.close())
  EQUIVALENCE_CASES.forEach((c, index) => {
    it(label(c, index), { skip: c.skip?.sqlite ?? false }, () => {
      const { typed, options } = prepare(c)
      assert.deepEqual(sqlite.evaluate(typed, index, options), c.expected)
    })
  })
})

describe('equivalence: PostgreSQL backend', { skip: PG_SKIP }, () => {
  const postgres = new PostgresBackend(PG_URL ?? '')
  before(async () => {
    await postgres.open()
    // A skipped case's row may hold what PostgreSQL refuses (U+0000), so it is not inserted.
    for (const [index, c] of EQUIVALENCE_CASES.entries())
      if (c.skip?.postgres === undefined) await postgres.insert(index, c.row ?? {})
  })
  after(() => postgres.close())
  EQUIVALENCE_CASES.forEach((c, index) => {
    it(label(c, index), { skip: c.skip?.postgres ?? false }, async () => {
      const { typed, options } = prepare(c)
      assert.deepEqual(await postgres.evaluate(typed, index, options), c.expected)
    })
  })
})
