import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../../test/support/vaults.ts'
import {
  appendRunLog,
  changeRunStatus,
  countRunLog,
  createRun,
  createPlan,
  getConfigRevision,
  getRun,
  listRuns,
  readRunLog,
  setRunPlans,
  storeConfigRevision,
  updatePlan,
} from '../index.ts'

const clockAt = (iso: string) => ({ now: () => new Date(iso) })
const DOCUMENTS = [{ file: 'systems/ad.yaml', kind: 'System', name: 'ad', source: 'password: ${env:AD_PASSWORD}\n' }]

for (const kind of VAULT_KINDS) {
  describe(`run details: statuses, plans, decisions, log and revisions (${kind})`, () => {
    let vault: TestVault
    before(async () => {
      vault = await createTestVault(kind)
    })
    after(async () => vault.close())

    it('records a queued run with its revision, then its plans and a guarded status change', async () => {
      const db = vault.driver
      const revision = await storeConfigRevision(db, { hash: 'a'.repeat(64), documents: DOCUMENTS })
      const id = await createRun(db, {
        kind: 'task',
        name: 'nightly',
        actor: 'cli',
        status: 'queued',
        configRevision: revision,
      })
      let run = await getRun(db, id)
      assert.deepEqual([run.status, run.configRevision, run.planIds], ['queued', revision, []])
      assert.equal(await changeRunStatus(db, id, { from: ['queued'], to: 'running' }), true)
      await setRunPlans(db, id, [3, 1])
      assert.equal(await changeRunStatus(db, id, { from: ['running'], to: 'awaiting-approval' }), true)
      assert.deepEqual(
        (await listRuns(db, { status: 'awaiting-approval' })).map((r) => r.id),
        [id],
      )
      const decided = clockAt('2026-12-05T09:00:00.000Z')
      assert.equal(
        await changeRunStatus(db, id, {
          from: ['awaiting-approval'],
          to: 'rejected',
          decidedBy: 'alice',
          message: 'no',
          clock: decided,
        }),
        true,
      )
      assert.equal(
        await changeRunStatus(db, id, { from: ['awaiting-approval'], to: 'running', decidedBy: 'bob' }),
        false,
        'a decided run is not decided again',
      )
      run = await getRun(db, id)
      assert.deepEqual(
        [run.status, run.planIds, run.approvedBy, run.decidedAt, run.finishedAt, run.message],
        ['rejected', [3, 1], 'alice', '2026-12-05T09:00:00.000Z', '2026-12-05T09:00:00.000Z', 'no'],
      )
    })

    it('stores one revision per hash, also when stored at the same time, with its sources as written', async () => {
      const db = vault.driver
      const revision = { hash: 'b'.repeat(64), documents: DOCUMENTS }
      const ids = await Promise.all([1, 2, 3, 4].map(() => storeConfigRevision(db, revision)))
      assert.equal(new Set(ids).size, 1)
      const stored = await getConfigRevision(db, ids[0]!)
      assert.deepEqual([stored.hash, stored.documents], [revision.hash, DOCUMENTS])
      assert.notEqual(await storeConfigRevision(db, { hash: 'c'.repeat(64), documents: [] }), ids[0])
      await assert.rejects(getConfigRevision(db, 99_999), { code: 'VLT_UNKNOWN_REVISION' })
    })

    it('appends log lines in batches and reads them in order, by page and the last ones', async () => {
      const db = vault.driver
      const id = await createRun(db, { kind: 'job', name: 'accounts', actor: 'cli' })
      const other = await createRun(db, { kind: 'job', name: 'other', actor: 'cli' })
      const clock = clockAt('2026-12-05T08:00:00.000Z')
      await appendRunLog(
        db,
        id,
        [
          { level: 'info', message: 'collect hr started' },
          { level: 'warn', message: 'step 1 exceeded', details: { limit: 5, operations: 9 } },
        ],
        clock,
      )
      await appendRunLog(db, other, [{ level: 'info', message: 'not mine' }], clock)
      await appendRunLog(
        db,
        id,
        [{ level: 'error', message: "It broke: x'); DROP TABLE run_log; --", at: '2026-12-05T08:01:00.000Z' }],
        clock,
      )
      await appendRunLog(db, id, [], clock)
      const all = await readRunLog(db, id)
      assert.deepEqual(
        all.map((e) => [e.level, e.message, e.at, e.details]),
        [
          ['info', 'collect hr started', '2026-12-05T08:00:00.000Z', undefined],
          ['warn', 'step 1 exceeded', '2026-12-05T08:00:00.000Z', { limit: 5, operations: 9 }],
          ['error', "It broke: x'); DROP TABLE run_log; --", '2026-12-05T08:01:00.000Z', undefined],
        ],
      )
      assert.ok(all[0]!.seq < all[1]!.seq && all[1]!.seq < all[2]!.seq)
      assert.deepEqual(
        (await readRunLog(db, id, { limit: 1, afterSeq: all[0]!.seq })).map((e) => e.message),
        ['step 1 exceeded'],
      )
      assert.deepEqual(
        (await readRunLog(db, id, { limit: 2, last: true })).map((e) => e.level),
        ['warn', 'error'],
      )
      assert.equal(await countRunLog(db, id), 3)
    })

    it('lets a planned plan be rejected, and a rejected plan never executed', async () => {
      const db = vault.driver
      const planId = await createPlan(db, { source: { kind: 'job', name: 'accounts' }, status: 'planned' })
      await updatePlan(db, planId, { status: 'rejected' })
      await assert.rejects(updatePlan(db, planId, { status: 'executing' }), { code: 'VLT_PLAN_STATE' })
    })
  })
}
