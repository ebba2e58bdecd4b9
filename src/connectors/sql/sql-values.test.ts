import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ColumnSchema, ColumnType } from '../../core/index.ts'
import type { CatalogColumn } from './sql-catalog.ts'
import { readValue, UnreadableValue, writeValue } from './sql-values.ts'

const column = (type: ColumnType): ColumnSchema => ({ name: 'c', type, source: 'c' })
const read = (raw: unknown, type: ColumnType) => {
  const value = readValue(raw, column(type))
  return value instanceof UnreadableValue ? `unreadable: ${value.expected}` : value
}
const physical = (nativeType: string, isArray = false): CatalogColumn => ({
  name: 'c',
  nativeType,
  notNull: false,
  hasDefault: false,
  isIdentity: false,
  isGenerated: false,
  isArray,
})

describe('readValue', () => {
  it('reads booleans from SQLite 0/1 and PostgreSQL booleans', () => {
    assert.equal(read(1, 'boolean'), true)
    assert.equal(read(0, 'boolean'), false)
    assert.equal(read(true, 'boolean'), true)
    assert.equal(read('false', 'boolean'), false)
    assert.equal(read(2, 'boolean'), 'unreadable: true/false or 1/0')
  })

  it('reads dates as YYYY-MM-DD and datetimes as ISO 8601 in UTC', () => {
    assert.equal(read('2026-02-28', 'date'), '2026-02-28')
    assert.equal(read('2026-02-28 10:11:12', 'date'), '2026-02-28')
    assert.equal(read('2026-02-30', 'date'), 'unreadable: a date (YYYY-MM-DD)')
    assert.equal(read('2026-12-04 15:46:10', 'datetime'), '2026-12-04T15:46:10.000Z')
    assert.equal(read('2026-12-04T15:46:10.5+01:00', 'datetime'), '2026-12-04T14:46:10.500Z')
    assert.equal(read('2026-12-04 15:46:10+0200', 'datetime'), '2026-12-04T13:46:10.000Z')
    assert.equal(read('2026-12-04', 'datetime'), '2026-12-04T00:00:00.000Z')
    assert.equal(read(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), 'datetime'), '2026-01-02T03:04:05.000Z')
    assert.match(String(read(1764863170, 'datetime')), /^unreadable/)
  })

  it('reads whole numbers, numbers and text', () => {
    assert.equal(read(42, 'integer'), 42)
    assert.equal(read(42n, 'integer'), 42)
    assert.equal(read('-7', 'integer'), -7)
    assert.match(String(read(1.5, 'integer')), /^unreadable/)
    assert.equal(read('1.25', 'number'), 1.25)
    assert.equal(read(12, 'string'), '12')
    assert.equal(read({ a: 1 }, 'string'), '{"a":1}')
    assert.match(String(read(Buffer.from('x'), 'string')), /^unreadable/)
  })

  it('reads lists from PostgreSQL arrays and JSON text, sorted, without duplicates or empties', () => {
    assert.deepEqual(read(['b', 'a', 'b', null, ''], 'string[]'), ['a', 'b'])
    assert.deepEqual(read('["Sales","Admins"]', 'string[]'), ['Admins', 'Sales'])
    assert.equal(read('[]', 'string[]'), null)
    assert.match(String(read('Sales|Admins', 'string[]')), /^unreadable/)
    assert.match(String(read('[{"x":1}]', 'string[]')), /^unreadable/)
  })

  it('reads null as null whatever the type', () => {
    for (const type of ['string', 'integer', 'boolean', 'date', 'string[]'] as const)
      assert.equal(read(null, type), null)
  })
})

describe('writeValue', () => {
  it('writes lists as a PostgreSQL array literal for array columns, JSON text otherwise', () => {
    const list = ['a "quoted" b', 'back\\slash', '{braces},']
    assert.equal(
      writeValue(list, physical('_text', true), 'postgres'),
      '{"a \\"quoted\\" b","back\\\\slash","{braces},"}',
    )
    assert.equal(writeValue(list, physical('text'), 'postgres'), JSON.stringify(list))
    assert.equal(writeValue(list, physical('text'), 'sqlite'), JSON.stringify(list))
  })

  it('writes booleans as 1/0 into integer columns', () => {
    assert.equal(writeValue(true, physical('integer'), 'postgres'), 1)
    assert.equal(writeValue(false, physical('boolean'), 'postgres'), false)
    assert.equal(writeValue(null, physical('integer'), 'sqlite'), null)
  })
})
