import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ColumnSchema, ColumnType, ProvisioError, Value } from '../../core/index.ts'
import { createValueParser } from './parse-value.ts'

function parserFor(type: ColumnType, extra: Partial<ColumnSchema> = {}) {
  return createValueParser({ name: 'c', source: 'c', type, ...extra })
}

/** Each `[text, expected]`: expected `undefined` means the text must be rejected. */
function check(type: ColumnType, cases: [string, Value | undefined][], extra: Partial<ColumnSchema> = {}): void {
  const parser = parserFor(type, extra)
  for (const [text, expected] of cases)
    assert.deepEqual(parser.parse(text), expected, `${type} ${JSON.stringify(text)}`)
}

describe('createValueParser', () => {
  it('keeps strings exactly as written and turns only the empty string into null', () => {
    check('string', [
      ['', null],
      ['  Jan ', '  Jan '],
      ['   ', '   '],
      ["'; DROP TABLE users; --", "'; DROP TABLE users; --"],
    ])
  })

  it('reads integers with an optional sign and rejects decimals, exponents and unsafe sizes', () => {
    check('integer', [
      ['42', 42],
      [' -7 ', -7],
      ['+3', 3],
      ['007', 7],
      ['-0', 0],
      ['', null],
      ['  ', null],
      ['12.5', undefined],
      ['1e3', undefined],
      ['12abc', undefined],
      ['9007199254740993', undefined],
      ['1 000', undefined],
    ])
  })

  it('reads numbers with a decimal point by default', () => {
    check('number', [
      ['0.8', 0.8],
      ['-12.5', -12.5],
      ['.5', 0.5],
      ['3', 3],
      ['1e3', 1000],
      ['', null],
      ['0,8', undefined],
      ['1,234.5', undefined],
      ['NaN', undefined],
      ['Infinity', undefined],
      ['1e999', undefined],
    ])
  })

  it('reads numbers with a decimal comma and refuses points, which could be thousands separators', () => {
    check(
      'number',
      [
        ['0,8', 0.8],
        ['-12,5', -12.5],
        [',5', 0.5],
        ['1', 1],
        ['0.8', undefined],
        ['1.234,5', undefined],
      ],
      { decimalSeparator: ',' },
    )
  })

  it('reads booleans in every common spelling, case-insensitively', () => {
    check('boolean', [
      ['true', true],
      ['FALSE', false],
      ['Yes', true],
      ['no', false],
      ['Y', true],
      ['n', false],
      [' 1 ', true],
      ['0', false],
      ['', null],
      ['ja', undefined],
      ['2', undefined],
    ])
  })

  it('reads ISO dates and rejects dates that are not in the calendar', () => {
    check('date', [
      ['2020-02-29', '2020-02-29'],
      [' 1980-12-31 ', '1980-12-31'],
      ['', null],
      ['2021-02-29', undefined],
      ['2020-13-01', undefined],
      ['2020-1-1', undefined],
      ['31-12-1980', undefined],
    ])
  })

  it('reads dates in a declared format and stores them as YYYY-MM-DD', () => {
    check(
      'date',
      [
        ['31-12-1980', '1980-12-31'],
        ['29-02-2000', '2000-02-29'],
        ['31-02-2020', undefined],
        ['29-02-1900', undefined],
        ['1980-12-31', undefined],
      ],
      { format: 'DD-MM-YYYY' },
    )
    check(
      'date',
      [
        ['1/2/2024', '2024-01-02'],
        ['12/31/2024', '2024-12-31'],
        ['13/1/2024', undefined],
      ],
      { format: 'M/D/YYYY' },
    )
    check('date', [['20240315', '2024-03-15']], { format: 'YYYYMMDD' })
    check('date', [['15.03.0099', '0099-03-15']], { format: 'DD.MM.YYYY' })
  })

  it('refuses a date format it cannot read, naming the problem', () => {
    for (const [format, problem] of [
      ['dd-mm-yyyy', /no token/],
      ['DD-MM', /needs the year/],
      ['YYYY-MM-DD HH:mm', /time token/],
      ['YYYY-MM-DD-DD', /DD twice/],
    ] as const) {
      let error: ProvisioError | undefined
      try {
        parserFor('date', { format })
      } catch (e) {
        error = e as ProvisioError
      }
      assert.equal(error?.code, 'CON_CSV_INVALID_FORMAT', format)
      assert.match(error.message, problem)
    }
  })

  it('reads ISO datetimes with Z or an offset, and without a zone as UTC', () => {
    check('datetime', [
      ['2026-12-04T15:46:10Z', '2026-12-04T15:46:10.000Z'],
      ['2026-12-04T15:46:10.1234z', '2026-12-04T15:46:10.123Z'],
      ['2026-12-04T16:46:10+01:00', '2026-12-04T15:46:10.000Z'],
      ['2026-12-04T10:16:10-0530', '2026-12-04T15:46:10.000Z'],
      ['2026-12-05T00:30:00+09', '2026-12-04T15:30:00.000Z'],
      ['2026-12-04 15:46:10', '2026-12-04T15:46:10.000Z'],
      ['2026-12-04T15:46', '2026-12-04T15:46:00.000Z'],
      ['', null],
      ['2026-12-04', undefined],
      ['2026-02-30T10:00:00Z', undefined],
      ['2026-12-04T24:00:00Z', undefined],
      ['2026-12-04T15:46:10+25:00', undefined],
      ['04-12-2026 15:46', undefined],
    ])
  })

  it('reads datetimes in a declared format as UTC', () => {
    check(
      'datetime',
      [
        ['04-12-2026 15:46:10', '2026-12-04T15:46:10.000Z'],
        ['4-12-2026 9:05:00', '2026-12-04T09:05:00.000Z'],
      ],
      {
        format: 'D-MM-YYYY H:mm:ss',
      },
    )
  })

  it('splits multi-valued strings, trims, drops empties, sorts and removes duplicates', () => {
    check('string[]', [
      ['b|a| c |a||', ['a', 'b', 'c']],
      [' only ', ['only']],
      ['', null],
      [' | ', null],
    ])
    check('string[]', [['CN=B,OU=X;CN=A,OU=X', ['CN=A,OU=X', 'CN=B,OU=X']]], { separator: ';' })
  })

  it('describes what it expects, for messages', () => {
    assert.match(parserFor('date', { format: 'DD-MM-YYYY' }).expected, /DD-MM-YYYY/)
    assert.match(parserFor('number', { decimalSeparator: ',' }).expected, /decimal comma/)
  })
})
