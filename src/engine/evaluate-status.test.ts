/**
 * A plan is `evaluating` while its operations are stored and `planned` only once every step is: an
 * evaluation that breaks off leaves `evaluation-failed`, which is never executed — not by the store's
 * status rules, and not by executePlan — so a half-finished plan can never be applied as if whole.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { ProvisioError } from '../core/index.ts'
import { type SqlDriver, countOperations, getPlan, isExecutable, listPlans, updatePlan } from '../vault/index.ts'
import { type EngineBed, createEngineBed } from '../../test/support/engine-bed.ts'
import { VAULT_KINDS } from '../../test/support/vaults.ts'
import { evaluatePlan } from './evaluate.ts'
import { executePlan } from './execute-plan.ts'

const PEOPLE = [
  { id: 'J1', first_name: 'Anna', last_name: 'Öztürk' },
  { id: 'J2', first_name: 'Zoë', last_name: "x'); DROP TABLE plans; --" },
]

async function rejectsWith(promise: Promise<unknown>, codes: readonly string[]): Promise<ProvisioError> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof ProvisioError, `expected ProvisioError, got ${String(error)}`)
    assert.ok(codes.includes(error.code), `${error.code}: ${error.message}`)
    return error
  }
  assert.fail(`expected one of ${codes.join(', ')}`)
}

for (const kind of VAULT_KINDS) {
  describe(`evaluation status (${kind} vault)`, () => {
    let bed: EngineBed
    beforeEach(async () => {
      bed = await createEngineBed(kind)
      await bed.load()
      await bed.people(PEOPLE)
      await bed.collectTarget()
    })
    afterEach(() => bed.close())

    it('is evaluating while operations are stored, planned once every step is', async () => {
      const driver = bed.vault.driver
      const seen: string[] = []
      // The real driver; before each transaction (operations are stored in transactions) it notes the plan's status.
      const watched = new Proxy(driver, {
        get(target, name) {
          if (name === 'transaction') {
            return async (work: Parameters<SqlDriver['transaction']>[0]) => {
              const [plan] = await listPlans(target, { limit: 1 })
              seen.push(plan!.status)
              return target.transaction(work)
            }
          }
          const value: unknown = Reflect.get(target, name, target)
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
        },
      })
      const evaluation = await evaluatePlan(watched, bed.project, {
        source: { kind: 'mapping', name: 'create_accounts' },
        steps: [{ mapping: 'create_accounts' }],
      })
      assert.ok(seen.length > 0)
      assert.deepEqual(new Set(seen), new Set(['evaluating']))
      const plan = await getPlan(driver, evaluation.planId)
      assert.equal(plan.status, 'planned')
      assert.equal(isExecutable(plan.status), true)
    })

    it('marks a plan whose evaluation broke off evaluation-failed, and never executes it', async () => {
      const broken = new Error('the filter database went away')
      const planned = evaluatePlan(bed.vault.driver, bed.project, {
        source: { kind: 'job', name: 'directory' },
        steps: [{ mapping: 'create_accounts' }, { mapping: 'create_accounts' }],
        // The second step breaks off after the first step's operations are stored.
        onProgress: (step) => {
          if (step === 1) throw broken
        },
      })
      await assert.rejects(planned, (error) => error === broken)
      const [plan] = await listPlans(bed.vault.driver, { limit: 1 })
      assert.ok(plan !== undefined)
      assert.equal(plan.status, 'evaluation-failed')
      assert.deepEqual(
        plan.steps.map((s) => [s.mapping, s.operations]),
        [['create_accounts', 2]],
        'the steps stored before it broke off are shown',
      )
      assert.equal(isExecutable(plan.status), false)
      await rejectsWith(updatePlan(bed.vault.driver, plan.id, { status: 'executing' }), ['VLT_PLAN_STATE'])
      await rejectsWith(executePlan(bed.vault.driver, bed.project, plan.id, { actor: 'test' }), [
        'VLT_PLAN_STATE',
        'ENG_PLAN_NOT_EXECUTABLE',
      ])
      assert.deepEqual((await countOperations(bed.vault.driver, plan.id)).byStatus, { planned: 2 })
      assert.deepEqual(await bed.accounts(), [], 'nothing was written to the target')
      assert.equal((await getPlan(bed.vault.driver, plan.id)).status, 'evaluation-failed')
    })
  })
}
