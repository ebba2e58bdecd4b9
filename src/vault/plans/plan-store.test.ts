import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../../test/support/vaults.ts'
import {
  type NewOperation,
  countOperations,
  createPlan,
  createRun,
  findInDoubt,
  finishRun,
  getOperations,
  getPlan,
  getRun,
  insertOperations,
  listPlans,
  isExecutable,
  markRunning,
  openVaultDriver,
  streamOperations,
  updatePlan,
} from '../index.ts'
import { rejects } from '../../../test/support/errors.ts'

function operation(i: number, overrides: Partial<NewOperation> = {}): NewOperation {
  return {
    id: `op-${i}`,
    step: i % 2,
    mapping: i % 2 === 0 ? 'ad-create' : 'ad-update',
    system: 'ad',
    table: 'users',
    function: i % 2 === 0 ? 'users_create' : 'users_update',
    semantics: i % 2 === 0 ? 'create' : 'update',
    keyColumn: 'sAMAccountName',
    keyValue: `user${i}`,
    attributes: { givenName: `Zoë ${i}`, description: "x'); DROP TABLE plans; --", groups: ['b', 'a'], age: i },
    before: i % 2 === 0 ? undefined : { givenName: 'old' },
    secrets: i % 4 === 0 ? ['password'] : [],
    targetHash: i % 2 === 0 ? undefined : String(1e15 + i),
    ...overrides,
  }
}

for (const kind of VAULT_KINDS) {
  describe(`plan store (${kind})`, () => {
    let vault: TestVault
    before(async () => {
      vault = await createTestVault(kind)
    })
    after(async () => vault.close())

    it('stores 1,000 operations and gives them back in seq order, page by page, values intact', async () => {
      const planId = await createPlan(vault.driver, { source: { kind: 'job', name: 'ad-sync' } })
      const inserted = await insertOperations(
        vault.driver,
        planId,
        Array.from({ length: 1000 }, (_v, i) => operation(i)),
      )
      assert.deepEqual(inserted, { count: 1000, firstSeq: 1, lastSeq: 1000 })
      const pages: number[] = []
      const seqs: number[] = []
      for await (const page of streamOperations(vault.driver, planId, { pageSize: 300 })) {
        pages.push(page.length)
        seqs.push(...page.map((o) => o.seq))
      }
      assert.deepEqual(pages, [300, 300, 300, 100])
      assert.deepEqual(
        seqs,
        Array.from({ length: 1000 }, (_v, i) => i + 1),
      )
      const [first, second] = await getOperations(vault.driver, planId, [2, 1])
      assert.deepEqual(first, {
        ...operation(0),
        planId,
        seq: 1,
        before: undefined,
        secrets: ['password'],
        source: undefined,
        targetHash: undefined,
        status: 'planned',
        attempts: 0,
        errorCode: undefined,
        message: undefined,
        startedAt: undefined,
        finishedAt: undefined,
      })
      assert.equal(second!.targetHash, String(1e15 + 1))
      assert.deepEqual(second!.before, { givenName: 'old' })
      // A second call appends after the last seq.
      const more = await insertOperations(vault.driver, planId, [operation(1000)])
      assert.deepEqual(more, { count: 1, firstSeq: 1001, lastSeq: 1001 })
    })

    it('counts operations per status and per step, and filters the stream by status and step', async () => {
      const planId = await createPlan(vault.driver, { source: { kind: 'mapping', name: 'ad-create' } })
      await insertOperations(
        vault.driver,
        planId,
        Array.from({ length: 10 }, (_v, i) => operation(i)),
      )
      assert.deepEqual(await markRunning(vault.driver, planId, [3, 1, 2]), [1, 2, 3])
      const counts = await countOperations(vault.driver, planId)
      assert.equal(counts.total, 10)
      assert.deepEqual(counts.byStatus, { planned: 7, running: 3 })
      assert.deepEqual(counts.bySteps, [
        { step: 0, counts: { planned: 3, running: 2 } },
        { step: 1, counts: { planned: 4, running: 1 } },
      ])
      const planned: number[] = []
      for await (const page of streamOperations(vault.driver, planId, { statuses: ['planned'], step: 1, pageSize: 2 }))
        planned.push(...page.map((o) => o.seq))
      assert.deepEqual(planned, [4, 6, 8, 10])
      assert.deepEqual((await getPlan(vault.driver, planId)).counts, { planned: 7, running: 3 })
    })

    it('keeps a plan in its status rules and says what is possible', async () => {
      const planId = await createPlan(vault.driver, { source: { kind: 'job', name: 'rules' }, status: 'planned' })
      const plan = await getPlan(vault.driver, planId)
      assert.equal(plan.status, 'planned')
      assert.deepEqual(plan.source, { kind: 'job', name: 'rules' })
      await rejects(updatePlan(vault.driver, planId, { status: 'executed' }), 'VLT_PLAN_STATE')
      await rejects(updatePlan(vault.driver, planId, { status: 'evaluating' }), 'VLT_PLAN_STATE')
      await updatePlan(vault.driver, planId, { status: 'executing', executedAt: '2026-12-04T10:00:00.000Z' })
      await updatePlan(vault.driver, planId, { status: 'executing' }) // resuming after a crash
      const steps = [
        {
          index: 0,
          mapping: 'ad-create',
          system: 'ad',
          table: 'users',
          function: 'users_create',
          semantics: 'create' as const,
          operations: 5,
          unchanged: 0,
          failed: 1,
        },
      ]
      await updatePlan(vault.driver, planId, { status: 'executed', steps })
      const done = await getPlan(vault.driver, planId)
      assert.equal(done.status, 'executed')
      assert.equal(done.executedAt, '2026-12-04T10:00:00.000Z')
      assert.deepEqual(done.steps, steps)
      const error = await rejects(updatePlan(vault.driver, planId, { status: 'executing' }), 'VLT_PLAN_STATE')
      assert.match(error.message, /is executed; it cannot become executing/)
      await rejects(getPlan(vault.driver, 987654), 'VLT_UNKNOWN_PLAN')
      await rejects(updatePlan(vault.driver, 987654, { status: 'executing' }), 'VLT_UNKNOWN_PLAN')
      const listed = await listPlans(vault.driver, { source: { kind: 'job', name: 'rules' } })
      assert.deepEqual(
        listed.map((p) => p.id),
        [planId],
      )
      assert.ok((await listPlans(vault.driver, { limit: 2 })).length === 2)
    })

    it('never executes a plan whose evaluation did not finish, and lists it as such', async () => {
      const source = { kind: 'job' as const, name: 'half-finished' }
      // A process that died while storing operations leaves its plan `evaluating` for good.
      const dead = await createPlan(vault.driver, { source })
      await insertOperations(vault.driver, dead, [operation(1), operation(2)])
      assert.equal((await getPlan(vault.driver, dead)).status, 'evaluating')
      assert.equal(isExecutable('evaluating'), false)
      const stillEvaluating = await rejects(updatePlan(vault.driver, dead, { status: 'executing' }), 'VLT_PLAN_STATE')
      assert.match(stillEvaluating.hint ?? '', /never executed/)
      await rejects(updatePlan(vault.driver, dead, { status: 'stopped' }), 'VLT_PLAN_STATE')
      await rejects(updatePlan(vault.driver, dead, { status: 'failed' }), 'VLT_PLAN_STATE')

      // An evaluation that broke off: `evaluation-failed` is final.
      const broken = await createPlan(vault.driver, { source })
      await insertOperations(vault.driver, broken, [operation(3)])
      await updatePlan(vault.driver, broken, { status: 'evaluation-failed' })
      assert.equal(isExecutable('evaluation-failed'), false)
      for (const status of ['executing', 'planned', 'failed', 'interrupted'] as const) {
        const error = await rejects(updatePlan(vault.driver, broken, { status }), 'VLT_PLAN_STATE')
        assert.match(error.message, new RegExp(`is evaluation-failed; it cannot become ${status}`))
        assert.match(error.hint ?? '', /broke off/)
      }

      // A whole evaluation: `planned`, then executable; an execution failure may be retried.
      const whole = await createPlan(vault.driver, { source })
      await insertOperations(vault.driver, whole, [operation(4)])
      await updatePlan(vault.driver, whole, { status: 'planned' })
      assert.equal(isExecutable('planned'), true)
      await updatePlan(vault.driver, whole, { status: 'executing' })
      await updatePlan(vault.driver, whole, { status: 'failed' })
      assert.equal(isExecutable('failed'), true)
      await updatePlan(vault.driver, whole, { status: 'executing' })

      const listed = await listPlans(vault.driver, { source })
      assert.deepEqual(
        listed.map((p) => [p.id, p.status, p.counts]),
        [
          [whole, 'executing', { planned: 1 }],
          [broken, 'evaluation-failed', { planned: 1 }],
          [dead, 'evaluating', { planned: 2 }],
        ],
      )
    })

    it('claims operations: returns the seqs it moved to running, never one running, succeeded or skipped', async () => {
      const planId = await createPlan(vault.driver, { source: { kind: 'job', name: 'doubt' } })
      await insertOperations(vault.driver, planId, [
        operation(1, { system: 'doubtful' }),
        operation(2, { system: 'doubtful' }),
        operation(3, { system: 'other' }),
        operation(4, { system: 'other' }),
      ])
      assert.deepEqual(await markRunning(vault.driver, planId, []), [])
      assert.deepEqual(await markRunning(vault.driver, planId, [1, 2, 3, 99]), [1, 2, 3])
      // Already running: another executor holds it (or it is in doubt), so it cannot be claimed again.
      assert.deepEqual(await markRunning(vault.driver, planId, [1, 4]), [4])
      await vault.driver.run(`UPDATE plan_operations SET status = 'succeeded' WHERE plan_id = ? AND seq = 2`, [planId])
      await vault.driver.run(`UPDATE plan_operations SET status = 'failed' WHERE plan_id = ? AND seq = 3`, [planId])
      await vault.driver.run(`UPDATE plan_operations SET status = 'skipped' WHERE plan_id = ? AND seq = 4`, [planId])
      assert.deepEqual(await markRunning(vault.driver, planId, [2, 3, 4]), [3]) // a failed one may be tried again
      const inDoubt = await findInDoubt(vault.driver, { system: 'doubtful' })
      assert.deepEqual(
        inDoubt.map((o) => [o.planId, o.seq, o.attempts, o.status]),
        [[planId, 1, 1, 'running']],
      )
      assert.ok(inDoubt[0]!.startedAt !== undefined)
      assert.deepEqual(
        (await findInDoubt(vault.driver, { planId })).map((o) => [o.seq, o.attempts]),
        [
          [1, 1],
          [3, 2],
        ],
      )
    })

    it('lets two executors racing on one plan claim each operation exactly once', async () => {
      const planId = await createPlan(vault.driver, { source: { kind: 'job', name: 'race' } })
      const seqs = Array.from({ length: 1200 }, (_v, i) => i + 1)
      await insertOperations(
        vault.driver,
        planId,
        seqs.map((i) => operation(i)),
      )
      // A second connection, as a second process has. PostgreSQL runs both claims at once (their pages
      // overlap, in different orders); SQLite runs one writer at a time, and better-sqlite3 would wait
      // for a lock synchronously, blocking the other connection in this same process: one after the other.
      const other = await openVaultDriver({
        projectDir: vault.projectDir,
        database: vault.database,
        schema: vault.schema,
      })
      try {
        const claims = [
          () => markRunning(vault.driver, planId, seqs),
          () => markRunning(other, planId, seqs.toReversed()),
        ]
        const [mine, theirs] =
          kind === 'postgres'
            ? await Promise.all(claims.map((claim) => claim()))
            : [await claims[0]!(), await claims[1]!()]
        assert.ok(mine !== undefined && theirs !== undefined)
        assert.equal(mine.length + theirs.length, seqs.length)
        assert.deepEqual(
          [...mine, ...theirs].sort((a, b) => a - b),
          seqs,
        )
        const counts = await countOperations(vault.driver, planId)
        assert.deepEqual(counts.byStatus, { running: 1200 })
      } finally {
        await other.close()
      }
    })

    it('refuses an operation that carries a secret value, and stores none of its batch', async () => {
      const planId = await createPlan(vault.driver, { source: { kind: 'job', name: 'secrets' } })
      const leaking = operation(1, { secrets: ['password'], attributes: { password: 'Geheim!1' } })
      const error = await rejects(
        insertOperations(vault.driver, planId, [operation(0), leaking]),
        'VLT_INVALID_OPERATION',
      )
      assert.match(error.message, /secret parameter password/)
      assert.doesNotMatch(error.message, /Geheim/)
      assert.equal((await countOperations(vault.driver, planId)).total, 0)
      await rejects(
        insertOperations(vault.driver, planId, [operation(2, { keyValue: ['a', 'b'] })]),
        'VLT_INVALID_OPERATION',
      )
    })

    it('records runs from start to finish', async () => {
      const runId = await createRun(vault.driver, { kind: 'job', name: 'ad-sync', planId: 7, actor: 'cli' })
      const started = await getRun(vault.driver, runId)
      assert.equal(started.status, 'running')
      assert.deepEqual(started.counts, {})
      await finishRun(vault.driver, runId, { status: 'partially-failed', counts: { succeeded: 9, failed: 1 } })
      const finished = await getRun(vault.driver, runId)
      assert.equal(finished.status, 'partially-failed')
      assert.equal(finished.planId, 7)
      assert.deepEqual(finished.counts, { succeeded: 9, failed: 1 })
      assert.ok(finished.finishedAt !== undefined)
      await rejects(getRun(vault.driver, 424242), 'VLT_UNKNOWN_RUN')
      await rejects(finishRun(vault.driver, 424242, { status: 'failed' }), 'VLT_UNKNOWN_RUN')
    })
  })
}
