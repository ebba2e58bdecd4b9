/**
 * Edge cases of task runs against a real vault and SQL target: a plan that awaits approval is
 * executed only by approving its run (never by executing the plan directly); a queued run whose
 * process died does not stay `queued` for good; a run that cannot be recorded leaves its task free; a graceful stop mid-execution ends the run
 * `interrupted` without recording the stop as an error; a run longer than its maxDuration is stopped
 * (between stages) as failed, writing nothing.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Clock } from '../core/index.ts'
import { createRun, getPlan, getRun, searchAudit } from '../vault/index.ts'
import { type EngineBed, createEngineBed } from '../../test/support/engine-bed.ts'
import { rejects } from '../../test/support/errors.ts'
import { VAULT_KINDS } from '../../test/support/vaults.ts'
import { approveRun } from './approve-run.ts'
import { executeStoredPlan } from './run-job.ts'
import { runTask } from './run-task.ts'
import { queuedRunLease } from './task-lease.ts'

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
name: reviewed
type: sync
collect: [dir]
evaluate: [onboard]
approval: true
---
kind: Task
name: hasty
type: sync
collect: [dir]
evaluate: [onboard]
maxDuration: 1ms
`

const clock: Clock = { now: () => new Date('2026-12-01T10:00:00Z') }

for (const kind of VAULT_KINDS) {
  describe(`task run edge cases (${kind} vault)`, () => {
    let bed: EngineBed
    beforeEach(async () => {
      bed = await createEngineBed(kind)
      await bed.load(DOCUMENTS)
      await bed.people([
        { id: 'J1', first_name: 'Ann', last_name: 'Lee' },
        { id: 'J2', first_name: 'Bo', last_name: 'Lee' },
        { id: 'J3', first_name: 'Cy', last_name: 'Lee' },
      ])
    })
    afterEach(() => bed.close())

    it('stops a run that takes longer than its maxDuration, as failed, before anything is written', async () => {
      const db = bed.vault.driver
      // 1 ms passes while the collection reads and commits (real I/O); the next stage finds the time up.
      const run = await runTask(db, bed.project, 'hasty', { clock })
      assert.equal(run.status, 'failed')
      assert.equal((run.error as { code?: string } | undefined)?.code, 'JOB_TASK_TIMED_OUT')
      assert.match(run.error!.message, /ran longer than its maxDuration of 1ms and was stopped/)
      assert.deepEqual(run.executions, [])
      const recorded = await getRun(db, run.runId)
      assert.deepEqual([recorded.status, recorded.errorCode], ['failed', 'JOB_TASK_TIMED_OUT'])
      assert.deepEqual(await searchAudit(db), [])
      // The lease is free again: the task runs (and times out) once more rather than being refused.
      assert.equal((await runTask(db, bed.project, 'hasty', { clock })).status, 'failed')
    })

    it('refuses to execute a plan that awaits approval other than by approving its run', async () => {
      const db = bed.vault.driver
      const run = await runTask(db, bed.project, 'reviewed', { clock })
      assert.equal(run.status, 'awaiting-approval')
      const planId = run.evaluations[0]!.planId
      const error = await rejects(executeStoredPlan(db, bed.project, planId, { clock }), 'JOB_PLAN_AWAITING_APPROVAL')
      assert.match(error.message, new RegExp(`awaits approval with run ${run.runId} of task reviewed`))
      assert.equal((await getPlan(db, planId)).status, 'planned')
      assert.deepEqual(await searchAudit(db), [])
      assert.deepEqual(await bed.accounts(), [])

      const approved = await approveRun(db, bed.project, run.runId, { clock })
      assert.equal(approved.status, 'succeeded')
      assert.equal((await bed.accounts()).length, 3)
    })

    it('marks a queued run whose process died interrupted when the task next runs; a waiting one stays queued', async () => {
      const db = bed.vault.driver
      const dead = await createRun(db, { kind: 'task', name: 'sync', actor: 'cli', clock, status: 'queued' })
      const alive = await createRun(db, { kind: 'task', name: 'sync', actor: 'cli', clock, status: 'queued' })
      const waiting = await queuedRunLease(db, 'sync', alive, clock) // its process still waits
      try {
        assert.equal((await runTask(db, bed.project, 'sync', { clock })).status, 'succeeded')
        const ended = await getRun(db, dead)
        assert.equal(ended.status, 'interrupted')
        assert.match(ended.message ?? '', /ended while the run was queued/)
        assert.equal((await getRun(db, alive)).status, 'queued')
      } finally {
        await waiting.release()
      }
    })

    it('releases the task lease when recording the run fails', async () => {
      const db = bed.vault.driver
      // The vault refuses the run's row (a full disk, a lost connection): the task must not stay locked.
      const failing = new Proxy(db, {
        get(target, key) {
          if (key === 'query')
            return (sql: string, params?: unknown[]) =>
              sql.trimStart().startsWith('INSERT INTO runs')
                ? Promise.reject(new Error('disk full'))
                : target.query(sql, params as never)
          const value: unknown = Reflect.get(target, key, target)
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
        },
      })
      await assert.rejects(runTask(failing, bed.project, 'sync', { clock }), /disk full/)
      assert.equal((await runTask(db, bed.project, 'sync', { clock })).status, 'succeeded')
    })

    it('ends a run stopped mid-execution as interrupted, without an error', async () => {
      const db = bed.vault.driver
      const stop = new AbortController()
      const run = await runTask(db, bed.project, 'sync', {
        clock,
        signal: stop.signal,
        onExecuteProgress: () => stop.abort(),
      })
      assert.equal(run.status, 'interrupted')
      assert.equal(run.error, undefined)
      const recorded = await getRun(db, run.runId)
      assert.equal(recorded.status, 'interrupted')
      assert.equal(recorded.errorCode, undefined)
      assert.match(recorded.message ?? '', /^Asked to stop/)
      assert.ok((run.counts['succeeded'] ?? 0) >= 1)
    })
  })
}
