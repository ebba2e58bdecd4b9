/**
 * Incremental collection in the vault: pages marked `delta` add and change rows but never remove
 * one, counts and history say so, guards apply to what changes, key problems are reported within
 * the delta (and against the rows it keeps), and each table's watermark is recorded and found again
 * for the next incremental read.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Clock, Row, TableSchema } from '../core/index.ts'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../test/support/vaults.ts'
import {
  type CollectionGuards,
  type StagePage,
  OutcomeWriter,
  createPlan,
  createRun,
  findWatermark,
  getOperations,
  insertOperations,
  listCollections,
  loadCollection,
  queryRows,
  requireVaultTable,
  resetVaultTable,
  rowHistory,
  writeCollection,
} from './index.ts'
import { rejects } from '../../test/support/errors.ts'

const accounts: TableSchema = {
  system: 'dir',
  name: 'accounts',
  primaryKey: 'id',
  referenceKeys: ['login'],
  options: {},
  columns: [
    { name: 'id', type: 'string', source: 'id' },
    { name: 'login', type: 'string', source: 'login' },
    { name: 'name', type: 'string', source: 'name' },
    { name: 'groups', type: 'string[]', source: 'groups' },
  ],
}

function account(id: number, overrides: Partial<Row> = {}): Row {
  return { id: String(id), login: `user${id}`, name: `User ${id}`, groups: ['staff'], ...overrides }
}

interface ReadShape {
  readonly delta?: boolean
  readonly watermark?: string
  /** Rows per page. @default 2 */
  readonly size?: number
}

/** The pages of a read as a connector yields them: the watermark on the last page, a delta at least one page. */
async function* pages(rows: readonly Row[], shape: ReadShape = {}): AsyncGenerator<StagePage> {
  const size = shape.size ?? 2
  const count = Math.max(shape.delta === true ? 1 : 0, Math.ceil(rows.length / size))
  for (let p = 0; p < count; p++) {
    const slice = rows.slice(p * size, (p + 1) * size)
    yield {
      rows: slice,
      lines: slice.map((_r, j) => p * size + j + 1),
      source: 'directory',
      delta: shape.delta,
      watermark: p === count - 1 ? shape.watermark : undefined,
    }
  }
}

interface CollectShape extends ReadShape {
  readonly guards?: CollectionGuards
  readonly since?: string
  readonly scope?: string
  readonly schema?: TableSchema
}

/** A clock a minute further on at every reading, so that collections never share a start time. */
let minutes = 0
const stepping: Clock = { now: () => new Date(Date.UTC(2026, 0, 1) + ++minutes * 60_000) }

function collect(vault: TestVault, rows: readonly Row[], shape: CollectShape = {}) {
  const schema = shape.schema ?? accounts
  return writeCollection(vault.driver, {
    clock: stepping,
    system: schema.system,
    tables: [
      {
        schema,
        guards: shape.guards ?? {},
        read: () => pages(rows, shape),
        since: shape.since,
        watermarkScope: shape.scope,
      },
    ],
  })
}

/** A delta read from `since`, as an incremental collection hands it to the vault. */
function collectDelta(
  vault: TestVault,
  rows: readonly Row[],
  since: string,
  watermark: string,
  shape: CollectShape = {},
) {
  return collect(vault, rows, { ...shape, delta: true, since, watermark })
}

async function current(vault: TestVault, system = 'dir'): Promise<Map<string, Row>> {
  const table = await requireVaultTable(vault.driver, `${system}.accounts`)
  const { rows } = await queryRows(vault.driver, table, { limit: 1000 })
  return new Map(rows.map((r) => [String(r['id']), r]))
}

for (const kind of VAULT_KINDS) {
  describe(`incremental collection in the vault (${kind})`, () => {
    let vault: TestVault
    before(async () => {
      vault = await createTestVault(kind)
    })
    after(async () => vault.close())

    it('records the watermark of the last page of a full read, and the read as not incremental', async () => {
      const result = await collect(
        vault,
        [1, 2, 3, 4, 5].map((i) => account(i)),
        { watermark: 'w1' },
      )
      assert.deepEqual(result.tables, [
        {
          table: 'accounts',
          rowsBefore: 0,
          rowsAfter: 5,
          added: 5,
          changed: 0,
          removed: 0,
          incremental: false,
          watermark: 'w1',
          since: null,
        },
      ])
      const [record] = await listCollections(vault.driver, { id: result.id })
      assert.deepEqual(
        record!.tables.map((t) => [t.incremental, t.watermark]),
        [[false, 'w1']],
      )
      assert.equal(await findWatermark(vault.driver, 'dir', 'accounts', undefined), 'w1')
    })

    it('applies a delta: adds and changes rows, keeps those it does not return, and removes nothing', async () => {
      const result = await collectDelta(
        vault,
        [account(2, { name: 'Renée', groups: ['b', 'a'] }), account(3), account(6)],
        'w1',
        'w2',
        { guards: { maxRemoved: { kind: 'count', value: 0 } } },
      )
      assert.deepEqual(result.tables, [
        {
          table: 'accounts',
          rowsBefore: 5,
          rowsAfter: 6,
          added: 1,
          changed: 1,
          removed: 0,
          incremental: true,
          watermark: 'w2',
          since: 'w1',
        },
      ])
      const rows = await current(vault)
      assert.deepEqual([...rows.keys()].sort(), ['1', '2', '3', '4', '5', '6'])
      assert.deepEqual(rows.get('2'), account(2, { name: 'Renée', groups: ['a', 'b'] }))
      const table = await requireVaultTable(vault.driver, 'dir.accounts')
      const history = await rowHistory(vault.driver, table, { limit: 100 })
      assert.deepEqual(
        history.filter((h) => h.collectionId === result.id).map((h) => [h.kind, h.key]),
        [
          ['changed', '2'],
          ['added', '6'],
        ],
      )
      // The side table of the multi-valued column follows the changed row.
      const side = await vault.driver.query<{ value: string }>(
        `SELECT s.value FROM ${table.sideTables.get('groups')!} s JOIN ${table.view} v ON v._rid = s._rid
          WHERE v.id = ? ORDER BY s.value`,
        ['2'],
      )
      assert.deepEqual(
        side.map((r) => r.value),
        ['a', 'b'],
      )
      const [record] = await listCollections(vault.driver, { id: result.id })
      assert.deepEqual(
        record!.tables.map((t) => [t.incremental, t.watermark, t.removed]),
        [[true, 'w2', 0]],
      )
      assert.equal(await findWatermark(vault.driver, 'dir', 'accounts', undefined), 'w2')
    })

    it('takes an empty delta as no change and moves the watermark on', async () => {
      const result = await collectDelta(vault, [], 'w2', 'w3')
      assert.deepEqual(
        result.tables.map((t) => [t.rowsBefore, t.rowsAfter, t.added, t.changed, t.removed, t.incremental]),
        [[6, 6, 0, 0, 0, true]],
      )
      assert.equal(await findWatermark(vault.driver, 'dir', 'accounts', undefined), 'w3')
    })

    it('applies guards to what a delta changes', async () => {
      const before = await current(vault)
      const error = await rejects(
        collectDelta(vault, [account(1, { name: 'A' }), account(3, { name: 'C' })], 'w3', 'w4', {
          guards: { maxChanged: { kind: 'count', value: 1 } },
        }),
        'VLT_GUARD_REJECTED',
      )
      assert.match(error.issues[0]!.message, /dir\.accounts: changes 2 of 6 rows .* guard maxChanged allows 1 rows/)
      assert.deepEqual(await current(vault), before)
      // The rejected collection's watermark is not one to continue from.
      assert.equal(await findWatermark(vault.driver, 'dir', 'accounts', undefined), 'w3')
    })

    it('reports duplicate keys within a delta with their lines and keeps every row', async () => {
      const before = await current(vault)
      const error = await rejects(
        collectDelta(vault, [account(7), account(2, { name: 'x' }), account(7, { name: 'again' })], 'w3', 'w4'),
        'VLT_DUPLICATE_KEY',
      )
      assert.deepEqual(
        error.issues.map((i) => [i.value, i.line]),
        [['7', 1]],
      )
      assert.match(error.issues[0]!.message, /occurs 2 times, first on line 1, last on line 3/)
      await rejects(
        collectDelta(vault, [account(2, { name: 'x' }), account(2, { name: 'y' })], 'w3', 'w4'),
        'VLT_DUPLICATE_KEY',
      )
      assert.deepEqual(await current(vault), before)
    })

    it('refuses a delta that gives a row the reference key of a row it did not return, with a hint to collect in full', async () => {
      const before = await current(vault)
      // user1 was deleted at the source and user7 took its login: the delta cannot see the deletion.
      const error = await rejects(
        collectDelta(vault, [account(7, { login: 'user1' })], 'w3', 'w4'),
        'VLT_DUPLICATE_KEY',
      )
      assert.match(error.message, /reference key login that other rows of the vault still hold/)
      assert.match(error.hint ?? '', /collect the system in full \(without --incremental\)/)
      assert.deepEqual(
        error.issues.map((i) => [i.value, i.line, i.path]),
        [['user1', 1, ['login']]],
      )
      assert.match(error.issues[0]!.message, /id = "1"/)
      assert.deepEqual(await current(vault), before)
    })

    it('lets rows of one delta swap reference keys among themselves', async () => {
      const result = await collectDelta(
        vault,
        [account(1, { login: 'user3' }), account(3, { login: 'user1' })],
        'w3',
        'w4',
      )
      assert.deepEqual(
        result.tables.map((t) => [t.changed, t.removed, t.rowsAfter]),
        [[2, 0, 6]],
      )
      const rows = await current(vault)
      assert.equal(rows.get('1')?.['login'], 'user3')
      assert.equal(rows.get('3')?.['login'], 'user1')
    })

    it('finds removals again with a full read after incremental ones', async () => {
      const result = await collect(
        vault,
        [
          account(1, { login: 'user3' }),
          account(2, { name: 'Renée', groups: ['a', 'b'] }),
          account(3, { login: 'user1' }),
          account(6),
        ],
        { watermark: 'w5', guards: { maxRemoved: { kind: 'count', value: 2 } } },
      )
      assert.deepEqual(
        result.tables.map((t) => [
          t.rowsBefore,
          t.rowsAfter,
          t.added,
          t.changed,
          t.removed,
          t.incremental,
          t.watermark,
        ]),
        [[6, 4, 0, 0, 2, false, 'w5']],
      )
      assert.deepEqual([...(await current(vault)).keys()].sort(), ['1', '2', '3', '6'])
    })

    it('refuses reads that break the contract and leaves the vault as it was', async () => {
      const before = await current(vault)
      // Asked for changes, the read yields no page at all: an empty table or nothing changed?
      const silent = await rejects(collect(vault, [], { since: 'w5' }), 'VLT_READ_FAILED')
      assert.match(silent.message, /returned nothing at all/)
      // Some pages a delta, some not.
      const mixed = await rejects(
        writeCollection(vault.driver, {
          system: 'dir',
          tables: [
            {
              schema: accounts,
              since: 'w5',
              read: async function* () {
                yield { rows: [account(1)], delta: true }
                yield { rows: [account(2)] }
              },
            },
          ],
        }),
        'VLT_READ_FAILED',
      )
      assert.match(mixed.message, /mixed pages/)
      // A table without a primary key cannot take a delta.
      const keyless: TableSchema = { ...accounts, name: 'keyless', primaryKey: undefined, referenceKeys: [] }
      await collect(vault, [account(1)], { schema: keyless })
      const error = await rejects(collectDelta(vault, [account(2)], 'w', 'w2', { schema: keyless }), 'VLT_READ_FAILED')
      assert.match(error.message, /no primary key/)
      assert.deepEqual(await current(vault), before)
      const [last] = await listCollections(vault.driver, { system: 'dir', limit: 1 })
      assert.deepEqual([last!.status, last!.errorCode], ['failed', 'VLT_READ_FAILED'])
    })

    it('applies delta pages the same way when no watermark was asked for (the in-memory comparison)', async () => {
      const schema: TableSchema = { ...accounts, system: 'mem' }
      await collect(vault, [account(1), account(2), account(3)], { schema })
      const result = await collect(vault, [account(2, { name: 'Renée' }), account(3), account(4)], {
        schema,
        delta: true,
        watermark: 'w2',
      })
      assert.deepEqual(
        result.tables.map((t) => [t.rowsBefore, t.rowsAfter, t.added, t.changed, t.removed, t.incremental, t.since]),
        [[3, 4, 1, 1, 0, true, null]],
      )
      assert.deepEqual([...(await current(vault, 'mem')).keys()].sort(), ['1', '2', '3', '4'])
      const duplicate = await rejects(
        collect(vault, [account(5), account(5)], { schema, delta: true }),
        'VLT_DUPLICATE_KEY',
      )
      assert.match(duplicate.issues[0]!.message, /occurs 2 times, first on line 1, last on line 2/)
      const clash = await rejects(
        collect(vault, [account(5, { login: 'user1' })], { schema, delta: true }),
        'VLT_DUPLICATE_KEY',
      )
      assert.match(clash.hint ?? '', /without --incremental/)
      assert.deepEqual([...(await current(vault, 'mem')).keys()].sort(), ['1', '2', '3', '4'])
    })

    it('takes a delta into an empty table safely: it adds, removes nothing, and reports duplicates', async () => {
      const fresh: TableSchema = { ...accounts, system: 'fresh' }
      const duplicate = await rejects(
        collectDelta(vault, [account(1), account(1)], 'w', 'w2', { schema: fresh }),
        'VLT_DUPLICATE_KEY',
      )
      assert.equal(duplicate.issues[0]!.line, 1)
      const result = await collectDelta(vault, [account(1), account(2)], 'w', 'w2', { schema: fresh })
      assert.deepEqual(
        result.tables.map((t) => [t.rowsBefore, t.rowsAfter, t.added, t.removed, t.incremental, t.watermark]),
        [[0, 2, 2, 0, true, 'w2']],
      )
      assert.deepEqual([...(await current(vault, 'fresh')).keys()].sort(), ['1', '2'])
    })
  })

  describe(`the watermark an incremental collection starts from (${kind})`, () => {
    let vault: TestVault
    before(async () => {
      vault = await createTestVault(kind)
    })
    after(async () => vault.close())

    const scope = 'scope-1'
    const watermark = () => findWatermark(vault.driver, 'dir', 'accounts', scope)

    it('is none before the first collection and after one that returned none', async () => {
      assert.equal(await watermark(), undefined)
      await collect(vault, [account(1), account(2)], { scope })
      assert.equal(await watermark(), undefined)
    })

    it('is the newest successful collection’s, under the same scope only', async () => {
      const first = await collect(vault, [account(1), account(2)], { scope, watermark: 'w1' })
      assert.equal(first.tables[0]!.watermark, 'w1')
      assert.equal(await watermark(), 'w1')
      assert.equal(await findWatermark(vault.driver, 'dir', 'accounts', 'another scope'), undefined)
      assert.equal(await findWatermark(vault.driver, 'dir', 'accounts', undefined), undefined)
      await rejects(
        collect(vault, [], { scope, watermark: 'rejected', guards: { maxRemoved: { kind: 'count', value: 0 } } }),
        'VLT_GUARD_REJECTED',
      )
      assert.equal(await watermark(), 'w1')
    })

    it('passes over write-backs: a delta from before them returns what they wrote', async () => {
      const planId = await createPlan(vault.driver, { source: { kind: 'job', name: 'incremental' } })
      const { count } = await insertOperations(vault.driver, planId, [
        {
          id: 'create-3',
          step: 0,
          mapping: 'dir-create',
          system: 'dir',
          table: 'accounts',
          function: 'accounts_create',
          semantics: 'create',
          attributes: { id: '3', login: 'user3' },
        },
      ])
      const [operation] = await getOperations(
        vault.driver,
        planId,
        Array.from({ length: count }, (_v, i) => i + 1),
      )
      const runId = await createRun(vault.driver, { kind: 'job', name: 'incremental', actor: 'test' })
      const writer = new OutcomeWriter(vault.driver, { runId, actor: 'test' })
      await writer.add({ operation: operation!, status: 'succeeded', writeBack: { kind: 'upsert', row: account(3) } })
      await writer.close()
      const [newest] = await listCollections(vault.driver, { system: 'dir', limit: 1 })
      assert.equal(newest!.kind, 'write-back')
      assert.equal(await watermark(), 'w1')
      // The system changed account 3 when Provisio created it: the delta returns it, unchanged for the vault.
      const delta = await collectDelta(vault, [account(3)], 'w1', 'w2', { scope })
      assert.deepEqual(
        delta.tables.map((t) => [t.added, t.changed, t.removed, t.rowsAfter]),
        [[0, 0, 0, 3]],
      )
      assert.equal(await watermark(), 'w2')
    })

    it('follows a load to the collection whose state it restored', async () => {
      const all = await listCollections(vault.driver, { system: 'dir', limit: 100 })
      const collected = all.filter((c) => c.kind === 'collect' && c.status === 'succeeded')
      const w1 = collected.find((c) => c.tables[0]!.watermark === 'w1')!
      const loaded = await loadCollection(vault.driver, { collectionId: w1.id, force: true })
      assert.equal(await watermark(), 'w1')
      // A load of a collection without a watermark leaves none to start from.
      const none = collected.find((c) => c.tables[0]!.watermark === null)!
      await loadCollection(vault.driver, { collectionId: none.id, force: true })
      assert.equal(await watermark(), undefined)
      // A load of the first load restores what w1 left, again.
      await loadCollection(vault.driver, { collectionId: loaded.id, force: true })
      assert.equal(await watermark(), 'w1')
    })

    it('is none once the table was reset, for collections before the reset', async () => {
      const old = await collect(vault, [account(1), account(2)], { scope, watermark: 'w9' })
      assert.equal(await watermark(), 'w9')
      await resetVaultTable(vault.driver, 'dir.accounts')
      assert.equal(await watermark(), undefined)
      await collect(vault, [account(1)], { scope, watermark: 'w10' })
      assert.equal(await watermark(), 'w10')
      // The snapshot of a collection before the reset is empty now; nothing continues from w9.
      await loadCollection(vault.driver, { collectionId: old.id, force: true })
      assert.equal(await watermark(), undefined)
    })
  })
}
