/**
 * The soll-ist diff of keyed mappings (update, delete, disable) against a real vault holding a
 * collected SQL target: only what differs is planned, under the target columns' compare rules, and a
 * row that cannot be planned fails alone with its reason. Creates are covered by evaluate.test.ts.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { lookupCurrentRows, openReader } from '../../vault/index.ts'
import { type Account, type EngineBed, type Person, createEngineBed } from '../../../test/support/engine-bed.ts'
import { VAULT_KINDS } from '../../../test/support/vaults.ts'
import { prepareMapping } from './mapping-runtime.ts'
import { type PlanServices, type PlannedOperation, type RowFailure, planMapping } from './plan-mapping.ts'

interface Planned {
  readonly operations: PlannedOperation[]
  readonly failures: RowFailure[]
  readonly unchanged: number
  readonly pages: number
}

/** Plans `mapping` from the vault as the evaluation does (a reader of its own), all pages merged. */
async function plan(bed: EngineBed, mapping: string, pageSize?: number): Promise<Planned> {
  const runtime = prepareMapping(bed.project, mapping, bed.vault.driver.dialect.name)
  const { reader, release } = await openReader(bed.vault.driver)
  const services: PlanServices = {
    lookupTargets: (r, keys) =>
      lookupCurrentRows(reader, r.system.name, r.table.name, r.key!.column.name, keys, {
        caseInsensitive: r.key!.column.caseInsensitive,
      }),
  }
  const planned = { operations: [] as PlannedOperation[], failures: [] as RowFailure[], unchanged: 0, pages: 0 }
  try {
    for await (const page of planMapping(reader, runtime, services, { pageSize })) {
      planned.operations.push(...page.operations)
      planned.failures.push(...page.failures)
      planned.unchanged += page.unchanged
      planned.pages++
    }
  } finally {
    await release()
  }
  return planned
}

/** Failures as `row CODE`. */
const failed = (p: Planned) => p.failures.map((f) => `${f.row} ${f.code}`)

const ANN: Account = {
  employee_id: 'E1',
  login: 'asmith',
  mail: 'Ann.Smith@Example.test',
  given_name: 'Ann',
  family_name: 'Smith',
  title: null,
  tags: ['b', 'a'],
  quota: 10,
}
/** Ann as HR has her: the same under the column rules, though no value is written identically. */
const ANN_IN_HR: Person = {
  id: 'E1',
  first_name: 'Ann',
  last_name: 'Smith',
  mail: 'ann.smith@EXAMPLE.TEST',
  title: '',
  tags: ['a', 'b', 'a'],
  quota: 1,
}

for (const kind of VAULT_KINDS) {
  describe(`planMapping (${kind} vault, SQLite target)`, () => {
    let bed: EngineBed
    beforeEach(async () => {
      bed = await createEngineBed(kind)
      await bed.load()
    })
    afterEach(() => bed.close())

    async function given(accounts: readonly Account[], people: readonly Person[]): Promise<void> {
      await bed.insertAccounts(accounts)
      await bed.collectTarget()
      await bed.people(people)
    }

    it('plans only the changed attributes of an update, with their values before', async () => {
      await given(
        [ANN, { employee_id: 'E2', login: 'bnew', given_name: 'Bob', family_name: 'Old', title: 'Dev', tags: ['x'] }],
        [ANN_IN_HR, { id: 'E2', first_name: 'Bob', last_name: 'New', title: 'Dev', tags: ['y', 'x'] }],
      )
      const planned = await plan(bed, 'update_accounts')
      assert.deepEqual(failed(planned), [])
      assert.equal(planned.unchanged, 1, 'Ann needs nothing')
      assert.equal(planned.operations.length, 1)
      const [bob] = planned.operations
      assert.deepEqual(
        {
          function: bob!.function,
          semantics: bob!.semantics,
          key: [bob!.keyColumn, bob!.keyValue],
          attributes: bob!.attributes,
          before: bob!.before,
          secrets: bob!.secrets,
        },
        {
          function: 'accounts_update',
          semantics: 'update',
          key: ['employee_id', 'E2'],
          attributes: { family_name: 'New', tags: ['x', 'y'] },
          before: { family_name: 'Old', tags: ['x'] },
          secrets: [],
        },
      )
      assert.match(bob!.targetHash ?? '', /\S/, 'the target row fingerprint is kept for the drift check')
    })

    it('compares case-insensitive columns without case, lists as sets, and null as empty text', async () => {
      await given(
        [ANN, { ...ANN, employee_id: 'E2', login: 'ann2', mail: 'ann2@example.test', title: '', tags: null }],
        [
          ANN_IN_HR,
          // given_name is case-sensitive: 'ann' is a change; an empty list equals no list.
          { ...ANN_IN_HR, id: 'E2', first_name: 'ann', mail: 'ANN2@example.test', title: null, tags: [] },
        ],
      )
      const planned = await plan(bed, 'update_accounts')
      assert.deepEqual(failed(planned), [])
      assert.equal(planned.unchanged, 1)
      assert.deepEqual(
        planned.operations.map((o) => [o.keyValue, o.attributes, o.before]),
        [['E2', { given_name: 'ann' }, { given_name: 'Ann' }]],
      )
    })

    it('sends a secret of an update only with rows that differ, and to every row when it is all the mapping sets', async () => {
      await bed.load(
        [
          'kind: Mapping',
          'name: update_with_password',
          'system: dir',
          'table: accounts',
          'function: accounts_update',
          'filter: everyone',
          'passwordGenerator: initial',
          'key: p.id',
          'attributes: { family_name: p.last_name, password: generated.password }',
          '---',
          'kind: Mapping',
          'name: reset_passwords',
          'system: dir',
          'table: accounts',
          'function: accounts_update',
          'filter: everyone',
          'passwordGenerator: initial',
          'key: p.id',
          'attributes: { password: generated.password }',
        ].join('\n'),
      )
      await given(
        [ANN, { employee_id: 'E2', login: 'bob', family_name: 'Old' }],
        [ANN_IN_HR, { id: 'E2', last_name: 'New' }],
      )
      const update = await plan(bed, 'update_with_password')
      assert.deepEqual(failed(update), [])
      assert.equal(update.unchanged, 1, 'Ann has nothing to change: no new password either')
      assert.deepEqual(
        update.operations.map((o) => [o.keyValue, o.attributes, o.secrets]),
        [['E2', { family_name: 'New' }, ['password']]],
      )
      const reset = await plan(bed, 'reset_passwords')
      assert.equal(reset.unchanged, 0)
      assert.deepEqual(
        reset.operations.map((o) => [o.keyValue, o.attributes, o.secrets]),
        [
          ['E1', {}, ['password']],
          ['E2', {}, ['password']],
        ],
      )
      assert.ok(!JSON.stringify([update, reset]).includes('pw-'), 'no password in the planned operations')
    })

    it('fails the second filter row for one target row with ENG_DUPLICATE_TARGET, also across pages', async () => {
      await given(
        [{ employee_id: 'E3', login: 'shared', family_name: 'Before' }],
        [
          { id: 'P4', last_name: 'First', account: 'E3' },
          { id: 'P5', last_name: 'Second', account: 'E3' },
        ],
      )
      const planned = await plan(bed, 'update_accounts', 1)
      assert.equal(planned.pages, 2, 'one row per page: the second row is seen on a page of its own')
      assert.deepEqual(
        planned.operations.map((o) => [o.keyValue, o.attributes['family_name']]),
        [['E3', 'First']],
      )
      assert.deepEqual(failed(planned), ['E3 ENG_DUPLICATE_TARGET'])
      assert.match(
        planned.failures[0]!.message,
        /Filter everyone gives more than one row for dir\.accounts employee_id = "E3"/,
      )
    })

    it('fails a row whose target row is missing; a delete of a row already gone needs nothing', async () => {
      await given(
        [{ employee_id: 'L1', login: 'leaver', family_name: 'Gone', enabled: true }],
        [
          { id: 'L1', last_name: 'Gone', status: 'left' },
          { id: 'L2', last_name: 'Never', status: 'left' },
        ],
      )
      const update = await plan(bed, 'update_accounts')
      assert.deepEqual(failed(update), ['L2 ENG_NO_TARGET_ROW'])
      assert.match(update.failures[0]!.message, /dir\.accounts has no row with employee_id = "L2"/)

      const deletes = await plan(bed, 'delete_leavers')
      assert.deepEqual(failed(deletes), [])
      assert.equal(deletes.unchanged, 1, 'L2 is already gone')
      assert.deepEqual(
        deletes.operations.map((o) => [o.function, o.keyValue, o.attributes, o.before?.['login']]),
        [['accounts_delete', 'L1', {}, 'leaver']],
      )

      const disables = await plan(bed, 'disable_leavers')
      assert.deepEqual(failed(disables), ['L2 ENG_NO_TARGET_ROW'], 'only a delete may find its row gone')
      assert.deepEqual(
        disables.operations.map((o) => o.keyValue),
        ['L1'],
      )
    })

    it('fails only the row whose value does not fit its parameter, and plans the others', async () => {
      await given(
        [
          { employee_id: 'E6', login: 'big', quota: 1 },
          { employee_id: 'E7', login: 'small', quota: 1 },
        ],
        [
          // quota * 10 overflows to Infinity: not a number the target can hold.
          { id: 'E6', quota: 1.7e308 },
          { id: 'E7', quota: 2 },
        ],
      )
      const planned = await plan(bed, 'update_accounts')
      assert.deepEqual(failed(planned), ['E6 ENG_VALUE_TYPE'])
      assert.match(planned.failures[0]!.message, /^quota: .* is not a valid number\.$/)
      assert.deepEqual(
        planned.operations.map((o) => [o.keyValue, o.attributes]),
        [['E7', { quota: 20 }]],
      )
    })

    it('gives the same operation ids when the same vault state is planned twice, and new ones for new values', async () => {
      await given(
        [
          { employee_id: 'E1', login: 'a', family_name: 'A' },
          { employee_id: 'E2', login: 'b', family_name: 'B' },
          { employee_id: 'L1', login: 'l' },
        ],
        [
          { id: 'E1', last_name: 'A2' },
          { id: 'E2', last_name: 'B2' },
          { id: 'L1', status: 'left' },
        ],
      )
      const ids = async (mapping: string) =>
        (await plan(bed, mapping)).operations.map((o) => `${String(o.keyValue)} ${o.id}`).sort()
      const first = [...(await ids('update_accounts')), ...(await ids('delete_leavers'))]
      assert.equal(first.length, 3, 'two updates and a delete')
      assert.equal(new Set(first.map((f) => f.split(' ')[1])).size, 3, 'distinct operations have distinct ids')
      assert.deepEqual([...(await ids('update_accounts')), ...(await ids('delete_leavers'))], first)
      await bed.people([
        { id: 'E1', last_name: 'A3' },
        { id: 'E2', last_name: 'B2' },
        { id: 'L1', status: 'left' },
      ])
      const changed = await ids('update_accounts')
      assert.notEqual(changed[0], first[0], "E1's new value is a new operation")
      assert.equal(changed[1], first[1], "E2's operation is the same")
    })
  })
}
