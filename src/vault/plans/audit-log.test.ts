import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ProvisioError } from '../../core/index.ts'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../../test/support/vaults.ts'
import {
  type AuditRecord,
  type NewOperation,
  OutcomeWriter,
  createPlan,
  createRun,
  getOperations,
  insertOperations,
  searchAudit,
  streamAudit,
} from '../index.ts'

/** Twelve writes: two systems, two mappings, one failure in three, an hour apart from 2026-12-01T00:00Z. */
function operation(i: number): NewOperation {
  return {
    id: `op-${i}`,
    step: 0,
    mapping: i % 2 === 0 ? 'ad-update' : 'gw-update',
    system: i % 2 === 0 ? 'ad' : 'gw',
    table: 'users',
    function: 'users_update',
    semantics: 'update',
    keyColumn: 'id',
    keyValue: i < 6 ? `k${i % 3}` : i, // text keys and numeric ones
    attributes: { title: `Title ${i}`, note: "'; DELETE FROM audit; --" },
    before: { title: 'Old' },
    secrets: ['password'],
  }
}

const hour = (i: number) => new Date(Date.UTC(2026, 11, 1, i)).toISOString()

async function rejects(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error) => error instanceof ProvisioError && error.code === code)
}

for (const kind of VAULT_KINDS) {
  describe(`audit (${kind})`, () => {
    let vault: TestVault
    let runId: number
    let otherRun: number
    before(async () => {
      vault = await createTestVault(kind)
      const planId = await createPlan(vault.driver, { source: { kind: 'job', name: 'audit' } })
      await insertOperations(
        vault.driver,
        planId,
        Array.from({ length: 12 }, (_v, i) => operation(i)),
      )
      const ops = await getOperations(
        vault.driver,
        planId,
        Array.from({ length: 12 }, (_v, i) => i + 1),
      )
      runId = await createRun(vault.driver, { kind: 'job', name: 'audit', planId, actor: 'alice' })
      otherRun = await createRun(vault.driver, { kind: 'plan', name: String(planId), planId, actor: 'bob' })
      const first = new OutcomeWriter(vault.driver, { runId, actor: 'alice', flushEvery: 5 })
      const second = new OutcomeWriter(vault.driver, { runId: otherRun, actor: 'bob' })
      for (const [i, operation] of ops.entries()) {
        const failed = i % 3 === 2
        await (i < 9 ? first : second).add({
          operation,
          status: failed ? 'failed' : 'succeeded',
          errorCode: failed ? 'CON_REFUSED' : undefined,
          finishedAt: hour(i),
          after: { title: `Title ${i}`, password: 'must never be stored' },
        })
      }
      await first.close()
      await second.close()
    })
    after(async () => vault.close())

    const ids = (records: readonly AuditRecord[]) => records.map((r) => r.operationId)

    it('records every write with its run, actor, before and after values, newest first, secrets as (set)', async () => {
      const all = await searchAudit(vault.driver)
      assert.equal(all.length, 12)
      assert.equal(all[0]!.operationId, 'op-11')
      const [record] = await searchAudit(vault.driver, { operationId: 'op-4' })
      assert.deepEqual(
        { ...record, id: 0 },
        {
          id: 0,
          at: hour(4),
          runId,
          planId: record!.planId,
          operationId: 'op-4',
          mapping: 'ad-update',
          system: 'ad',
          table: 'users',
          function: 'users_update',
          semantics: 'update',
          keyColumn: 'id',
          keyValue: 'k1',
          before: { title: 'Old' },
          after: { title: 'Title 4', password: '(set)' },
          outcome: 'succeeded',
          errorCode: undefined,
          message: undefined,
          actor: 'alice',
        },
      )
      const text = JSON.stringify(await vault.driver.query('SELECT * FROM audit'))
      assert.doesNotMatch(text, /must never be stored/)
    })

    it('filters by system, table, key, mapping, run, plan, outcome and time', async () => {
      assert.deepEqual(ids(await searchAudit(vault.driver, { system: 'ad', key: 'k1' })), ['op-4'])
      assert.deepEqual(ids(await searchAudit(vault.driver, { key: 'k1' })), ['op-4', 'op-1'])
      assert.deepEqual(ids(await searchAudit(vault.driver, { key: 7 })), ['op-7'])
      assert.deepEqual(ids(await searchAudit(vault.driver, { key: '7' })), ['op-7'])
      assert.deepEqual(ids(await searchAudit(vault.driver, { mapping: 'gw-update', outcome: 'failed' })), [
        'op-11',
        'op-5',
      ])
      assert.deepEqual(ids(await searchAudit(vault.driver, { runId: otherRun })), ['op-11', 'op-10', 'op-9'])
      assert.deepEqual(ids(await searchAudit(vault.driver, { since: hour(3), until: new Date(hour(5)) })), [
        'op-4',
        'op-3',
      ])
      assert.deepEqual(ids(await searchAudit(vault.driver, { since: '2026-12-01', until: '2026-12-01T02:00Z' })), [
        'op-1',
        'op-0',
      ])
      assert.equal((await searchAudit(vault.driver, { table: 'users', system: 'gw' })).length, 6)
      assert.deepEqual(await searchAudit(vault.driver, { key: "x' OR 1=1 --" }), [])
      assert.deepEqual(await searchAudit(vault.driver, { system: 'nobody' }), [])
    })

    it('pages through the audit by id and streams it in bounded pages', async () => {
      const first = await searchAudit(vault.driver, { limit: 5 })
      const second = await searchAudit(vault.driver, { limit: 5, beforeId: first.at(-1)!.id })
      assert.deepEqual(ids([...first, ...second]), ids(await searchAudit(vault.driver, { limit: 10 })))
      const pages: number[] = []
      for await (const page of streamAudit(vault.driver, { system: 'ad' }, 4)) pages.push(page.length)
      assert.deepEqual(pages, [4, 2])
    })

    it('refuses invalid filters with a hint', async () => {
      await rejects(searchAudit(vault.driver, { since: 'yesterday-ish' }), 'VLT_INVALID_AUDIT_FILTER')
      await rejects(searchAudit(vault.driver, { limit: 0 }), 'VLT_INVALID_AUDIT_FILTER')
    })

    it('cannot be changed or deleted, even with SQL', async () => {
      await assert.rejects(vault.driver.run(`UPDATE audit SET outcome = 'succeeded'`), /immutable/)
      await assert.rejects(vault.driver.run('DELETE FROM audit'), /immutable/)
      assert.equal((await searchAudit(vault.driver)).length, 12)
    })
  })
}
