/**
 * Checks of a memberships table (group members), when the fixture offers one: adding and removing
 * are idempotent — doing either a second time is a success that reports `unchanged` — and read
 * shows exactly what was done.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { FunctionSchema, Row, TableSchema } from '../../core/index.ts'
import { type ConformanceHarness, sameValue } from './conformance-harness.ts'

/** The operation's key and attributes that relate the entries of `pair` with `fn`. */
function operationFor(fn: FunctionSchema, table: TableSchema, pair: Row) {
  const keyColumn = fn.keyColumn
  const attributes: Row = {}
  for (const parameter of fn.parameters) {
    const column = parameter.column ?? parameter.name
    if (parameter.allowance === 'prohibited' || column === keyColumn || !(column in pair)) continue
    attributes[parameter.name] = pair[column] ?? null
  }
  const key = keyColumn === undefined ? undefined : { column: keyColumn, value: pair[keyColumn] ?? null }
  assert.ok(
    key !== undefined || Object.keys(attributes).length > 0,
    `${fn.name} on ${table.name} takes none of the columns ${Object.keys(pair).join(', ')}`,
  )
  return { key, attributes }
}

async function isRelated(h: ConformanceHarness, table: TableSchema, pair: Row): Promise<boolean> {
  const { rows } = await h.readAll(table)
  return rows.some((row) => Object.entries(pair).every(([column, value]) => sameValue(row[column], value)))
}

export function membershipChecks(harness: () => ConformanceHarness): void {
  it('memberships: adding and removing twice succeed, the second time unchanged', async (t) => {
    const h: ConformanceHarness = harness()
    const memberships = h.fixture.memberships
    if (memberships === undefined) return t.skip('the fixture offers no memberships table')
    const table = memberships.table
    const add = h.functionOf(table, 'membership-add')
    const remove = h.functionOf(table, 'membership-remove')
    if (add === undefined || remove === undefined) return t.skip('no membership-add and -remove functions')
    const pair = await memberships.pair()
    assert.equal(await isRelated(h, table, pair), false, 'read() shows the membership before it was added')

    const adding = operationFor(add, table, pair)
    const added = await h.apply(table, add, adding.attributes, adding.key)
    assert.ok(added.unchanged !== true, 'the first add reports unchanged')
    assert.equal((await h.apply(table, add, adding.attributes, adding.key)).unchanged, true, 'the second add')
    assert.equal(await isRelated(h, table, pair), true, 'read() does not show the added membership')

    const removing = operationFor(remove, table, pair)
    const removed = await h.apply(table, remove, removing.attributes, removing.key)
    assert.ok(removed.unchanged !== true, 'the first remove reports unchanged')
    assert.equal((await h.apply(table, remove, removing.attributes, removing.key)).unchanged, true, 'second remove')
    assert.equal(await isRelated(h, table, pair), false, 'read() still shows the removed membership')
  })
}
