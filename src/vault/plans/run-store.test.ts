import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../../test/support/vaults.ts'
import { createRun, findRunPlan, finishRun, getRun, listRuns } from '../index.ts'

const clockAt = (iso: string) => ({ now: () => new Date(iso) })

/** Names a query that pasted its values into the SQL, or matched them with LIKE, would get wrong. */
const HOSTILE = "x'); DROP TABLE runs; --"
const WILDCARD = 'acc%_nts'

for (const kind of VAULT_KINDS) {
  describe(`run store: listRuns and findRunPlan (${kind})`, () => {
    let vault: TestVault
    const ids: Record<string, number> = {}
    before(async () => {
      vault = await createTestVault(kind)
      const db = vault.driver
      const started = async (key: string, run: Parameters<typeof createRun>[1]) => {
        ids[key] = await createRun(db, { ...run, clock: clockAt('2026-12-05T08:00:00.000Z') })
      }
      await started('accounts1', { kind: 'job', name: 'accounts', actor: 'cli' })
      await started('hostile', { kind: 'job', name: HOSTILE, actor: 'cli' })
      await started('plan7', { kind: 'plan', name: '7', planId: 7, actor: 'alice' })
      await started('accounts2', { kind: 'job', name: 'accounts', actor: 'cli' })
      await started('wildcard', { kind: 'job', name: WILDCARD, actor: 'cli' })
      const finished = clockAt('2026-12-05T08:00:02.500Z')
      await finishRun(db, ids['accounts1']!, {
        status: 'succeeded',
        counts: { planned: 3, succeeded: 3 },
        clock: finished,
      })
      await finishRun(db, ids['hostile']!, { status: 'failed', message: 'It broke.', clock: finished })
      await finishRun(db, ids['plan7']!, { status: 'partially-failed', counts: { failed: 1 }, clock: finished })
      // accounts2 and wildcard stay running.
    })
    after(async () => vault.close())

    const names = (runs: readonly { id: number }[]) =>
      runs.map((r) => Object.entries(ids).find(([, id]) => id === r.id)![0])

    it('lists every run newest first, with what getRun returns', async () => {
      const runs = await listRuns(vault.driver)
      assert.deepEqual(names(runs), ['wildcard', 'accounts2', 'plan7', 'hostile', 'accounts1'])
      for (const run of runs) assert.deepEqual(run, await getRun(vault.driver, run.id))
      const accounts1 = runs.at(-1)!
      assert.deepEqual(
        [accounts1.kind, accounts1.name, accounts1.status, accounts1.counts, accounts1.finishedAt],
        ['job', 'accounts', 'succeeded', { planned: 3, succeeded: 3 }, '2026-12-05T08:00:02.500Z'],
      )
    })

    it('filters by kind, name and status, and pages with limit and beforeId', async () => {
      const db = vault.driver
      assert.deepEqual(names(await listRuns(db, { kind: 'plan' })), ['plan7'])
      assert.deepEqual(names(await listRuns(db, { kind: 'job', name: 'accounts' })), ['accounts2', 'accounts1'])
      assert.deepEqual(names(await listRuns(db, { status: 'running' })), ['wildcard', 'accounts2'])
      assert.deepEqual(names(await listRuns(db, { kind: 'job', name: 'accounts', status: 'succeeded' })), ['accounts1'])
      assert.deepEqual(names(await listRuns(db, { limit: 2 })), ['wildcard', 'accounts2'])
      assert.deepEqual(names(await listRuns(db, { limit: 2, beforeId: ids['accounts2'] })), ['plan7', 'hostile'])
      assert.deepEqual(await listRuns(db, { kind: 'task' }), [])
    })

    it('binds hostile names as values: no injection, no wildcard matching', async () => {
      const db = vault.driver
      assert.deepEqual(names(await listRuns(db, { name: HOSTILE })), ['hostile'])
      assert.deepEqual(names(await listRuns(db, { name: WILDCARD })), ['wildcard'])
      assert.deepEqual(await listRuns(db, { name: 'acc%' }), [])
      assert.deepEqual(await listRuns(db, { name: "' OR '1'='1" }), [])
      assert.equal((await listRuns(db)).length, 5, 'the runs table is intact')
    })

    it("finds a run's plan: the one it records, else the plan of the last operation it wrote", async () => {
      const db = vault.driver
      assert.equal(await findRunPlan(db, await getRun(db, ids['plan7']!)), 7)
      assert.equal(await findRunPlan(db, await getRun(db, ids['accounts1']!)), undefined, 'wrote nothing')
      // The run settled an operation an earlier run (plan 4) left in doubt, then executed plan 5.
      for (const planId of [4, 5, 5]) {
        await db.run(
          `INSERT INTO audit (at, run_id, plan_id, operation_id, mapping, system, table_name, function_name, semantics, outcome, actor)
           VALUES (?, ?, ?, ?, 'accounts', 'ad', 'users', 'users_create', 'create', 'succeeded', 'cli')`,
          ['2026-12-05T08:00:01.000Z', ids['accounts2']!, planId, `op-${planId}`],
        )
      }
      assert.equal(await findRunPlan(db, await getRun(db, ids['accounts2']!)), 5)
    })
  })
}
