/**
 * Checks of reading: an empty table, rows read back with the values they were made with, lookup
 * by key, paging over more rows than a page holds, and incremental reads where offered.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { assertHolds, type ConformanceHarness, sameValue, sentColumns } from './conformance-harness.ts'

/** Runs first among the data checks: the fixture's table is still empty. */
export function emptyReadChecks(harness: () => ConformanceHarness): void {
  it('read(): an empty table gives no rows', async () => {
    const h: ConformanceHarness = harness()
    const { rows } = await h.readAll(h.accounts.table)
    assert.deepEqual(rows, [])
  })
}

export function readChecks(harness: () => ConformanceHarness): void {
  it('read(): finds a row with the values it was made with, hostile text included', async () => {
    const h: ConformanceHarness = harness()
    const [made] = await h.makeRows(1)
    const create = h.functionOf(h.accounts.table, 'create')
    const read = await h.readRow(made!.row[h.primaryKey])
    assertHolds(read, sentColumns(h.accounts.table, create, made!.sent), 'read()')
  })

  it('lookup(): finds a row by its primary key and by a reference key, as read shows it', async (t) => {
    const h: ConformanceHarness = harness()
    const lookup = h.connection.lookup?.bind(h.connection)
    if (lookup === undefined) {
      assert.ok(!h.fixture.definition.capabilities.supportsApply, 'a connector that writes must offer lookup()')
      return t.skip('the connector offers no lookup()')
    }
    const [made] = await h.makeRows(1)
    const read = await h.readRow(made!.row[h.primaryKey])
    assert.ok(read !== undefined, 'read() does not show the row')
    for (const column of [h.primaryKey, h.referenceKey]) {
      assert.deepEqual(await lookup(h.accounts.table, column, read[column] ?? null), read, `lookup by ${column}`)
    }
  })

  it('read(): more rows than a page holds come in several pages, each row exactly once', async () => {
    const h: ConformanceHarness = harness()
    const pageSize = h.accounts.pageSize
    const made = await h.makeRows(pageSize === undefined ? 11 : 2 * pageSize + 1)
    const { rows, pages } = await h.readAll(h.accounts.table)
    const keys = rows.map((r) => JSON.stringify(r[h.primaryKey]))
    assert.equal(new Set(keys).size, keys.length, 'read() repeats a row')
    for (const { row } of made) {
      assert.ok(keys.includes(JSON.stringify(row[h.primaryKey])), `read() misses row ${String(row[h.primaryKey])}`)
    }
    if (pageSize !== undefined) {
      const sizes = pages.map((p) => p.rows.length)
      assert.ok(
        sizes.every((n) => n <= pageSize),
        `a page holds more than ${pageSize} rows: ${sizes.join(', ')}`,
      )
      assert.ok(sizes.filter((n) => n > 0).length >= 3, `expected 3 or more pages, got ${sizes.join(', ')}`)
    }
  })

  it('read(since): after a change, a read from the watermark gives delta pages with the changed row', async (t) => {
    const h: ConformanceHarness = harness()
    if (!h.fixture.definition.capabilities.supportsIncrementalRead) return t.skip('no supportsIncrementalRead')
    const update = h.functionOf(h.accounts.table, 'update')
    if (update === undefined) return t.skip('no update function to change a row with')
    const [changed] = await h.makeRows(2)
    const full = await h.readAll(h.accounts.table)
    const watermark = full.pages.findLast((p) => p.watermark !== undefined)?.watermark
    assert.ok(watermark !== undefined, 'a full read gives no watermark')
    assert.ok(
      full.pages.every((p) => p.delta !== true),
      'a read without since gives delta pages',
    )
    const { attribute, column, value } = h.change
    await h.applyTo(update, changed!.row, { [attribute]: value })
    const delta = await h.readAll(h.accounts.table, watermark)
    assert.ok(delta.pages.length > 0, 'the read from the watermark gives no page')
    assert.ok(
      delta.pages.every((p) => p.delta === true),
      'a read from a fresh watermark gives pages not marked delta',
    )
    const found = delta.rows.find((r) => sameValue(r[h.primaryKey], changed!.row[h.primaryKey]))
    assertHolds(found, { [column]: value }, 'the delta read')
  })
}
