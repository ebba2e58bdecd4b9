/**
 * Evaluation into a stored plan against a real vault and a collected SQL target: creates with
 * generated names (unique against the target and against each other), passwords that exist only as
 * the name of a secret, deterministic ids, and step summaries with the rows that failed.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { type StoredOperation, getPlan, streamOperations } from '../vault/index.ts'
import { type EngineBed, type Person, createEngineBed } from '../../test/support/engine-bed.ts'
import { VAULT_KINDS } from '../../test/support/vaults.ts'
import { evaluatePlan } from './evaluate.ts'

async function operationsOf(bed: EngineBed, planId: number): Promise<StoredOperation[]> {
  const all: StoredOperation[] = []
  for await (const page of streamOperations(bed.vault.driver, planId)) all.push(...page)
  return all
}

const JOINERS: readonly Person[] = [
  { id: 'J1', first_name: 'Anna', last_name: 'Smith', tags: ['staff'], quota: 5 },
  { id: 'J2', first_name: 'Alex', last_name: 'Smith' },
  { id: 'J3', first_name: 'Zoë', last_name: "O'Brien-Łukasz 😀" },
  { id: 'J4', first_name: 'Eve', last_name: "x'); DROP TABLE accounts; --" },
]

for (const kind of VAULT_KINDS) {
  describe(`evaluatePlan (${kind} vault, SQLite target)`, () => {
    let bed: EngineBed
    beforeEach(async () => {
      bed = await createEngineBed(kind)
      await bed.load()
      // Ann Smith has asmith already: new Smiths with an A need the next counter value.
      await bed.insertAccounts([{ employee_id: 'E1', login: 'asmith', mail: 'asmith@example.test' }])
      await bed.collectTarget()
    })
    afterEach(() => bed.close())

    const evaluate = (...mappings: string[]) =>
      evaluatePlan(bed.vault.driver, bed.project, {
        source: { kind: 'mapping', name: mappings[0]! },
        steps: mappings.map((mapping) => ({ mapping })),
      })

    it('plans one create per row with names unique against the target and each other', async () => {
      await bed.people([{ id: 'E1', first_name: 'Ann', last_name: 'Smith' }, ...JOINERS])
      const evaluation = await evaluate('create_accounts')
      assert.deepEqual(
        evaluation.steps.map((s) => [s.mapping, s.operations, s.unchanged, s.failed]),
        [['create_accounts', 4, 0, 0]],
      )
      const operations = await operationsOf(bed, evaluation.planId)
      assert.deepEqual(
        operations.map((o) => [o.seq, o.attributes['employee_id'], o.attributes['login'], o.attributes['mail']]),
        [
          [1, 'J1', 'asmith2', 'asmith2@example.test'],
          [2, 'J2', 'asmith3', 'asmith3@example.test'],
          [3, 'J3', 'zobrienlukasz', 'zobrienlukasz@example.test'],
          [4, 'J4', 'exdroptableaccounts', 'exdroptableaccounts@example.test'],
        ],
      )
      const [anna] = operations
      assert.deepEqual(anna!.attributes, {
        employee_id: 'J1',
        login: 'asmith2',
        mail: 'asmith2@example.test',
        given_name: 'Anna',
        family_name: 'Smith',
        title: null,
        tags: ['staff'],
        quota: 50,
        enabled: true,
      })
      assert.equal(operations[2]!.attributes['family_name'], "O'Brien-Łukasz 😀", 'values are data, kept exactly')
      for (const o of operations) {
        assert.equal(o.semantics, 'create')
        assert.equal(o.keyValue, undefined, 'a create has no target row')
        assert.equal(o.status, 'planned')
      }
    })

    it('holds a password only as the name of a secret, never as a value', async () => {
      await bed.people(JOINERS)
      const { planId } = await evaluate('create_accounts')
      for (const o of await operationsOf(bed, planId)) {
        assert.deepEqual(o.secrets, ['password'])
        assert.ok(!('password' in o.attributes))
        // The source row is kept so that the password can be generated at execution, from it.
        assert.deepEqual(
          Object.keys(o.source ?? {}).filter((k) => k.startsWith('generated.')),
          ['generated.login', 'generated.mail'],
        )
      }
      const stored = await bed.vault.driver.query<Record<string, unknown>>(
        'SELECT * FROM plan_operations WHERE plan_id = ?',
        [planId],
      )
      for (const row of stored) {
        const text = JSON.stringify(row)
        assert.ok(!/"password"\s*:/.test(text.replaceAll('\\"', '"')), `no password value is stored: ${text}`)
      }
    })

    it('fails only the row whose names come out empty, and keeps its reason with the plan', async () => {
      await bed.people([...JOINERS, { id: 'J5', first_name: null, last_name: null }])
      const evaluation = await evaluate('create_accounts')
      const [step] = evaluation.steps
      assert.deepEqual([step!.operations, step!.failed], [4, 1])
      assert.deepEqual(
        step!.failures.map((f) => [f.mapping, f.row, f.code]),
        [['create_accounts', 'J5', 'ENG_NAME_EMPTY']],
      )
      const stored = await getPlan(bed.vault.driver, evaluation.planId)
      assert.equal(stored.status, 'planned')
      assert.deepEqual(
        stored.steps.map((s) => [s.mapping, s.semantics, s.operations, s.failed]),
        [['create_accounts', 'create', 4, 1]],
      )
    })

    it('gives the same operation ids when the same vault state is evaluated twice', async () => {
      await bed.people([...JOINERS, { id: 'E1', first_name: 'Ann', last_name: 'Smyth' }])
      const first = await evaluate('create_accounts', 'update_accounts')
      const second = await evaluate('create_accounts', 'update_accounts')
      assert.notEqual(second.planId, first.planId)
      const ids = async (planId: number) => (await operationsOf(bed, planId)).map((o) => [o.seq, o.step, o.id])
      const firstIds = await ids(first.planId)
      assert.equal(firstIds.length, 5, 'four creates and one update')
      assert.deepEqual(await ids(second.planId), firstIds)
    })

    it('hands out a name once per evaluation: a later step does not get the names of an earlier one', async () => {
      await bed.people(JOINERS.slice(0, 2))
      const { planId } = await evaluate('create_accounts', 'create_accounts')
      const logins = (await operationsOf(bed, planId)).map((o) => `${o.step}:${String(o.attributes['login'])}`)
      assert.deepEqual(logins, ['0:asmith2', '0:asmith3', '1:asmith4', '1:asmith5'])
    })
  })
}
