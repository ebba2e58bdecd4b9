import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { coerceValue, normalizeValue, sameValue } from './values.ts'

describe('coerceValue', () => {
  it('converts what validation allows and refuses what cannot be converted', () => {
    assert.equal(coerceValue(42, 'string'), '42')
    assert.equal(coerceValue('42', 'integer'), 42)
    assert.equal(coerceValue('4.5', 'integer'), undefined)
    assert.equal(coerceValue('abc', 'number'), undefined)
    assert.equal(coerceValue('', 'integer'), undefined)
    assert.equal(coerceValue('true', 'boolean'), true)
    assert.equal(coerceValue('yes', 'boolean'), undefined)
    assert.equal(coerceValue('2026-12-04', 'date'), '2026-12-04')
    assert.equal(coerceValue('2026-12-04T10:00:00+02:00', 'datetime'), '2026-12-04T08:00:00.000Z')
    assert.deepEqual(coerceValue(['b', 'a', 'b', ''], 'string[]'), ['a', 'b'])
    assert.equal(coerceValue(null, 'integer'), null)
    assert.equal(coerceValue('2026-02-30', 'date'), undefined, 'no such day')
    assert.equal(coerceValue('next Tuesday', 'datetime'), undefined)
  })

  it('reads a datetime text without a zone as UTC, whatever the local time zone', () => {
    const zone = process.env['TZ']
    // Node applies a change of TZ at once; New York is never UTC, so local time would show.
    process.env['TZ'] = 'America/New_York'
    try {
      assert.notEqual(new Date(2026, 11, 4).getTimezoneOffset(), 0, 'the local zone is not UTC')
      assert.equal(coerceValue('2026-12-04T10:00:00', 'datetime'), '2026-12-04T10:00:00.000Z')
      assert.equal(coerceValue('2026-12-04 10:00', 'datetime'), '2026-12-04T10:00:00.000Z')
      assert.equal(coerceValue('2026-12-04', 'datetime'), '2026-12-04T00:00:00.000Z')
      assert.equal(coerceValue('2026-12-04T10:00:00-0500', 'datetime'), '2026-12-04T15:00:00.000Z')
      assert.equal(coerceValue('2026-12-04T23:30:00', 'date'), '2026-12-04')
      assert.equal(sameValue('2026-12-04T08:00:00', '2026-12-04T08:00:00.000Z', { type: 'datetime' }), true)
    } finally {
      if (zone === undefined) delete process.env['TZ']
      else process.env['TZ'] = zone
    }
  })
})

describe('sameValue', () => {
  const text = { type: 'string' } as const
  it('compares case-insensitively only where the column says so', () => {
    assert.equal(sameValue('JSmith', 'jsmith', { ...text, caseInsensitive: true }), true)
    assert.equal(sameValue('JSmith', 'jsmith', text), false)
  })

  it('treats an empty text as null unless the column distinguishes them', () => {
    assert.equal(sameValue('', null, text), true)
    assert.equal(sameValue('', null, { ...text, emptyIsNull: false }), false)
  })

  it('compares multi-valued columns as sets', () => {
    const multi = { type: 'string[]' } as const
    assert.equal(sameValue(['b', 'a'], ['a', 'b', 'a'], multi), true)
    assert.equal(sameValue(['A'], ['a'], { ...multi, caseInsensitive: true }), true)
    assert.equal(sameValue(['a'], ['a', 'c'], multi), false)
    assert.equal(sameValue([], null, multi), true)
  })

  it('compares datetimes as instants and other types exactly', () => {
    assert.equal(sameValue('2026-12-04T08:00:00Z', '2026-12-04T08:00:00.000Z', { type: 'datetime' }), true)
    assert.equal(sameValue(1, 1, { type: 'integer' }), true)
    assert.equal(sameValue(false, null, { type: 'boolean' }), false)
    assert.equal(normalizeValue(undefined, text), null)
  })
})
