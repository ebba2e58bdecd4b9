/**
 * Running tasks once against a real vault and a real SQL target: a sync task collects, evaluates
 * and executes; evaluate-only and a threshold stop write nothing; a second run of a running task is
 * refused; an export writes the filter's rows as CSV (hostile values quoted) and rotates its files.
 */
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import Papa from 'papaparse'
import type { Clock } from '../core/index.ts'
import { acquireExecutionLease, getPlan, getRun, searchAudit } from '../vault/index.ts'
import { type Account, type EngineBed, type Person, createEngineBed } from '../../test/support/engine-bed.ts'
import { rejects } from '../../test/support/errors.ts'
import { VAULT_KINDS } from '../../test/support/vaults.ts'
import { runTask } from './run-task.ts'

const DOCUMENTS = `kind: Job
name: onboard
steps: [create_accounts]
---
kind: Job
name: limited
steps: [{ mapping: create_accounts, threshold: 2 }]
---
kind: Job
name: updates
steps: [update_accounts]
---
kind: Task
name: sync
type: sync
collect: [dir]
evaluate: [onboard]
---
kind: Task
name: careful
type: sync
evaluate: [updates, limited]
---
kind: Task
name: people_export
type: export
filter: everyone
file: exports/people-{date}.csv
keep: 2
delimiter: ';'
schedule: { cron: '0 2 * * *', timeZone: UTC }
`

const clock: Clock = { now: () => new Date('2026-12-01T10:00:00Z') }

const joiners: Person[] = [
  { id: 'J1', first_name: 'Ann', last_name: 'Lee' },
  { id: 'J2', first_name: 'Bo', last_name: 'Lee' },
  { id: 'J3', first_name: 'Cy', last_name: 'Lee' },
]

const existing: Account[] = [{ employee_id: 'E1', login: 'e1', given_name: 'Old' }]

for (const kind of VAULT_KINDS) {
  describe(`runTask (${kind} vault, SQLite target)`, () => {
    let bed: EngineBed
    beforeEach(async () => {
      bed = await createEngineBed(kind)
      await bed.load(DOCUMENTS)
    })
    afterEach(() => bed.close())

    it('collects, evaluates and executes a sync task, recorded as a task run', async () => {
      await bed.insertAccounts(existing)
      await bed.people(joiners)
      const run = await runTask(bed.vault.driver, bed.project, 'sync', { clock })
      assert.equal(run.error, undefined)
      assert.equal(run.status, 'succeeded')
      assert.deepEqual(
        run.collections.map((c) => c.system),
        ['dir'],
      )
      assert.equal(run.executions.length, 1)
      assert.deepEqual(
        (await bed.accounts()).map((a) => a.employee_id),
        ['E1', 'J1', 'J2', 'J3'],
      )
      const recorded = await getRun(bed.vault.driver, run.runId)
      assert.equal(recorded.kind, 'task')
      assert.equal(recorded.name, 'sync')
      assert.equal(recorded.status, 'succeeded')
      assert.deepEqual(recorded.counts, {
        collected: 1,
        collectedRows: 1,
        evaluated: 1,
        planned: 3,
        settledInDoubt: 0,
        succeeded: 3,
        failed: 0,
        skipped: 0,
      })
    })

    it('with evaluateOnly stores the plans and writes nothing to the targets', async () => {
      await bed.insertAccounts(existing)
      await bed.people(joiners)
      const run = await runTask(bed.vault.driver, bed.project, 'sync', { clock, evaluateOnly: true })
      assert.equal(run.status, 'succeeded')
      assert.equal(run.executions.length, 0)
      assert.equal(run.evaluations[0]?.steps[0]?.operations, 3)
      assert.equal((await getPlan(bed.vault.driver, run.evaluations[0].planId)).status, 'planned')
      assert.deepEqual(
        (await bed.accounts()).map((a) => a.employee_id),
        ['E1'],
      )
      assert.deepEqual(await searchAudit(bed.vault.driver), [])
    })

    it('executes nothing, not even the jobs before, when a job stops at a threshold', async () => {
      await bed.insertAccounts(existing)
      await bed.collectTarget()
      await bed.people([{ id: 'E1', first_name: 'New' }, ...joiners])
      const run = await runTask(bed.vault.driver, bed.project, 'careful', { clock })
      assert.equal(run.status, 'stopped')
      assert.deepEqual(
        run.evaluations.map((e) => [e.job, e.stopped]),
        [
          ['updates', false],
          ['limited', true],
        ],
      )
      assert.equal(run.evaluations[0]?.steps[0]?.operations, 1, 'the update was planned')
      assert.equal(run.executions.length, 0)
      assert.deepEqual(
        (await bed.accounts()).map((a) => [a.employee_id, a.given_name]),
        [['E1', 'Old']],
      )
      assert.equal((await getRun(bed.vault.driver, run.runId)).status, 'stopped')
    })

    it('refuses to start a task that is running', async () => {
      const lease = await acquireExecutionLease(bed.vault.driver, ['task:sync'], { holder: 'task sync' })
      try {
        const error = await rejects(runTask(bed.vault.driver, bed.project, 'sync', { clock }), 'JOB_TASK_RUNNING')
        assert.match(error.hint ?? '', /Wait for the running one/)
      } finally {
        await lease.release()
      }
    })

    it('ends as failed with the message when a stage fails', async () => {
      // hr.people was never collected: the filter of the job's mapping cannot run.
      const run = await runTask(bed.vault.driver, bed.project, 'careful', { clock })
      assert.equal(run.status, 'failed')
      assert.equal((run.error as { code?: string }).code, 'FLT_NOT_COLLECTED')
      const recorded = await getRun(bed.vault.driver, run.runId)
      assert.equal(recorded.status, 'failed')
      assert.equal(recorded.errorCode, 'FLT_NOT_COLLECTED')
    })

    it('ends as interrupted, having done nothing, when asked to stop', async () => {
      const run = await runTask(bed.vault.driver, bed.project, 'sync', { clock, signal: AbortSignal.abort() })
      assert.equal(run.status, 'interrupted')
      assert.deepEqual(run.collections, [])
      assert.equal((await getRun(bed.vault.driver, run.runId)).status, 'interrupted')
    })

    it('exports the filter rows as CSV, hostile values quoted, and keeps the newest files', async () => {
      await bed.collectTarget()
      const hostile = 'say "hi"; then\nleave'
      await bed.people([
        { id: 'P1', first_name: hostile, last_name: '=cmd|calc', tags: ['a', 'b'] },
        { id: 'P2', first_name: 'Bo' },
      ])
      const folder = path.join(bed.dir, 'exports')
      mkdirSync(folder, { recursive: true })
      const old = ['people-2026-11-28.csv', 'people-2026-11-29.csv', 'people-2026-11-30.csv']
      old.forEach((name, i) => {
        writeFileSync(path.join(folder, name), 'old')
        const at = new Date(Date.UTC(2026, 10, 28 + i))
        utimesSync(path.join(folder, name), at, at)
      })
      writeFileSync(path.join(folder, 'other.csv'), 'not ours')
      const run = await runTask(bed.vault.driver, bed.project, 'people_export', { clock })
      assert.equal(run.error, undefined)
      assert.equal(run.status, 'succeeded')
      assert.deepEqual(run.export, {
        file: 'exports/people-2026-12-01.csv',
        rows: 2,
        removed: ['exports/people-2026-11-29.csv', 'exports/people-2026-11-28.csv'],
      })
      assert.deepEqual(readdirSync(folder).sort(), ['other.csv', 'people-2026-11-30.csv', 'people-2026-12-01.csv'])
      const text = readFileSync(path.join(folder, 'people-2026-12-01.csv'), 'utf8')
      assert.match(text, /^p\.id;[^\r\n]*\r\nP1;/, 'the header, then the first row')
      assert.ok(text.includes(`"say ""hi""; then\nleave"`), text)
      assert.ok(text.includes(`"'=cmd|calc"`), 'a formula is defused and quoted')
      const parsed = Papa.parse<Record<string, string>>(text, { header: true, delimiter: ';', skipEmptyLines: true })
      assert.deepEqual(parsed.errors, [])
      const [p1, p2] = parsed.data
      assert.equal(p1?.['p.first_name'], hostile)
      assert.equal(p1?.['p.last_name'], "'=cmd|calc")
      assert.equal(p1?.['p.tags'], 'a|b')
      assert.equal(p2?.['p.last_name'], '', 'null is empty')
      assert.equal((await getRun(bed.vault.driver, run.runId)).counts['exportedRows'], 2)
    })
  })
}
