import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../../test/support/vaults.ts'
import {
  type NewOperation,
  closeInterruptedExecution,
  createPlan,
  createRun,
  getPlan,
  getRun,
  insertOperations,
  interruptRuns,
  updatePlan,
} from '../index.ts'

function operation(system: string, i: number): NewOperation {
  return {
    id: `${system}-${i}`,
    step: 0,
    mapping: `${system}_create`,
    system,
    table: 'users',
    function: 'users_create',
    semantics: 'create',
    attributes: { sAMAccountName: `o'brien${i}; DROP TABLE plans; --` },
  }
}

/** A plan of a job whose operations write to `system`, moved to `status`. */
async function planOn(vault: TestVault, system: string, status: 'executing' | 'executed'): Promise<number> {
  const id = await createPlan(vault.driver, { source: { kind: 'job', name: `job-${system}` }, status: 'planned' })
  await insertOperations(vault.driver, id, [operation(system, 1), operation(system, 2)])
  await updatePlan(vault.driver, id, { status: 'executing' })
  if (status === 'executed') await updatePlan(vault.driver, id, { status: 'executed' })
  return id
}

async function writeBackCollection(vault: TestVault, system: string, status: string): Promise<number> {
  const rows = await vault.driver.query<{ id: number }>(
    `INSERT INTO collections (system, kind, status, started_at, forced) VALUES (?, 'write-back', ?, ?, 0) RETURNING id`,
    [system, status, '2026-12-01T00:00:00.000Z'],
  )
  return Number(rows[0]!.id)
}

async function collectionStatus(vault: TestVault, id: number): Promise<string> {
  const rows = await vault.driver.query<{ status: string }>('SELECT status FROM collections WHERE id = ?', [id])
  return rows[0]!.status
}

for (const kind of VAULT_KINDS) {
  describe(`closing what a dead executor left open (${kind})`, () => {
    let vault: TestVault
    before(async () => {
      vault = await createTestVault(kind)
    })
    after(async () => vault.close())

    it("interrupts the system's executing plans and finishes its running write-back collections, nothing else", async () => {
      const directory = await planOn(vault, 'directory', 'executing')
      const done = await planOn(vault, 'directory', 'executed')
      const other = await planOn(vault, 'other', 'executing')
      const open = await writeBackCollection(vault, 'directory', 'running')
      const otherOpen = await writeBackCollection(vault, 'other', 'running')

      assert.deepEqual(await closeInterruptedExecution(vault.driver, 'directory'), { plans: 1, collections: 1 })
      assert.equal((await getPlan(vault.driver, directory)).status, 'interrupted')
      assert.equal((await getPlan(vault.driver, done)).status, 'executed')
      assert.equal((await getPlan(vault.driver, other)).status, 'executing')
      assert.equal(await collectionStatus(vault, open), 'succeeded')
      assert.equal(await collectionStatus(vault, otherOpen), 'running')
      // An interrupted plan stays executable: `plan execute` resumes it.
      await updatePlan(vault.driver, directory, { status: 'executing' })
      assert.deepEqual(await closeInterruptedExecution(vault.driver, 'nobody'), { plans: 0, collections: 0 })
    })

    it('marks the earlier running runs of the same job interrupted, not the asking run or other jobs', async () => {
      const dead = await createRun(vault.driver, { kind: 'job', name: "accounts'; --", actor: 'cli' })
      const other = await createRun(vault.driver, { kind: 'job', name: 'groups', actor: 'cli' })
      const current = await createRun(vault.driver, { kind: 'job', name: "accounts'; --", actor: 'cli' })

      assert.equal(await interruptRuns(vault.driver, { kind: 'job', name: "accounts'; --", except: current }), 1)
      const interrupted = await getRun(vault.driver, dead)
      assert.equal(interrupted.status, 'interrupted')
      assert.ok(interrupted.finishedAt !== undefined)
      assert.match(interrupted.message ?? '', /ended before the run finished/)
      assert.equal((await getRun(vault.driver, other)).status, 'running')
      assert.equal((await getRun(vault.driver, current)).status, 'running')
    })
  })
}
