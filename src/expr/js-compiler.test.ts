import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isProvisioError } from '../core/index.ts'
import { compileToJs } from './js-compiler.ts'
import { parseExpression } from './parser.ts'
import { typeCheck } from './type-check.ts'

const scope = {
  aliases: { e: { name: 'string', grade: 'integer' }, m: { name: 'string' } },
  defaultAlias: 'e',
  parameters: { min: 'integer' },
} as const

describe('compileToJs', () => {
  it('reads a missing alias or column as null, as an optional join that found nothing', () => {
    const evaluate = compileToJs(
      typeCheck(parseExpression("coalesce(m.name, 'none') || '/' || coalesce(name, '?')"), scope),
    )
    assert.equal(evaluate({ rows: { e: {} } }), 'none/?')
  })

  it('takes parameters from the row first, then from the compile options', () => {
    const evaluate = compileToJs(typeCheck(parseExpression('grade >= :min'), scope), { paramValues: { min: 5 } })
    assert.equal(evaluate({ rows: { e: { grade: 4 } } }), false)
    assert.equal(evaluate({ rows: { e: { grade: 4 } }, params: { min: 3 } }), true)
  })

  it('fails with EXPR_MISSING_PARAMETER_VALUE when a parameter has no value', () => {
    const evaluate = compileToJs(typeCheck(parseExpression('grade >= :min'), scope))
    assert.throws(
      () => evaluate({ rows: { e: { grade: 4 } } }),
      (e) => isProvisioError(e) && e.code === 'EXPR_MISSING_PARAMETER_VALUE',
    )
  })

  it('fixes today() when compiling, in the given time zone', () => {
    const typed = typeCheck(parseExpression('today()'), scope)
    const now = new Date('2026-03-28T23:30:00Z')
    assert.equal(compileToJs(typed, { now, timeZone: 'Europe/Amsterdam' })({ rows: {} }), '2026-03-29')
    assert.equal(compileToJs(typed, { now, timeZone: 'UTC' })({ rows: {} }), '2026-03-28')
  })

  it('evaluates case branches lazily and stops at the first true condition', () => {
    const evaluate = compileToJs(
      typeCheck(parseExpression("case when grade > 5 then 'high' when grade > 1 then 'mid' end"), scope),
    )
    assert.deepEqual(
      [7, 3, 0, null].map((grade) => evaluate({ rows: { e: { grade } } })),
      ['high', 'mid', null, null],
    )
  })
})
