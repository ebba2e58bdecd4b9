import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { civilOf, dayOf, formatDay, parseIsoDay } from './calendar.ts'

describe('calendar', () => {
  it('agrees with Date.UTC on day numbers', () => {
    for (const [y, m, d] of [
      [1970, 1, 1],
      [2000, 2, 29],
      [2026, 12, 1],
      [1899, 12, 31],
      [2100, 3, 1],
    ] as const) {
      assert.equal(dayOf(y, m, d), Date.UTC(y, m - 1, d) / 86_400_000)
    }
  })

  it('round-trips every day over two centuries', () => {
    for (let days = dayOf(1900, 1, 1); days <= dayOf(2100, 12, 31); days += 1) {
      const [y, m, d] = civilOf(days)
      assert.equal(dayOf(y, m, d), days)
    }
  })

  it('formats as DD-MM-YYYY', () => {
    assert.equal(formatDay(dayOf(2026, 3, 7)), '07-03-2026')
  })

  it('parses YYYY-MM-DD and refuses dates that do not exist', () => {
    assert.equal(parseIsoDay('2026-12-01'), dayOf(2026, 12, 1))
    assert.equal(parseIsoDay('2026-02-29'), undefined)
    assert.equal(parseIsoDay('01-12-2026'), undefined)
  })
})
