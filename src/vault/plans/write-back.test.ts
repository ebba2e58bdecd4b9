import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ProvisioError, type Row, type TableSchema } from '../../core/index.ts'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../../test/support/vaults.ts'
import {
  type NewOperation,
  type OperationOutcome,
  type StoredOperation,
  type WriteBack,
  OutcomeWriter,
  createPlan,
  createRun,
  getOperations,
  insertOperations,
  listCollections,
  lookupCurrentHashes,
  lookupCurrentRows,
  queryRows,
  requireTargetTable,
  requireVaultTable,
  rowHistory,
  searchAudit,
  writeCollection,
} from '../index.ts'

const users: TableSchema = {
  system: 'ad',
  name: 'users',
  primaryKey: 'id',
  referenceKeys: ['sam'],
  options: {},
  columns: [
    { name: 'id', type: 'string', source: 'id' },
    { name: 'sam', type: 'string', source: 'sam', caseInsensitive: true },
    { name: 'name', type: 'string', source: 'name' },
    { name: 'enabled', type: 'boolean', source: 'enabled' },
    { name: 'groups', type: 'string[]', source: 'groups' },
    { name: 'logins', type: 'integer', source: 'logins' },
    { name: 'seen', type: 'datetime', source: 'seen' },
  ],
}

function user(i: number, overrides: Partial<Row> = {}): Row {
  return {
    id: String(i),
    sam: `User${i}`,
    name: `Zoë O'Brien ${i}`,
    enabled: true,
    groups: ['staff'],
    logins: i,
    seen: '2026-12-04T15:46:10.000Z',
    ...overrides,
  }
}

async function collect(vault: TestVault, rows: readonly Row[]) {
  return writeCollection(vault.driver, {
    system: 'ad',
    tables: [
      {
        schema: users,
        read: async function* () {
          yield { rows }
        },
      },
    ],
    force: true,
  })
}

async function current(vault: TestVault): Promise<Map<string, Row>> {
  const table = await requireVaultTable(vault.driver, 'ad.users')
  const { rows } = await queryRows(vault.driver, table, { limit: 1000 })
  return new Map(rows.map((r) => [String(r['id']), r]))
}

function op(i: number, semantics: NewOperation['semantics'], overrides: Partial<NewOperation> = {}): NewOperation {
  return {
    id: `${semantics}-${i}`,
    step: 0,
    mapping: `ad-${semantics}`,
    system: 'ad',
    table: 'users',
    function: `users_${semantics}`,
    semantics,
    keyColumn: semantics === 'create' ? undefined : 'sam',
    keyValue: semantics === 'create' ? undefined : `User${i}`,
    attributes: {},
    ...overrides,
  }
}

/** Stores operations in a new plan and returns them as the executor streams them. */
async function planned(vault: TestVault, ops: readonly NewOperation[]): Promise<StoredOperation[]> {
  const planId = await createPlan(vault.driver, { source: { kind: 'job', name: 'write-back' } })
  const { count } = await insertOperations(vault.driver, planId, ops)
  return getOperations(
    vault.driver,
    planId,
    Array.from({ length: count }, (_v, i) => i + 1),
  )
}

interface Settled {
  readonly runId: number
  readonly problems: string[]
}

/** Runs outcomes through an OutcomeWriter the way the executor does. */
async function settle(
  vault: TestVault,
  outcomes: readonly OperationOutcome[],
  options: { flushEvery?: number } = {},
): Promise<Settled> {
  const runId = await createRun(vault.driver, { kind: 'job', name: 'write-back', actor: 'test' })
  const problems: string[] = []
  const writer = new OutcomeWriter(vault.driver, {
    runId,
    actor: 'test',
    flushEvery: options.flushEvery ?? 500,
    onWriteBackProblem: (operation, error) => {
      assert.equal(error.code, 'VLT_WRITE_BACK_FAILED')
      problems.push(`${operation.id}: ${error.message}`)
    },
  })
  for (const outcome of outcomes) await writer.add(outcome)
  await writer.close()
  assert.equal(writer.settled, outcomes.length)
  return { runId, problems }
}

function succeeded(operation: StoredOperation, writeBack: WriteBack): OperationOutcome {
  return { operation, status: 'succeeded', writeBack }
}

async function writeBackCollections(vault: TestVault, runId: number) {
  const rows = await vault.driver.query<{ id: number }>(
    `SELECT id FROM collections WHERE kind = 'write-back' AND run_id = ? ORDER BY id`,
    [runId],
  )
  const ids = rows.map((r) => Number(r.id))
  const all = await listCollections(vault.driver, { system: 'ad', limit: 1000 })
  return all.filter((c) => ids.includes(c.id)).sort((a, b) => a.id - b.id)
}

for (const kind of VAULT_KINDS) {
  describe(`write-back (${kind})`, () => {
    let vault: TestVault
    before(async () => {
      vault = await createTestVault(kind)
      await collect(vault, [user(1), user(2), user(3)])
    })
    after(async () => vault.close())

    it('creates, updates and removes rows with their multi-valued columns, and the next collection finds no change', async () => {
      const [create, update, remove] = await planned(vault, [
        op(4, 'create', { attributes: { id: '4', sam: 'User4' } }),
        op(1, 'update', { attributes: { name: 'Renée', groups: ['c', 'a'] }, secrets: ['password'] }),
        op(2, 'delete'),
      ])
      const { runId, problems } = await settle(
        vault,
        [
          // As a connector returns it: every column, values in the target's own text forms.
          succeeded(create!, {
            kind: 'upsert',
            row: user(4, { groups: ['y', 'x', 'x'], logins: '4', seen: '2026-12-04T16:46:10+01:00' }),
          }),
          succeeded(update!, {
            kind: 'upsert',
            merge: true,
            key: { column: 'sam', value: 'USER1', caseInsensitive: true },
            row: { name: 'Renée', groups: ['c', 'a'] },
          }),
          succeeded(remove!, { kind: 'remove', key: { column: 'sam', value: 'User2' } }),
        ],
        { flushEvery: 2 },
      )
      assert.deepEqual(problems, [])
      const rows = await current(vault)
      assert.deepEqual([...rows.keys()].sort(), ['1', '3', '4'])
      assert.deepEqual(rows.get('4'), user(4, { groups: ['x', 'y'] }))
      assert.deepEqual(rows.get('1'), user(1, { name: 'Renée', groups: ['a', 'c'] }))
      const table = await requireVaultTable(vault.driver, 'ad.users')
      const side = await vault.driver.query<{ value: string }>(
        `SELECT s.value FROM ${table.sideTables.get('groups')!} s JOIN ${table.view} v ON v._rid = s._rid
          WHERE v.id = ? ORDER BY s.value`,
        ['4'],
      )
      assert.deepEqual(
        side.map((r) => r.value),
        ['x', 'y'],
      )
      const [collection] = await writeBackCollections(vault, runId)
      assert.equal(collection!.kind, 'write-back')
      assert.equal(collection!.status, 'succeeded')
      assert.deepEqual(collection!.tables, [
        {
          table: 'users',
          rowsBefore: 3,
          rowsAfter: 3,
          added: 1,
          changed: 1,
          removed: 1,
          incremental: false,
          watermark: null,
        },
      ])
      const history = await rowHistory(vault.driver, table, { key: '1' })
      assert.equal(history[0]!.collectionId, collection!.id)
      assert.equal(history[0]!.kind, 'changed')
      assert.deepEqual(history[0]!.changes, [
        { column: 'name', old: "Zoë O'Brien 1", new: 'Renée' },
        { column: 'groups', old: ['staff'], new: ['a', 'c'] },
      ])
      // The target holds exactly what was written back: collecting it changes nothing.
      const again = await collect(vault, [
        user(1, { name: 'Renée', groups: ['c', 'a'] }),
        user(3),
        user(4, { groups: ['x', 'y'] }),
      ])
      assert.deepEqual(again.tables[0], {
        table: 'users',
        rowsBefore: 3,
        rowsAfter: 3,
        added: 0,
        changed: 0,
        removed: 0,
        incremental: false,
        watermark: null,
        since: null,
      })
      const audit = await searchAudit(vault.driver, { runId })
      assert.deepEqual(
        audit.map((a) => [a.operationId, a.outcome]),
        [
          ['delete-2', 'succeeded'],
          ['update-1', 'succeeded'],
          ['create-4', 'succeeded'],
        ],
      )
      assert.deepEqual(audit[1]!.after, { name: 'Renée', groups: ['c', 'a'], password: '(set)' })
      const settledOps = await getOperations(vault.driver, create!.planId, [1, 2, 3])
      assert.deepEqual(
        settledOps.map((o) => o.status),
        ['succeeded', 'succeeded', 'succeeded'],
      )
    })

    it('keeps one version per row and collection when a run writes a row more than once', async () => {
      const ops = await planned(vault, [
        op(5, 'create'),
        op(5, 'update', { id: 'update-5a' }),
        op(5, 'update', { id: 'update-5b' }),
        op(6, 'create'),
        op(6, 'delete'),
        op(3, 'update'),
        op(3, 'delete'),
      ])
      const { runId } = await settle(
        vault,
        [
          succeeded(ops[0]!, { kind: 'upsert', row: user(5) }),
          succeeded(ops[1]!, {
            kind: 'upsert',
            merge: true,
            key: { column: 'sam', value: 'User5' },
            row: { logins: 50 },
          }),
          succeeded(ops[2]!, {
            kind: 'upsert',
            merge: true,
            key: { column: 'id', value: '5' },
            row: { enabled: false },
          }),
          succeeded(ops[3]!, { kind: 'upsert', row: user(6) }),
          succeeded(ops[4]!, { kind: 'remove', key: { column: 'id', value: '6' } }),
          succeeded(ops[5]!, {
            kind: 'upsert',
            merge: true,
            key: { column: 'id', value: '3' },
            row: { name: 'Three' },
          }),
          succeeded(ops[6]!, { kind: 'remove', key: { column: 'sam', value: 'User3' } }),
        ],
        { flushEvery: 2 }, // the same rows across flushes as well as within one
      )
      const [collection] = await writeBackCollections(vault, runId)
      assert.deepEqual(collection!.tables, [
        {
          table: 'users',
          rowsBefore: 3,
          rowsAfter: 3,
          added: 1,
          changed: 0,
          removed: 1,
          incremental: false,
          watermark: null,
        },
      ])
      const rows = await current(vault)
      assert.deepEqual(rows.get('5'), user(5, { logins: 50, enabled: false }))
      assert.equal(rows.has('3'), false)
      assert.equal(rows.has('6'), false)
      const table = await requireVaultTable(vault.driver, 'ad.users')
      const five = await rowHistory(vault.driver, table, { key: '5' })
      assert.deepEqual(
        five.map((h) => [h.collectionId, h.kind]),
        [[collection!.id, 'added']],
      )
      assert.deepEqual(await rowHistory(vault.driver, table, { key: '6' }), [])
      const three = await rowHistory(vault.driver, table, { key: '3' })
      assert.deepEqual(three[0] && [three[0].collectionId, three[0].kind], [collection!.id, 'removed'])
    })

    it('leaves out only the write-back the vault refuses, and says so, while the others apply', async () => {
      const ops = await planned(vault, [op(7, 'create'), op(8, 'create'), op(9, 'create'), op(1, 'update')])
      const { problems } = await settle(vault, [
        succeeded(ops[0]!, { kind: 'upsert', row: user(7) }),
        // Takes the reference key another current row holds: the unique index refuses it.
        succeeded(ops[1]!, { kind: 'upsert', row: user(8, { sam: 'User5' }) }),
        succeeded(ops[2]!, { kind: 'upsert', row: user(9, { logins: 'many' }) }),
        succeeded(ops[3]!, {
          kind: 'upsert',
          merge: true,
          key: { column: 'sam', value: 'User1' },
          row: { logins: '11' },
        }),
      ])
      assert.equal(problems.length, 2)
      assert.match(
        problems[0]!,
        /^create-8: .*written to ad, but not to the vault: another current row of the table holds one of its key values/,
      )
      assert.match(problems[1]!, /^create-9: .*column logins: "many" is not of type integer/)
      const rows = await current(vault)
      assert.equal(rows.get('7')?.['sam'], 'User7')
      assert.equal(rows.has('8'), false)
      assert.equal(rows.has('9'), false)
      assert.equal(rows.get('1')?.['logins'], 11)
      const [, eight] = await getOperations(vault.driver, ops[0]!.planId, [1, 2])
      assert.equal(eight!.status, 'succeeded')
      assert.match(eight!.message!, /Written to the target, but not to the vault/)
    })

    it('records failed and skipped operations without touching the vault', async () => {
      const before = await current(vault)
      const ops = await planned(vault, [op(10, 'create'), op(1, 'update')])
      const { runId } = await settle(vault, [
        { operation: ops[0]!, status: 'failed', errorCode: 'CON_UNIQUE_VIOLATION', message: 'taken', retries: 2 },
        { operation: ops[1]!, status: 'skipped', message: 'The target row changed since planning.' },
      ])
      assert.deepEqual(await current(vault), before)
      const [failed, skipped] = await getOperations(vault.driver, ops[0]!.planId, [1, 2])
      assert.deepEqual([failed!.status, failed!.errorCode, failed!.attempts], ['failed', 'CON_UNIQUE_VIOLATION', 2])
      assert.equal(skipped!.status, 'skipped')
      const audit = await searchAudit(vault.driver, { runId })
      assert.deepEqual(
        audit.map((a) => [a.operationId, a.outcome, a.errorCode]),
        [['create-10', 'failed', 'CON_UNIQUE_VIOLATION']],
      )
      assert.deepEqual(await writeBackCollections(vault, runId), [])
    })

    it('starts a new write-back collection when the system is collected during the run', async () => {
      const runId = await createRun(vault.driver, { kind: 'job', name: 'long', actor: 'test' })
      const writer = new OutcomeWriter(vault.driver, { runId, actor: 'test' })
      const ops = await planned(vault, [op(11, 'create'), op(12, 'create')])
      await writer.add(succeeded(ops[0]!, { kind: 'upsert', row: user(11) }))
      await writer.flush()
      const rows = [...(await current(vault)).values()]
      await collect(vault, rows)
      await writer.add(succeeded(ops[1]!, { kind: 'upsert', row: user(12) }))
      await writer.close()
      const collections = await writeBackCollections(vault, runId)
      assert.equal(collections.length, 2)
      assert.ok(collections.every((c) => c.status === 'succeeded'))
      const table = await requireVaultTable(vault.driver, 'ad.users')
      const twelve = await rowHistory(vault.driver, table, { key: '12' })
      assert.equal(twelve[0]!.collectionId, collections[1]!.id)
    })

    it('looks up current rows by key, exactly or regardless of case, with their fingerprints', async () => {
      const found = await lookupCurrentRows(vault.driver, 'ad', 'users', 'sam', [
        'User1',
        'user4',
        'nobody',
        "x' OR 1=1 --",
      ])
      assert.deepEqual([...found.keys()], ['User1'])
      assert.equal(found.get('User1')!.row['name'], 'Renée')
      const ci = await lookupCurrentRows(vault.driver, 'ad', 'users', 'sam', ['user4', 'USER1'], {
        caseInsensitive: true,
      })
      assert.deepEqual([...ci.keys()].sort(), ['USER1', 'user4'])
      assert.equal(ci.get('user4')!.row['id'], '4')
      const byId = await lookupCurrentRows(vault.driver, 'ad', 'users', 'logins', ['11', 4])
      assert.deepEqual([...byId.keys()].sort(), [4, '11'].sort())
      const hashes = await lookupCurrentHashes(vault.driver, 'ad', 'users', 'sam', ['User1', 'User4'])
      assert.equal(hashes.get('User1'), found.get('User1')!.hash)
      // A write-back changes the fingerprint: the drift check sees it.
      const [update] = await planned(vault, [op(1, 'update', { id: 'drift' })])
      await settle(vault, [
        succeeded(update!, { kind: 'upsert', merge: true, key: { column: 'id', value: '1' }, row: { enabled: false } }),
      ])
      const after = await lookupCurrentHashes(vault.driver, 'ad', 'users', 'sam', ['User1'])
      assert.notEqual(after.get('User1'), hashes.get('User1'))
    })

    it('adds and removes rows of a table without a primary key (memberships) by their values', async () => {
      const members: TableSchema = {
        system: 'ad',
        name: 'members',
        referenceKeys: [],
        options: {},
        columns: [
          { name: 'group', type: 'string', source: 'group' },
          { name: 'member', type: 'string', source: 'member' },
        ],
      }
      const collectMembers = (rows: Row[]) =>
        writeCollection(vault.driver, {
          system: 'ad',
          tables: [
            {
              schema: members,
              read: async function* () {
                yield { rows }
              },
            },
          ],
          force: true,
        })
      await collectMembers([
        { group: 'staff', member: '1' },
        { group: 'staff', member: '2' },
      ])
      const ops = await planned(vault, [
        op(5, 'membership-add', { table: 'members' }),
        op(2, 'membership-remove', { table: 'members' }),
        op(1, 'membership-add', { table: 'members' }),
      ])
      const { runId } = await settle(vault, [
        succeeded(ops[0]!, { kind: 'upsert', row: { group: 'staff', member: '5' } }),
        succeeded(ops[1]!, { kind: 'remove', row: { group: 'staff', member: '2' } }),
        succeeded(ops[2]!, { kind: 'upsert', row: { group: 'staff', member: '1' } }), // already a member
      ])
      const [collection] = await writeBackCollections(vault, runId)
      assert.deepEqual(collection!.tables, [
        {
          table: 'members',
          rowsBefore: 2,
          rowsAfter: 2,
          added: 1,
          changed: 0,
          removed: 1,
          incremental: false,
          watermark: null,
        },
      ])
      const again = await collectMembers([
        { group: 'staff', member: '5' },
        { group: 'staff', member: '1' },
      ])
      assert.deepEqual(again.tables[0], {
        table: 'members',
        rowsBefore: 2,
        rowsAfter: 2,
        added: 0,
        changed: 0,
        removed: 0,
        incremental: false,
        watermark: null,
        since: null,
      })
    })

    it('matches caseInsensitive keys by full Unicode case, as JS does, in lookups and write-backs', async () => {
      const accounts: TableSchema = {
        system: 'ad',
        name: 'accounts',
        primaryKey: 'id',
        referenceKeys: ['login'],
        options: {},
        columns: [
          { name: 'id', type: 'string', source: 'id' },
          { name: 'login', type: 'string', source: 'login', caseInsensitive: true },
          { name: 'name', type: 'string', source: 'name' },
        ],
      }
      await writeCollection(vault.driver, {
        system: 'ad',
        tables: [
          {
            schema: accounts,
            read: async function* () {
              yield {
                rows: [
                  { id: 'a1', login: 'ÖZDEMIR', name: 'Öz' },
                  { id: 'a2', login: 'Élodie.Müller', name: 'Élodie' },
                  { id: 'a3', login: 'ΟΔΥΣΣΕΑΣ', name: 'Odysseas' }, // lower: final sigma ς
                  { id: 'a4', login: 'Ångström', name: 'A' },
                  { id: 'a5', login: 'ÅNGSTRÖM', name: 'B' },
                  { id: 'a6', login: "o'brien", name: 'ascii' },
                ],
              }
            },
          },
        ],
        force: true,
      })
      const asked = ['özdemir', 'ÉLODIE.MÜLLER', 'οδυσσεας', 'ÅNGSTRÖM', 'Ångström', "O'BRIEN", "x' OR 1=1 --"]
      const found = await lookupCurrentRows(vault.driver, 'ad', 'accounts', 'login', asked, { caseInsensitive: true })
      assert.deepEqual(
        asked.map((a) => found.get(a)?.row['id']),
        ['a1', 'a2', 'a3', 'a5', 'a4', 'a6', undefined],
        'two rows differing only in case: the exact one wins',
      )
      const exact = await lookupCurrentRows(vault.driver, 'ad', 'accounts', 'login', ['özdemir', 'ÖZDEMIR'])
      assert.deepEqual([...exact.keys()], ['ÖZDEMIR'])
      const hashes = await lookupCurrentHashes(vault.driver, 'ad', 'accounts', 'login', ['özdemir'], {
        caseInsensitive: true,
      })
      assert.equal(hashes.get('özdemir'), found.get('özdemir')!.hash)

      const [update, remove] = await planned(vault, [
        op(1, 'update', { table: 'accounts', keyColumn: 'login', keyValue: 'özdemir' }),
        op(2, 'delete', { table: 'accounts', keyColumn: 'login', keyValue: 'élodie.müller' }),
      ])
      const { problems } = await settle(vault, [
        succeeded(update!, {
          kind: 'upsert',
          merge: true,
          key: { column: 'login', value: 'özdemir', caseInsensitive: true },
          row: { name: 'Özdemir, Ayşe' },
        }),
        succeeded(remove!, { kind: 'remove', key: { column: 'login', value: 'élodie.müller', caseInsensitive: true } }),
      ])
      assert.deepEqual(problems, [])
      const table = await requireVaultTable(vault.driver, 'ad.accounts')
      const { rows } = await queryRows(vault.driver, table, { limit: 100 })
      assert.deepEqual(
        rows.map((r) => [r['id'], r['login'], r['name']]).sort(),
        [
          ['a1', 'ÖZDEMIR', 'Özdemir, Ayşe'],
          ['a3', 'ΟΔΥΣΣΕΑΣ', 'Odysseas'],
          ['a4', 'Ångström', 'A'],
          ['a5', 'ÅNGSTRÖM', 'B'],
          ['a6', "o'brien", 'ascii'],
        ],
        'the rows were found by their keys in another case: updated and removed, nothing added',
      )
    })

    it('refuses to write back to a table that was never collected, and says how to fix it', async () => {
      try {
        await requireTargetTable(vault.driver, 'ldap', 'groups')
        assert.fail('expected VLT_NOT_COLLECTED')
      } catch (error) {
        assert.ok(error instanceof ProvisioError)
        assert.equal(error.code, 'VLT_NOT_COLLECTED')
        assert.match(error.hint!, /provisio collect ldap/)
      }
      const [create] = await planned(vault, [op(1, 'create', { system: 'ldap', table: 'groups' })])
      const { problems } = await settle(vault, [succeeded(create!, { kind: 'upsert', row: { id: 'g' } })])
      assert.match(problems[0]!, /ldap\.groups has never been collected/)
    })
  })
}
