/**
 * Resuming interrupted tasks against a real vault and a real SQL target: a task whose last run was
 * interrupted (or left `running` by a process that died) is listed; one whose run is still going on
 * elsewhere, a disabled one, or one that ended otherwise is not. Running it again starts afresh: a
 * new plan is evaluated and executed, the interrupted run's plan is never executed.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Clock } from '../core/index.ts'
import { acquireExecutionLease, createRun, getPlan, getRun } from '../vault/index.ts'
import { type EngineBed, createEngineBed } from '../../test/support/engine-bed.ts'
import { VAULT_KINDS } from '../../test/support/vaults.ts'
import { tasksToResume } from './resume-runs.ts'
import { runTask } from './run-task.ts'

const DOCUMENTS = `kind: Job
name: onboard
steps: [create_accounts]
---
kind: Task
name: sync
type: sync
collect: [dir]
evaluate: [onboard]
---
kind: Task
name: other
type: sync
collect: [dir]
---
kind: Task
name: resting
type: sync
enabled: false
collect: [dir]
`

const clock: Clock = { now: () => new Date('2026-12-01T10:00:00Z') }

for (const kind of VAULT_KINDS) {
  describe(`tasksToResume (${kind} vault)`, () => {
    let bed: EngineBed
    beforeEach(async () => {
      bed = await createEngineBed(kind)
      await bed.load(DOCUMENTS)
    })
    afterEach(() => bed.close())

    it('lists nothing when no run was interrupted', async () => {
      assert.deepEqual(await tasksToResume(bed.vault.driver, bed.project), [])
      assert.equal((await runTask(bed.vault.driver, bed.project, 'other', { clock })).status, 'succeeded')
      assert.deepEqual(await tasksToResume(bed.vault.driver, bed.project), [])
    })

    it('re-plans an interrupted task from the start: a new plan, the old one never executed', async () => {
      await bed.people([
        { id: 'J1', first_name: 'Ann', last_name: 'Lee' },
        { id: 'J2', first_name: 'Bo', last_name: 'Lee' },
      ])
      // Stopped while evaluating: the plan is stored, nothing is executed.
      const stop = new AbortController()
      const interrupted = await runTask(bed.vault.driver, bed.project, 'sync', {
        clock,
        signal: stop.signal,
        onStage: (stage) => (stage === 'evaluate' ? stop.abort() : undefined),
      })
      assert.equal(interrupted.status, 'interrupted')
      const oldPlan = interrupted.evaluations[0]!.planId
      // Disabled tasks are not resumed, even when their last run was interrupted.
      await runTask(bed.vault.driver, bed.project, 'resting', { clock, signal: AbortSignal.abort() })
      assert.deepEqual(await tasksToResume(bed.vault.driver, bed.project), ['sync'])

      await bed.people([
        { id: 'J1', first_name: 'Ann', last_name: 'Lee' },
        { id: 'J2', first_name: 'Bo', last_name: 'Lee' },
        { id: 'J3', first_name: 'Cy', last_name: 'Lee' },
      ])
      const resumed = await runTask(bed.vault.driver, bed.project, 'sync', { clock, actor: 'scheduler' })
      assert.equal(resumed.status, 'succeeded')
      assert.notEqual(resumed.evaluations[0]!.planId, oldPlan, 'evaluated afresh')
      assert.equal(resumed.evaluations[0]!.steps[0]!.operations, 3, 'from the data as it is now')
      assert.deepEqual(
        (await bed.accounts()).map((a) => a.employee_id),
        ['J1', 'J2', 'J3'],
      )
      assert.notEqual((await getPlan(bed.vault.driver, oldPlan)).status, 'executed')
      assert.deepEqual(await tasksToResume(bed.vault.driver, bed.project), [])
    })

    it('counts a run left running by a process that died, not one whose process holds the lease', async () => {
      const runId = await createRun(bed.vault.driver, { kind: 'task', name: 'other', actor: 'scheduler', clock })
      assert.deepEqual(await tasksToResume(bed.vault.driver, bed.project), ['other'])

      const lease = await acquireExecutionLease(bed.vault.driver, ['task:other'], { holder: 'task other' })
      try {
        assert.deepEqual(await tasksToResume(bed.vault.driver, bed.project), [], 'still running elsewhere')
      } finally {
        await lease.release()
      }
      // Running it again marks the dead process's run interrupted.
      assert.equal((await runTask(bed.vault.driver, bed.project, 'other', { clock })).status, 'succeeded')
      assert.equal((await getRun(bed.vault.driver, runId)).status, 'interrupted')
    })
  })
}
