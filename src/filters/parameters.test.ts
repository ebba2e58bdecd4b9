import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ColumnType, Value } from '../core/index.ts'
import { parseParameterValue, resolveParameters } from './index.ts'
import { filterConfig } from './test-fixtures.ts'

const cases: readonly [type: ColumnType, given: Value, parsed: Value | undefined][] = [
  ['string', "O'Brien", "O'Brien"],
  ['string', 42, undefined],
  ['integer', '42', 42],
  ['integer', ' -7 ', -7],
  ['integer', 42, 42],
  ['integer', '4.2', undefined],
  ['integer', '99999999999999999', undefined],
  ['number', '2.5', 2.5],
  ['number', '-.5', -0.5],
  ['number', 'NaN', undefined],
  ['boolean', 'true', true],
  ['boolean', 'No', false],
  ['boolean', '1', true],
  ['boolean', 'maybe', undefined],
  ['date', '2024-02-29', '2024-02-29'],
  ['date', '2026-13-01', undefined],
  ['date', '2025-02-29', undefined],
  ['date', '29-02-2024', undefined],
  ['datetime', '2026-01-31T10:00:00Z', '2026-01-31T10:00:00.000Z'],
  ['datetime', '2026-01-31 11:00:00+0100', '2026-01-31T10:00:00.000Z'],
  ['datetime', '2026-01-31T10:00:00', undefined],
  ['datetime', '2026-02-30T10:00:00Z', undefined],
  ['string[]', '["b","a","b"]', ['a', 'b']],
  ['string[]', ['x'], ['x']],
  ['string[]', 'a|b', undefined],
  ['date', null, null],
]

describe('parseParameterValue', () => {
  for (const [type, given, parsed] of cases) {
    it(`reads ${JSON.stringify(given)} as ${type} ${parsed === undefined ? '(refused)' : JSON.stringify(parsed)}`, () => {
      assert.deepEqual(parseParameterValue(given, type), parsed)
    })
  }
})

describe('resolveParameters', () => {
  const filter = filterConfig({
    parameters: {
      unit: { type: 'string', default: 'IT' },
      min: { type: 'integer', default: 3 },
      since: { type: 'date' },
    },
  })

  it("takes the run's values over the defaults and parses text as the declared type", () => {
    assert.deepEqual(resolveParameters(filter, { since: '2026-01-01', min: '5' }), {
      unit: 'IT',
      min: 5,
      since: '2026-01-01',
    })
  })
})
