/**
 * Executing plans against a real SQL target with a real vault: bounded concurrency, retries of
 * retryable failures (provoked for real on PostgreSQL), a failure that never stops the others, one
 * outcome per operation, write-back visible at once, an audit record per write, the drift check,
 * and passwords that reach the target as a hash and nowhere else.
 *
 * The counting and failing connections below wrap the real SQL connection and delegate to it: they
 * observe or disturb the executor's calls; the system under test (executor, connector, vault) is real.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Row } from '../../core/index.ts'
import type { Connection, Operation } from '../../connectors/index.ts'
import { sqlError, verifyPassword } from '../../connectors/sql/index.ts'
import {
  OutcomeWriter,
  countOperations,
  getPlan,
  lookupCurrentRows,
  markRunning,
  requeueOperations,
  searchAudit,
  type StoredOperation,
  streamOperations,
} from '../../vault/index.ts'
import { type EngineBed, type Person, createEngineBed } from '../../../test/support/engine-bed.ts'
import { PG_URL, VAULT_KINDS } from '../../../test/support/vaults.ts'
import { evaluatePlan } from '../evaluate.ts'
import { executePlan } from '../execute-plan.ts'
import { ExecutionTargets } from '../execution-targets.ts'
import { settleInDoubtOperations } from '../settle-in-doubt.ts'
import { type ExecuteOptions, type ExecutionTarget, type OutcomeSink, executeStep } from './executor.ts'

/** The real connection, with `apply` passed through `around` first. */
function wrap(
  connection: Connection,
  around: (operation: Operation, apply: () => ReturnType<Connection['apply']>) => ReturnType<Connection['apply']>,
): Connection {
  return {
    check: () => connection.check(),
    discover: () => connection.discover(),
    read: (options) => connection.read(options),
    close: () => connection.close(),
    apply: (operation, context) => around(operation, () => connection.apply(operation, context)),
    ...(connection.lookup === undefined ? {} : { lookup: connection.lookup.bind(connection) }),
  }
}

/**
 * Executes every step of a plan the way executePlan does (markRunning before, an OutcomeWriter
 * after), but on the bed's target opened here, so that its connection can be wrapped.
 */
async function executeWrapped(
  bed: EngineBed,
  planId: number,
  around: Parameters<typeof wrap>[1],
  options: ExecuteOptions = {},
  /** Runs before each page is claimed: a rival executor claiming some of it first. */
  beforeClaim?: (operations: readonly StoredOperation[]) => Promise<void>,
): Promise<void> {
  const db = bed.vault.driver
  const targets = new ExecutionTargets(bed.project, {})
  try {
    const opened = await targets.open('dir')
    const target: ExecutionTarget = { ...opened, connection: wrap(opened.connection, around) }
    const writer = new OutcomeWriter(db, { actor: 'test' })
    const sink: OutcomeSink = {
      markRunning: async (operations) => {
        await beforeClaim?.(operations)
        return markRunning(
          db,
          planId,
          operations.map((o) => o.seq),
        )
      },
      add: (outcome) => writer.add(outcome),
      flush: () => writer.flush(),
      requeue: async (operations) => {
        await requeueOperations(
          db,
          planId,
          operations.map((o) => o.seq),
        )
      },
    }
    try {
      for (const step of (await getPlan(db, planId)).steps) {
        const pages = streamOperations(db, planId, { step: step.index, statuses: ['planned'] })
        await executeStep(pages, new Map([['dir', target]]), sink, options)
      }
    } finally {
      await writer.close()
    }
  } finally {
    await targets.close()
  }
}

const joiners = (n: number): Person[] =>
  Array.from({ length: n }, (_, i) => ({ id: `J${i + 1}`, first_name: 'Kim', last_name: `Lee${i + 1}` }))

/** The operations of a plan (of one step, in some statuses), in plan order. */
async function operationsOf(
  bed: EngineBed,
  planId: number,
  options: Parameters<typeof streamOperations>[2] = {},
): Promise<StoredOperation[]> {
  const all: StoredOperation[] = []
  for await (const page of streamOperations(bed.vault.driver, planId, options)) all.push(...page)
  return all
}

/** Each operation's status and attempts, by its key (an update's) or employee_id (a create's). */
async function statuses(bed: EngineBed, planId: number): Promise<Record<string, string>> {
  const operations = await operationsOf(bed, planId)
  return Object.fromEntries(
    operations.map((o) => [String(o.keyValue ?? o.attributes['employee_id']), `${o.status} ${o.attempts}`]),
  )
}

const noWait = async () => {}

/** A retryable failure after the statement may have committed: the connection broke off. */
const connectionLost = () => sqlError('CON_SQL_CONNECTION_LOST', 'The connection broke off (provoked).')

/** Each operation's status, attempts and message, by its key or employee_id. */
async function messages(bed: EngineBed, planId: number): Promise<Record<string, string>> {
  const operations = await operationsOf(bed, planId)
  return Object.fromEntries(
    operations.map((o) => [
      String(o.keyValue ?? o.attributes['employee_id']),
      `${o.status} ${o.attempts}${o.message === undefined ? '' : ` ${o.message}`}`,
    ]),
  )
}

for (const kind of VAULT_KINDS) {
  describe(`executor (${kind} vault, SQLite target)`, () => {
    let bed: EngineBed
    beforeEach(async () => {
      bed = await createEngineBed(kind, { execution: '{ concurrency: 3, maxAttempts: 3, retryDelay: 10ms }' })
      await bed.load()
      await bed.collectTarget()
    })
    afterEach(() => bed.close())

    const evaluate = async (...mappings: string[]) =>
      (
        await evaluatePlan(bed.vault.driver, bed.project, {
          source: { kind: 'mapping', name: mappings[0]! },
          steps: mappings.map((mapping) => ({ mapping })),
        })
      ).planId

    it('never has more than execution.concurrency operations at the target at once', async () => {
      await bed.people(joiners(10))
      const planId = await evaluate('create_accounts')
      let active = 0
      let most = 0
      await executeWrapped(bed, planId, async (_operation, apply) => {
        active++
        most = Math.max(most, active)
        try {
          // Yield before applying, so that every operation the limiter lets through is in flight together.
          await new Promise((resolve) => setImmediate(resolve))
          return await apply()
        } finally {
          active--
        }
      })
      assert.equal(most, 3, 'the limit is reached and never exceeded')
      assert.deepEqual((await countOperations(bed.vault.driver, planId)).byStatus, { succeeded: 10 })
      assert.equal((await bed.accounts()).length, 10)
    })

    it('retries a retryable failure with backoff, and gives up after maxAttempts', async () => {
      await bed.people(joiners(3))
      const planId = await evaluate('create_accounts')
      const tries: Record<string, number> = {}
      const waits: number[] = []
      await executeWrapped(
        bed,
        planId,
        async (operation, apply) => {
          const id = String(operation.attributes['employee_id'])
          tries[id] = (tries[id] ?? 0) + 1
          if (id === 'J1' && tries[id] === 1) throw sqlError('CON_SQL_BUSY', 'The database is busy (provoked once).')
          if (id === 'J2') throw sqlError('CON_SQL_BUSY', 'The database is busy (provoked every time).')
          if (id === 'J3' && tries[id] === 1) throw sqlError('CON_SQL_FAILED', 'Not retryable (provoked once).')
          return apply()
        },
        { sleep: async (ms) => void waits.push(ms) },
      )
      assert.deepEqual(tries, { J1: 2, J2: 3, J3: 1 }, 'retryable: until it works or 3 tries; otherwise once')
      assert.equal(waits.length, 3, 'one wait before each retry')
      for (const ms of waits) assert.ok(ms >= 8 && ms <= 40, `backoff from retryDelay 10ms: ${ms}`)
      assert.deepEqual(await statuses(bed, planId), {
        J1: 'succeeded 2',
        J2: 'failed 3',
        J3: 'failed 1',
      })
      const failures = await searchAudit(bed.vault.driver, { planId, outcome: 'failed' })
      assert.deepEqual(failures.map((r) => [r.after?.['employee_id'], r.errorCode]).sort(), [
        ['J2', 'CON_SQL_BUSY'],
        ['J3', 'CON_SQL_FAILED'],
      ])
      assert.deepEqual(
        (await bed.accounts()).map((a) => a['employee_id']),
        ['J1'],
      )
    })

    it('applies only the operations it claimed: one another executor claimed first is left to that one', async () => {
      await bed.people(joiners(3))
      const planId = await evaluate('create_accounts')
      const applied: string[] = []
      await executeWrapped(
        bed,
        planId,
        (operation, apply) => {
          applied.push(String(operation.attributes['employee_id']))
          return apply()
        },
        {},
        async (operations) => {
          const j2 = operations.find((o) => o.attributes['employee_id'] === 'J2')!
          await markRunning(bed.vault.driver, planId, [j2.seq])
        },
      )
      assert.deepEqual(applied.sort(), ['J1', 'J3'])
      assert.deepEqual(await statuses(bed, planId), { J1: 'succeeded 1', J2: 'running 1', J3: 'succeeded 1' })
    })

    it('hands secrets to the connector only: the target holds a hash, the vault nothing', async () => {
      await bed.people(joiners(2))
      const planId = await evaluate('create_accounts')
      const sent: string[] = []
      await executeWrapped(
        bed,
        planId,
        (operation, apply) => {
          sent.push(String(operation.attributes['password']))
          return apply()
        },
        { secretsFor: (o) => ({ password: `pw-${String(o.attributes['employee_id'])}-Fixed!1` }) },
      )
      assert.deepEqual(sent.sort(), ['pw-J1-Fixed!1', 'pw-J2-Fixed!1'])
      for (const account of await bed.accounts()) {
        const hash = String(account['password_hash'])
        assert.match(hash, /^scrypt\$/)
        assert.ok(await verifyPassword(`pw-${String(account['employee_id'])}-Fixed!1`, hash))
      }
      assert.ok(!(await bed.vaultText()).includes('Fixed!1'), 'no password in the vault')
    })

    it('runs the others when one fails: one outcome and one audit record per operation, written back at once', async () => {
      await bed.insertAccounts([{ employee_id: 'E1', login: 'asmith', given_name: 'Ann', family_name: 'Smith' }])
      await bed.collectTarget()
      await bed.people([
        { id: 'E1', first_name: 'Ann', last_name: 'Smith-Jones' },
        { id: 'J1', first_name: 'Bo', last_name: 'Li' },
        { id: 'J2', first_name: 'Zoë', last_name: "O'Brien'); DROP TABLE accounts; -- 😀" },
        { id: 'J3', first_name: 'Kai', last_name: 'Wu' },
      ])
      const planId = await evaluate('create_accounts', 'update_accounts')
      // The login planned for J3 is taken in the target after planning: its create must fail alone.
      await bed.insertAccounts([{ employee_id: 'X9', login: 'kwu' }])
      const summary = await executePlan(bed.vault.driver, bed.project, planId, { actor: 'tester', sleep: noWait })
      assert.deepEqual(
        [summary.status, summary.succeeded, summary.failed, summary.skipped],
        ['partially-failed', 3, 1, 0],
      )
      assert.deepEqual(await statuses(bed, planId), {
        J1: 'succeeded 1',
        J2: 'succeeded 1',
        J3: 'failed 1',
        E1: 'succeeded 1',
      })
      const failedOps = await operationsOf(bed, planId, { statuses: ['failed'] })
      assert.deepEqual(
        failedOps.map((o) => [o.attributes['employee_id'], o.errorCode]),
        [['J3', 'CON_SQL_UNIQUE_VIOLATION']],
      )

      const audit = await searchAudit(bed.vault.driver, { planId })
      assert.equal(audit.length, 4, 'one audit record per write, failed ones included')
      for (const record of audit) assert.equal(record.actor, 'tester')
      const e1 = audit.find((r) => r.keyValue === 'E1')!
      assert.deepEqual(
        [e1.function, e1.before, e1.after],
        ['accounts_update', { family_name: 'Smith' }, { family_name: 'Smith-Jones' }],
      )
      const j1 = audit.find((r) => r.after?.['employee_id'] === 'J1')!
      assert.deepEqual([j1.outcome, j1.after?.['login'], j1.after?.['password']], ['succeeded', 'bli', '(set)'])

      // Written back: the vault shows the new rows and the update without collecting the target again.
      const current = await lookupCurrentRows(bed.vault.driver, 'dir', 'accounts', 'employee_id', [
        'E1',
        'J1',
        'J2',
        'J3',
        'X9',
      ])
      assert.deepEqual([...current.keys()].sort(), ['E1', 'J1', 'J2'])
      assert.equal(current.get('E1')!.row['family_name'], 'Smith-Jones')
      assert.equal(current.get('J2')!.row['family_name'], "O'Brien'); DROP TABLE accounts; -- 😀")
      const again = await evaluatePlan(bed.vault.driver, bed.project, {
        source: { kind: 'mapping', name: 'again' },
        steps: [{ mapping: 'create_accounts' }, { mapping: 'update_accounts' }],
      })
      assert.equal(again.steps[0]!.operations, 1, 'only the failed create is planned again')
      const updates = await operationsOf(bed, again.planId, { step: 1 })
      assert.ok(!updates.some((o) => o.keyValue === 'E1'), 'the update of E1 is not planned again')

      const accounts = await bed.accounts()
      const j2 = accounts.find((a) => a['employee_id'] === 'J2')!
      assert.equal(j2['family_name'], "O'Brien'); DROP TABLE accounts; -- 😀", 'hostile text lands as text')
      assert.match(String(j2['password_hash']), /^scrypt\$/)
      assert.ok(!(await bed.vaultText()).includes('pw-J'), 'no generated password in the vault')
    })

    it('asks the target before retrying a create whose connection broke off: the row is there, so it is not inserted again', async () => {
      await bed.people(joiners(2))
      const planId = await evaluate('create_accounts')
      const tries: Record<string, number> = {}
      await executeWrapped(
        bed,
        planId,
        async (operation, apply) => {
          const id = String(operation.attributes['employee_id'])
          tries[id] = (tries[id] ?? 0) + 1
          if (id !== 'J1') return apply()
          // The insert commits, then the connection is lost before the answer arrives.
          await apply()
          throw connectionLost()
        },
        { sleep: noWait },
      )
      assert.deepEqual(tries, { J1: 1, J2: 1 }, 'J1 is looked up instead of inserted again')
      assert.deepEqual(await messages(bed, planId), {
        J1: 'succeeded 2 Confirmed in the target after a retry.',
        J2: 'succeeded 1',
      })
      assert.deepEqual(
        (await bed.accounts()).map((a) => a['employee_id']),
        ['J1', 'J2'],
      )
      const current = await lookupCurrentRows(bed.vault.driver, 'dir', 'accounts', 'employee_id', ['J1'])
      assert.equal(current.get('J1')?.row['login'], 'klee1', 'the confirmed row is written back')
      const j1 = (await searchAudit(bed.vault.driver, { planId })).find((r) => r.after?.['employee_id'] === 'J1')!
      assert.deepEqual([j1.outcome, j1.keyColumn, j1.keyValue], ['succeeded', 'employee_id', 'J1'])
    })

    it('asks the target before retrying a delete whose connection broke off: the row is gone, so it succeeded', async () => {
      await bed.insertAccounts([{ employee_id: 'L1', login: 'leaver' }])
      await bed.collectTarget()
      await bed.people([{ id: 'L1', status: 'left' }])
      const planId = await evaluate('delete_leavers')
      let tries = 0
      await executeWrapped(
        bed,
        planId,
        async (_operation, apply) => {
          tries++
          await apply()
          throw connectionLost()
        },
        { sleep: noWait },
      )
      assert.equal(tries, 1, 'not deleted again')
      assert.deepEqual(await messages(bed, planId), { L1: 'succeeded 2 Confirmed in the target after a retry.' })
      assert.deepEqual(await bed.accounts(), [])
      const current = await lookupCurrentRows(bed.vault.driver, 'dir', 'accounts', 'employee_id', ['L1'])
      assert.equal(current.size, 0, 'the removal is written back')
    })

    it('puts the operations an interrupt kept from the target back to planned, and plan execute resumes them', async () => {
      await bed.people(joiners(5))
      const planId = await evaluate('create_accounts')
      const controller = new AbortController()
      await executeWrapped(
        bed,
        planId,
        async (operation) => {
          // Interrupted while J1's first try fails: nothing reaches the target.
          if (operation.attributes['employee_id'] === 'J1') controller.abort()
          throw connectionLost()
        },
        { signal: controller.signal, sleep: noWait },
      )
      const status = Object.values(await statuses(bed, planId))
      assert.deepEqual(status, Array(5).fill('planned 1'), 'none is skipped or failed: none was applied')
      assert.deepEqual(await searchAudit(bed.vault.driver, { planId }), [])
      const summary = await executePlan(bed.vault.driver, bed.project, planId, { actor: 'test', sleep: noWait })
      assert.deepEqual([summary.status, summary.succeeded, summary.failed, summary.skipped], ['executed', 5, 0, 0])
      assert.equal((await bed.accounts()).length, 5)
    })

    it('settles an interrupt during the wait before a retry by asking the target', async () => {
      await bed.people(joiners(2))
      const planId = await evaluate('create_accounts')
      const controller = new AbortController()
      const stopped = new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve()))
      await executeWrapped(
        bed,
        planId,
        async (operation, apply) => {
          if (operation.attributes['employee_id'] === 'J1') await apply()
          // J2's try breaks off once the run is stopped, before its insert.
          else await stopped
          throw connectionLost()
        },
        {
          signal: controller.signal,
          // The run is stopped while J1 waits to try again: the real sleep rejects with the reason.
          sleep: async (_ms, signal) => {
            controller.abort()
            throw signal!.reason
          },
        },
      )
      assert.deepEqual(await messages(bed, planId), {
        J1: 'succeeded 1 Confirmed in the target after the run was stopped.',
        J2: 'planned 1',
      })
      const summary = await executePlan(bed.vault.driver, bed.project, planId, { actor: 'test' })
      assert.deepEqual([summary.status, summary.succeeded], ['executed', 2])
      assert.deepEqual(
        (await bed.accounts()).map((a) => a['employee_id']),
        ['J1', 'J2'],
      )
    })

    it("does not take a row written by the plan's own earlier step for drift", async () => {
      await bed.insertAccounts([
        { employee_id: 'L1', login: 'l1', family_name: 'Old' },
        { employee_id: 'L2', login: 'l2', family_name: 'Same' },
      ])
      await bed.collectTarget()
      await bed.people([
        { id: 'L1', last_name: 'New', status: 'left' },
        { id: 'L2', last_name: 'Same', status: 'left' },
      ])
      const planId = await evaluate('update_accounts', 'disable_leavers')
      // Another tool changes L2 after planning: that is drift. L1 is changed only by step 0.
      await bed.target.admin.run("UPDATE accounts SET title = 'elsewhere' WHERE employee_id = 'L2'")
      await bed.collectTarget()
      const summary = await executePlan(bed.vault.driver, bed.project, planId, { actor: 'test', driftCheck: true })
      assert.deepEqual([summary.succeeded, summary.skipped], [2, 1])
      const operations = await operationsOf(bed, planId)
      assert.deepEqual(
        operations.map((o) => [o.function, o.keyValue, o.status, o.errorCode ?? null]),
        [
          ['accounts_update', 'L1', 'succeeded', null],
          ['accounts_disable', 'L1', 'succeeded', null],
          ['accounts_disable', 'L2', 'skipped', 'ENG_TARGET_CHANGED'],
        ],
      )
      const byId = Object.fromEntries((await bed.accounts()).map((a) => [a['employee_id'], a])) as Record<string, Row>
      assert.deepEqual([byId['L1']!['family_name'], byId['L1']!['enabled']], ['New', false])
    })

    it('audits a create confirmed after a crash under the key of the row the target holds', async () => {
      await bed.people(joiners(1))
      const planId = await evaluate('create_accounts')
      const [operation] = await operationsOf(bed, planId)
      // The crash window: marked running, written to the target, never recorded.
      await markRunning(bed.vault.driver, planId, [operation!.seq])
      await bed.insertAccounts([{ employee_id: 'J1', login: String(operation!.attributes['login']) }])
      const targets = new ExecutionTargets(bed.project, {})
      try {
        assert.equal(await settleInDoubtOperations(bed.vault.driver, targets, ['dir'], { actor: 'test' }), 1)
      } finally {
        await targets.close()
      }
      const [record] = await searchAudit(bed.vault.driver, { planId })
      assert.deepEqual(
        [record?.outcome, record?.keyColumn, record?.keyValue, record?.message],
        ['succeeded', 'employee_id', 'J1', 'Confirmed in the target after an interrupted run.'],
      )
    })

    it('skips an operation whose target row changed since planning, and runs the rest', async () => {
      await bed.insertAccounts([
        { employee_id: 'E1', login: 'a', family_name: 'A' },
        { employee_id: 'E2', login: 'b', family_name: 'B' },
      ])
      await bed.collectTarget()
      await bed.people([
        { id: 'E1', last_name: 'A2' },
        { id: 'E2', last_name: 'B2' },
      ])
      const planId = await evaluate('update_accounts')
      await bed.target.admin.run("UPDATE accounts SET title = 'changed elsewhere' WHERE employee_id = 'E1'")
      await bed.collectTarget()
      const summary = await executePlan(bed.vault.driver, bed.project, planId, { actor: 'test', driftCheck: true })
      assert.deepEqual([summary.status, summary.succeeded, summary.skipped], ['executed', 1, 1])
      const skipped = await operationsOf(bed, planId, { statuses: ['skipped'] })
      assert.deepEqual(
        skipped.map((o) => [o.keyValue, o.errorCode]),
        [['E1', 'ENG_TARGET_CHANGED']],
      )
      const byId = Object.fromEntries((await bed.accounts()).map((a) => [a['employee_id'], a])) as Record<string, Row>
      assert.deepEqual([byId['E1']!['family_name'], byId['E1']!['title']], ['A', 'changed elsewhere'])
      assert.equal(byId['E2']!['family_name'], 'B2')
      assert.equal((await searchAudit(bed.vault.driver, { planId })).length, 1, 'a skipped operation writes nothing')
    })
  })

  describe(`executor (${kind} vault, PostgreSQL target)`, { skip: PG_URL === undefined }, () => {
    it('retries an operation whose connection was terminated mid-statement, and it succeeds', async () => {
      const bed = await createEngineBed(kind, { target: 'postgres', execution: '{ concurrency: 2, maxAttempts: 3 }' })
      try {
        await bed.load()
        await bed.insertAccounts([{ employee_id: 'E1', login: 'a', family_name: 'Before' }])
        await bed.collectTarget()
        await bed.people([{ id: 'E1', last_name: 'After' }])
        const planId = (
          await evaluatePlan(bed.vault.driver, bed.project, {
            source: { kind: 'mapping', name: 'update_accounts' },
            steps: [{ mapping: 'update_accounts' }],
          })
        ).planId
        // A second session holds the row, so that the update waits on its lock until it is terminated.
        let release!: () => void
        const released = new Promise<void>((resolve) => (release = resolve))
        let locked!: () => void
        const isLocked = new Promise<void>((resolve) => (locked = resolve))
        const holder = bed.target.admin.transaction(async (tx) => {
          await tx.query("SELECT employee_id FROM accounts WHERE employee_id = 'E1' FOR UPDATE")
          locked()
          await released
        })
        await isLocked
        const waits: number[] = []
        const execution = executePlan(bed.vault.driver, bed.project, planId, {
          actor: 'test',
          // The retry waits until the lock is gone, so that the second try can succeed.
          sleep: async (ms) => {
            waits.push(ms)
            release()
            await holder
          },
        })
        let pid: number | undefined
        while (pid === undefined) {
          const [row] = await bed.target.admin.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?",
            [`UPDATE "${bed.target.schema}".%`],
          )
          pid = row?.pid
          if (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 20))
        }
        await bed.target.admin.query('SELECT pg_terminate_backend(?)', [pid])
        const summary = await execution
        assert.deepEqual([summary.status, summary.succeeded, summary.failed], ['executed', 1, 0])
        assert.equal(waits.length, 1, 'one retry')
        assert.deepEqual(await statuses(bed, planId), { E1: 'succeeded 2' })
        assert.equal((await bed.accounts())[0]!['family_name'], 'After')
        const [record] = await searchAudit(bed.vault.driver, { planId })
        assert.deepEqual(
          [record!.outcome, record!.before, record!.after],
          ['succeeded', { family_name: 'Before' }, { family_name: 'After' }],
        )
      } finally {
        await bed.close()
      }
    })
  })
}
