/**
 * Runs recorded completely, one run per task, and approval, against a real vault and a real SQL
 * target: a task with approval waits in the vault; approving executes exactly the stored plans
 * (drift-checked), rejecting makes them non-executable; a newer run supersedes an awaiting one;
 * a busy task is waited for (queued, then running) or refused naming the running run; every run
 * records its configuration revision and its log.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Clock, EventSink, ProvisioEvent } from '../core/index.ts'
import {
  acquireExecutionLease,
  createRun,
  getConfigRevision,
  getPlan,
  getRun,
  listRuns,
  readRunLog,
  searchAudit,
} from '../vault/index.ts'
import { type EngineBed, createEngineBed } from '../../test/support/engine-bed.ts'
import { rejects } from '../../test/support/errors.ts'
import { VAULT_KINDS } from '../../test/support/vaults.ts'
import { approveRun, rejectRun } from './approve-run.ts'
import { evaluateJob, executeStoredPlan, runJob } from './run-job.ts'
import { runTask } from './run-task.ts'

const DOCUMENTS = `kind: Job
name: updates
steps: [update_accounts]
---
kind: Job
name: onboard
steps: [create_accounts]
---
kind: Task
name: reviewed
type: sync
evaluate: [updates]
approval: true
---
kind: Task
name: sync
type: sync
collect: [dir]
evaluate: [onboard]
`

const clock: Clock = { now: () => new Date('2026-12-01T10:00:00Z') }

function recorder(): EventSink & { events: ProvisioEvent[] } {
  const events: ProvisioEvent[] = []
  return { events, wants: () => true, emit: (event) => void events.push(event) }
}

for (const kind of VAULT_KINDS) {
  describe(`task runs with approval, queueing, revisions and logs (${kind} vault)`, () => {
    let bed: EngineBed
    beforeEach(async () => {
      bed = await createEngineBed(kind)
      await bed.load(DOCUMENTS)
      await bed.insertAccounts([
        { employee_id: 'E1', login: 'e1', given_name: 'Old' },
        { employee_id: 'E2', login: 'e2', given_name: 'Old' },
      ])
      await bed.collectTarget()
      await bed.people([
        { id: 'E1', first_name: 'New' },
        { id: 'E2', first_name: 'New' },
      ])
    })
    afterEach(() => bed.close())

    const givenNames = async () => (await bed.accounts()).map((a) => [a.employee_id, a.given_name])

    it('waits for approval, then executes exactly the stored plan: a row changed since is skipped', async () => {
      const db = bed.vault.driver
      const sink = recorder()
      const run = await runTask(db, bed.project, 'reviewed', { clock, events: sink })
      assert.equal(run.status, 'awaiting-approval')
      assert.equal(run.executions.length, 0)
      const planId = run.evaluations[0]!.planId
      let recorded = await getRun(db, run.runId)
      assert.deepEqual([recorded.status, recorded.planIds], ['awaiting-approval', [planId]])
      assert.equal((await getPlan(db, planId)).status, 'planned')
      assert.deepEqual(await givenNames(), [
        ['E1', 'Old'],
        ['E2', 'Old'],
      ])
      const awaiting = sink.events.find((e) => e.type === 'run.awaiting-approval')
      assert.deepEqual(awaiting && { ...awaiting, at: undefined }, {
        type: 'run.awaiting-approval',
        name: 'reviewed',
        success: true,
        at: undefined,
        runId: run.runId,
        task: 'reviewed',
        planIds: [planId],
        planned: 2,
      })

      // Another tool changes E2 after the evaluation: the approved plan skips it, nothing is re-planned.
      await bed.target.admin.run("UPDATE accounts SET title = 'elsewhere' WHERE employee_id = 'E2'")
      await bed.collectTarget()
      const approved = await approveRun(db, bed.project, run.runId, { actor: 'alice', clock, events: sink })
      assert.equal(approved.status, 'succeeded')
      assert.deepEqual(
        approved.executions.map((e) => [e.job, e.planId, e.succeeded, e.skipped]),
        [['updates', planId, 1, 1]],
      )
      assert.deepEqual(await givenNames(), [
        ['E1', 'New'],
        ['E2', 'Old'],
      ])
      recorded = await getRun(db, run.runId)
      assert.deepEqual(
        [recorded.status, recorded.approvedBy, recorded.decidedAt, recorded.counts['succeeded']],
        ['succeeded', 'alice', '2026-12-01T10:00:00.000Z', 1],
      )
      const finished = sink.events
        .filter((e) => e.type === 'task.finished')
        .map((e) => e.type === 'task.finished' && e.status)
      assert.deepEqual(finished, ['awaiting-approval', 'succeeded'])
      await rejects(approveRun(db, bed.project, run.runId, { clock }), 'JOB_NOT_AWAITING_APPROVAL')
      const log = (await readRunLog(db, run.runId)).map((l) => l.message)
      assert.ok(
        log.some((m) => m.startsWith('awaiting approval: 2 operation(s)')),
        log.join('\n'),
      )
      assert.ok(
        log.some((m) => m.startsWith('approved by alice')),
        log.join('\n'),
      )
      assert.ok(
        log.some((m) => m.startsWith('execute updates finished: ')),
        log.join('\n'),
      )
    })

    it('refuses approval when a newer plan of the job exists', async () => {
      const db = bed.vault.driver
      const run = await runTask(db, bed.project, 'reviewed', { clock })
      const newer = await evaluateJob(db, bed.project, 'updates', { clock })
      const error = await rejects(approveRun(db, bed.project, run.runId, { clock }), 'JOB_APPROVAL_STALE')
      assert.match(error.message, new RegExp(`plan ${newer.planId} is newer than plan ${run.evaluations[0]!.planId}`))
      assert.match(error.hint ?? '', new RegExp(`provisio runs reject ${run.runId}`))
      assert.equal((await getRun(db, run.runId)).status, 'awaiting-approval', 'nothing was decided')
      assert.deepEqual(await searchAudit(db), [])
    })

    it('rejects a run: its plan can never be executed, and it cannot be approved', async () => {
      const db = bed.vault.driver
      const run = await runTask(db, bed.project, 'reviewed', { clock })
      const planId = run.evaluations[0]!.planId
      const rejected = await rejectRun(db, run.runId, { actor: 'bob', reason: 'not today', clock })
      assert.deepEqual([rejected.status, rejected.approvedBy, rejected.message], ['rejected', 'bob', 'not today'])
      assert.equal((await getPlan(db, planId)).status, 'rejected')
      await assert.rejects(executeStoredPlan(db, bed.project, planId, { clock }))
      await rejects(approveRun(db, bed.project, run.runId, { clock }), 'JOB_NOT_AWAITING_APPROVAL')
      await rejects(rejectRun(db, run.runId, { clock }), 'JOB_NOT_AWAITING_APPROVAL')
      assert.deepEqual(await givenNames(), [
        ['E1', 'Old'],
        ['E2', 'Old'],
      ])
    })

    it('rejects an awaiting run as superseded when the task runs again', async () => {
      const db = bed.vault.driver
      const first = await runTask(db, bed.project, 'reviewed', { clock })
      const second = await runTask(db, bed.project, 'reviewed', { clock })
      assert.equal(second.status, 'awaiting-approval')
      const earlier = await getRun(db, first.runId)
      assert.deepEqual([earlier.status, earlier.message], ['rejected', `superseded by run ${second.runId}`])
      assert.equal((await getPlan(db, first.evaluations[0]!.planId)).status, 'rejected')
      await rejects(approveRun(db, bed.project, first.runId, { clock }), 'JOB_NOT_AWAITING_APPROVAL')
      assert.equal((await approveRun(db, bed.project, second.runId, { clock })).status, 'succeeded')
    })

    it('waits for a running task when asked to: queued, then running once the lease is released', async () => {
      const db = bed.vault.driver
      const lease = await acquireExecutionLease(db, ['task:sync'], { holder: 'task sync' })
      const statuses: string[] = []
      let runId = 0
      const sleep = async () => {
        const [queued] = await listRuns(db, { kind: 'task', name: 'sync', limit: 1 })
        runId = queued!.id
        statuses.push(queued!.status)
        if (statuses.length === 2) await lease.release() // the other run ends while this one waits
      }
      const run = await runTask(db, bed.project, 'sync', { clock, whenBusy: 'wait', sleep, pollMs: 5 })
      assert.equal(run.runId, runId)
      assert.deepEqual(statuses, ['queued', 'queued'])
      assert.equal(run.status, 'succeeded')
      assert.equal((await getRun(db, run.runId)).status, 'succeeded')
      const log = (await readRunLog(db, run.runId)).map((l) => l.message)
      assert.match(log[0]!, /^queued: Task sync is already running; this run starts when it ends$/)
      assert.ok(log.includes('the task is free: this run starts'), log.join('\n'))
    })

    it('stops waiting when aborted: the queued run is recorded as interrupted', async () => {
      const db = bed.vault.driver
      const lease = await acquireExecutionLease(db, ['task:sync'], { holder: 'task sync' })
      try {
        const stop = new AbortController()
        const run = await runTask(db, bed.project, 'sync', {
          clock,
          whenBusy: 'wait',
          signal: stop.signal,
          sleep: async () => stop.abort(),
        })
        assert.equal(run.status, 'interrupted')
        const recorded = await getRun(db, run.runId)
        assert.equal(recorded.status, 'interrupted')
        assert.match(recorded.message ?? '', /stopped waiting before it started/)
      } finally {
        await lease.release()
      }
    })

    it('refuses a second start by default, naming the running run and since when', async () => {
      const db = bed.vault.driver
      const running = await createRun(db, { kind: 'task', name: 'sync', actor: 'cli', clock })
      const lease = await acquireExecutionLease(db, ['task:sync'], { holder: 'task sync' })
      try {
        const error = await rejects(runTask(db, bed.project, 'sync', { clock }), 'JOB_TASK_RUNNING')
        assert.equal(error.message, `Task sync is already running as run ${running} (since 2026-12-01T10:00:00.000Z).`)
      } finally {
        await lease.release()
      }
    })

    it('records the configuration revision (equal for an unchanged project) and the log of every run', async () => {
      const db = bed.vault.driver
      const a = await runTask(db, bed.project, 'sync', { clock })
      const b = await runJob(db, bed.project, 'onboard', { clock })
      const revision = (await getRun(db, a.runId)).configRevision!
      assert.equal((await getRun(db, b.runId)).configRevision, revision)
      const stored = await getConfigRevision(db, revision)
      assert.ok(stored.documents.some((d) => d.kind === 'Task' && d.name === 'reviewed'))
      await bed.load(`${DOCUMENTS}---\nkind: Job\nname: extra\nsteps: [update_accounts]\n`)
      const c = await runJob(db, bed.project, 'onboard', { clock })
      assert.notEqual((await getRun(db, c.runId)).configRevision, revision)
      assert.equal(a.configRevision.id, revision)

      const log = (await readRunLog(db, a.runId)).map((l) => `${l.level} ${l.message}`)
      for (const expected of [
        /^info task sync \(sync\) started by cli$/,
        /^info collect dir started$/,
        /^info collect dir finished: collection \d+, \d+ rows \(\d+ added, \d+ changed, \d+ removed\)$/,
        /^info evaluate onboard started$/,
        /^info evaluate onboard finished: plan \d+, 0 operation\(s\) planned$/,
        /^info task sync succeeded$/,
      ])
        assert.ok(
          log.some((l) => expected.test(l)),
          `${expected} in\n${log.join('\n')}`,
        )
      const jobLog = (await readRunLog(db, b.runId)).map((l) => l.message)
      assert.match(jobLog[0]!, /^job onboard started by cli$/)
    })
  })
}
