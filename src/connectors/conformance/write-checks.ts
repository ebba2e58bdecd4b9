/**
 * Checks of writing through the accounts table's create, update and delete functions. Each is
 * skipped when the connector does not offer the function.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { FunctionSchema, FunctionSemantics } from '../../core/index.ts'
import { assertHolds, type ConformanceHarness, sameValue, sentColumns } from './conformance-harness.ts'

/** The accounts table's function of `semantics`, or undefined after marking the test skipped. */
function offered(
  h: ConformanceHarness,
  t: { skip(message?: string): void },
  ...semantics: FunctionSemantics[]
): FunctionSchema[] | undefined {
  const functions = semantics.map((s) => h.functionOf(h.accounts.table, s))
  const missing = semantics.filter((_s, i) => functions[i] === undefined)
  if (missing.length === 0) return functions as FunctionSchema[]
  t.skip(`no ${missing.join(' or ')} function`)
  return undefined
}

export function writeChecks(harness: () => ConformanceHarness): void {
  it('apply(create): returns the row as the target holds it, with its primary key, as read shows it', async (t) => {
    const h: ConformanceHarness = harness()
    const [create] = offered(h, t, 'create') ?? []
    if (create === undefined) return
    const [made] = await h.makeRows(1)
    const row = made!.row
    assert.ok(row[h.primaryKey] !== undefined && row[h.primaryKey] !== null, 'the returned row has no primary key')
    for (const column of h.accounts.table.columns) {
      assert.ok(column.name in row, `the returned row lacks declared column ${column.name}`)
    }
    assertHolds(row, sentColumns(h.accounts.table, create, made!.sent), 'the returned row')
    assert.deepEqual(await h.readRow(row[h.primaryKey]), row, 'the returned row differs from the row read')
  })

  it('apply(update): changes only the given attribute, and the returned row shows it', async (t) => {
    const h: ConformanceHarness = harness()
    const [update] = offered(h, t, 'create', 'update')?.slice(1) ?? []
    if (update === undefined) return
    const [made] = await h.makeRows(1)
    const before = await h.readRow(made!.row[h.primaryKey])
    assert.ok(before !== undefined)
    const { attribute, column, value } = h.change
    const result = await h.applyTo(update, before, { [attribute]: value })
    assert.ok(result.unchanged !== true, 'a real change is reported unchanged')
    const after = await h.readRow(before[h.primaryKey])
    assert.deepEqual(after, { ...before, [column]: value }, 'the row read after the update')
    assert.deepEqual(result.row, after, 'the returned row differs from the row read')
  })

  it('apply(update) of a row that is not there fails with a CON_ error that is never retried', async (t) => {
    const h: ConformanceHarness = harness()
    const [, update, remove] = offered(h, t, 'create', 'update', 'delete') ?? []
    if (update === undefined || remove === undefined) return
    const [made] = await h.makeRows(1)
    await h.applyTo(remove, made!.row)
    const { attribute, value } = h.change
    const error = await h.failureOf(h.applyTo(update, made!.row, { [attribute]: value }), 'an update of a deleted row')
    assert.equal(error.retry, 'never', `${error.code} is retried, but the row stays gone`)
  })

  it('apply(delete): the row is gone from read and lookup; a second delete is harmless', async (t) => {
    const h: ConformanceHarness = harness()
    const [, remove] = offered(h, t, 'create', 'delete') ?? []
    if (remove === undefined) return
    const [made, kept] = await h.makeRows(2)
    await h.applyTo(remove, made!.row)
    assert.equal(await h.readRow(made!.row[h.primaryKey]), undefined, 'read() still shows the deleted row')
    assert.ok((await h.readRow(kept!.row[h.primaryKey])) !== undefined, 'the delete removed another row too')
    for (const column of [h.primaryKey, h.referenceKey]) {
      const found = await h.connection.lookup?.(h.accounts.table, column, made!.row[column] ?? null)
      assert.equal(found, undefined, `lookup by ${column} still finds the deleted row`)
    }
    // Deleting again may succeed (nothing to do) or fail, but only as a final CON_ error.
    try {
      await h.applyTo(remove, made!.row)
    } catch (error) {
      h.assertConnectorError(error, 'a second delete')
      assert.equal(error.retry, 'never', `a second delete fails with a retryable ${error.code}`)
    }
  })

  it('apply(create) of a duplicate unique value fails with a CON_ error that is never retried', async (t) => {
    const h: ConformanceHarness = harness()
    const [create] = offered(h, t, 'create') ?? []
    if (create === undefined) return
    const unique = h.accounts.uniqueParameter ?? h.referenceKey
    const [first] = await h.makeRows(1)
    const before = (await h.readAll(h.accounts.table)).rows.length
    const duplicate = { ...h.accounts.row(h.nextIndex(), create), [unique]: first!.sent[unique] ?? null }
    const error = await h.failureOf(h.apply(h.accounts.table, create, duplicate), `a create repeating ${unique}`)
    assert.equal(error.retry, 'never', `${error.code} is retried, but the duplicate stays`)
    const after = (await h.readAll(h.accounts.table)).rows
    assert.equal(after.length, before, 'the failed create left a row behind')
    assert.ok(
      after.some((r) => sameValue(r[h.primaryKey], first!.row[h.primaryKey])),
      'the first row is gone',
    )
  })
}
