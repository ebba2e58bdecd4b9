/**
 * Running jobs against a real vault and a real SQL target: one plan for every enabled step, the
 * thresholds checked before anything is written, `force` to go on, the default threshold of
 * destructive steps, disabled steps skipped, and a second run that has nothing to do.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { executePlan } from '../engine/index.ts'
import { getPlan, getRun, searchAudit } from '../vault/index.ts'
import { type Account, type EngineBed, type Person, createEngineBed } from '../../test/support/engine-bed.ts'
import { VAULT_KINDS } from '../../test/support/vaults.ts'
import { runJob } from './run-job.ts'

const job = (name: string, ...steps: string[]) => ['kind: Job', `name: ${name}`, 'steps:', ...steps, ''].join('\n')

const JOBS = [
  job('onboard', '  - { mapping: create_accounts, threshold: 2 }', '  - update_accounts'),
  job('offboard', '  - disable_leavers'),
  job('updates_only', '  - { mapping: create_accounts, enabled: false }', '  - update_accounts'),
].join('---\n')

const accounts = (n: number, prefix = 'E'): Account[] =>
  Array.from({ length: n }, (_, i) => ({ employee_id: `${prefix}${i + 1}`, login: `${prefix}${i + 1}`.toLowerCase() }))

const joiners: Person[] = [
  { id: 'J1', first_name: 'Ann', last_name: 'Lee' },
  { id: 'J2', first_name: 'Bo', last_name: 'Lee' },
  { id: 'J3', first_name: 'Cy', last_name: 'Lee' },
]

for (const kind of VAULT_KINDS) {
  describe(`runJob (${kind} vault, SQLite target)`, () => {
    let bed: EngineBed
    beforeEach(async () => {
      bed = await createEngineBed(kind)
      await bed.load(JOBS)
    })
    afterEach(() => bed.close())

    async function given(existing: readonly Account[], people: readonly Person[]): Promise<void> {
      await bed.insertAccounts(existing)
      await bed.collectTarget()
      await bed.people(people)
    }

    it('stops before anything is written when a step plans more than its threshold', async () => {
      await given([], joiners)
      const run = await runJob(bed.vault.driver, bed.project, 'onboard')
      const { evaluation } = run
      assert.equal(evaluation.stopped, true)
      assert.equal(run.execution, undefined)
      assert.deepEqual(
        evaluation.exceeded.map((s) => [s.mapping, s.operations, s.threshold]),
        [['create_accounts', 3, { limit: 2, described: '2', exceeded: true }]],
      )
      assert.deepEqual(await bed.accounts(), [], 'the target is unchanged')
      assert.deepEqual(await searchAudit(bed.vault.driver), [])
      const plan = await getPlan(bed.vault.driver, evaluation.planId)
      assert.equal(plan.status, 'stopped')
      assert.deepEqual(plan.counts, { planned: 3 })
      assert.equal(plan.steps[0]?.threshold?.exceeded, true, 'the threshold result is stored with the plan')
      assert.equal((await getRun(bed.vault.driver, run.runId)).status, 'stopped')
      await assert.rejects(
        executePlan(bed.vault.driver, bed.project, evaluation.planId, { actor: 'test' }),
        (error: Error & { code?: string }) => error.code === 'ENG_PLAN_NOT_EXECUTABLE',
      )
      assert.deepEqual(await bed.accounts(), [])
    })

    it('goes on past an exceeded threshold with force, and records that it was exceeded', async () => {
      await given([], joiners)
      const run = await runJob(bed.vault.driver, bed.project, 'onboard', { force: true, actor: 'admin' })
      assert.equal(run.evaluation.stopped, false)
      assert.equal(run.evaluation.exceeded.length, 1)
      assert.deepEqual([run.execution?.status, run.execution?.succeeded], ['executed', 3])
      assert.deepEqual(
        (await bed.accounts()).map((a) => a['login']),
        ['alee', 'blee', 'clee'],
      )
      assert.equal((await getPlan(bed.vault.driver, run.evaluation.planId)).status, 'executed')
      const audit = await searchAudit(bed.vault.driver, { runId: run.runId })
      assert.deepEqual(
        audit.map((r) => r.actor),
        ['admin', 'admin', 'admin'],
      )
      assert.equal((await getRun(bed.vault.driver, run.runId)).status, 'succeeded')
    })

    it('gives a disable step 10% of the target table when the job sets no threshold', async () => {
      const leavers = (n: number): Person[] =>
        Array.from({ length: n }, (_, i) => ({ id: `E${i + 1}`, status: 'left' }))
      await given(accounts(20), leavers(3))
      const stopped = await runJob(bed.vault.driver, bed.project, 'offboard')
      assert.equal(stopped.evaluation.stopped, true)
      assert.deepEqual(stopped.evaluation.steps[0]?.threshold, {
        limit: 2,
        described: '10% of 20 rows = 2',
        exceeded: true,
      })
      assert.ok(
        (await bed.accounts()).every((a) => a['enabled'] === true),
        'nobody is disabled',
      )

      await bed.people(leavers(2))
      const run = await runJob(bed.vault.driver, bed.project, 'offboard')
      assert.equal(run.evaluation.stopped, false)
      assert.equal(run.execution?.succeeded, 2)
      assert.deepEqual(
        (await bed.accounts()).filter((a) => a['enabled'] === false).map((a) => a['employee_id']),
        ['E1', 'E2'],
      )
    })

    it('skips a disabled step and runs the others', async () => {
      await given(
        [{ employee_id: 'E1', login: 'e1', family_name: 'Old' }],
        [...joiners, { id: 'E1', last_name: 'New' }],
      )
      const run = await runJob(bed.vault.driver, bed.project, 'updates_only')
      assert.deepEqual(
        run.evaluation.steps.map((s) => [s.index, s.mapping, s.operations]),
        [[0, 'update_accounts', 1]],
      )
      assert.equal(run.execution?.succeeded, 1)
      assert.deepEqual(
        (await bed.accounts()).map((a) => [a['employee_id'], a['family_name']]),
        [['E1', 'New']],
        'no account was created',
      )
    })

    it('runs every step into one plan, in order; run again, it has nothing to do and writes nothing', async () => {
      await given(
        [{ employee_id: 'E1', login: 'e1', family_name: 'Old' }],
        [joiners[0]!, { id: 'E1', last_name: 'New' }],
      )
      const first = await runJob(bed.vault.driver, bed.project, 'onboard')
      assert.deepEqual(
        first.evaluation.steps.map((s) => [s.mapping, s.operations]),
        [
          ['create_accounts', 1],
          ['update_accounts', 1],
        ],
      )
      assert.deepEqual([first.execution?.status, first.execution?.succeeded], ['executed', 2])
      const written = (await searchAudit(bed.vault.driver)).length
      assert.equal(written, 2)
      // The write-back already shows the new account and the new name: nothing is left to do.
      const second = await runJob(bed.vault.driver, bed.project, 'onboard')
      assert.deepEqual(
        second.evaluation.steps.map((s) => s.operations),
        [0, 0],
      )
      assert.equal(second.execution, undefined)
      assert.equal((await searchAudit(bed.vault.driver)).length, written)
      assert.equal((await getRun(bed.vault.driver, second.runId)).status, 'succeeded')
    })
  })
}
