/**
 * Checks of the connection as a whole: `check` with good and wrong credentials, `discover`, and
 * what a connection does after `close`.
 *
 * After close (decided here, for every connector): a connection either opens again on demand (the
 * SQL connector does) or refuses; a refusal is a CON_ ProvisioError like any other failure, never
 * a plain Error, a hang or a crash. Closing twice is harmless. The engine never uses a closed
 * connection, but a clean answer keeps a late call (a cancelled run's straggler) from turning into
 * an unexpected-error report.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { type ConformanceHarness, GUARD } from './conformance-harness.ts'

export function connectionChecks(harness: () => ConformanceHarness): void {
  it('check(): passes with the fixture’s credentials', async () => {
    await harness().connection.check()
  })

  it('check(): wrong credentials fail with a CON_ error that has a hint and is never retried', GUARD, async (t) => {
    const h: ConformanceHarness = harness()
    const wrong = h.fixture.wrongCredentials
    if (wrong === undefined) return t.skip('the system has no credentials to get wrong')
    // Connectors may open lazily (the failure shows in check) or eagerly (in open).
    const error = await h.failureOf(async () => (await h.openOther(wrong)).check(), 'check() with wrong credentials')
    assert.ok((error.hint ?? '').trim() !== '', `${error.code} has no hint`)
    assert.equal(error.retry, 'never', `${error.code} is retried, but wrong credentials stay wrong`)
  })

  it('discover(): proposes tables with named, typed columns', async () => {
    const h: ConformanceHarness = harness()
    const tables = await h.connection.discover()
    assert.ok(tables.length > 0, 'discover() proposes no table')
    for (const table of tables) {
      assert.ok(table.name !== '', 'a discovered table has no name')
      assert.ok(table.columns.length > 0, `discovered table ${table.name} has no columns`)
      const names = table.columns.map((c) => c.name)
      assert.equal(new Set(names).size, names.length, `discovered table ${table.name} repeats a column`)
      for (const column of table.columns) {
        assert.ok(column.name !== '' && column.type !== '', `${table.name} has a column without name or type`)
      }
      for (const key of [table.primaryKey, ...(table.referenceKeys ?? [])]) {
        if (key !== undefined) assert.ok(names.includes(key), `${table.name}: key ${key} is not a discovered column`)
      }
    }
    const wanted = h.fixture.discovers
    if (wanted !== undefined) {
      assert.ok(
        tables.some((t) => t.name === wanted),
        `discover() does not propose ${wanted}: ${tables.map((t) => t.name).join(', ')}`,
      )
    }
  })
}

/** Runs last: it closes the suite's connection. */
export function closeChecks(harness: () => ConformanceHarness): void {
  it('close(): later calls reopen or fail with a CON_ error; closing twice is harmless', GUARD, async () => {
    const h: ConformanceHarness = harness()
    await h.connection.close()
    await h.connection.close()
    const outcomes = [
      ['check()', () => h.connection.check()],
      ['read()', () => h.readAll(h.accounts.table)],
    ] as const
    for (const [what, work] of outcomes) {
      try {
        await work()
      } catch (error) {
        h.assertConnectorError(error, `${what} after close()`)
      }
    }
    await h.connection.close()
  })
}
