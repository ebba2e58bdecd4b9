import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Row, TableSchema } from '../core/index.ts'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../test/support/vaults.ts'
import {
  type CollectionGuards,
  listCollections,
  loadCollection,
  queryRows,
  requireVaultTable,
  rowHistory,
  writeCollection,
} from './index.ts'
import { rejects } from '../../test/support/errors.ts'

const people: TableSchema = {
  system: 'hr',
  name: 'people',
  primaryKey: 'id',
  referenceKeys: ['ssn'],
  options: {},
  columns: [
    { name: 'id', type: 'string', source: 'id' },
    { name: 'ssn', type: 'string', source: 'ssn' },
    { name: 'name', type: 'string', source: 'name' },
    { name: 'age', type: 'integer', source: 'age' },
    { name: 'fte', type: 'number', source: 'fte' },
    { name: 'active', type: 'boolean', source: 'active' },
    { name: 'born', type: 'date', source: 'born' },
    { name: 'seen', type: 'datetime', source: 'seen' },
    { name: 'tags', type: 'string[]', source: 'tags' },
  ],
}

function person(id: number, overrides: Partial<Row> = {}): Row {
  return {
    id: String(id),
    ssn: `111-22-${String(id).padStart(4, '0')}`,
    name: `Person ${id}`,
    age: 20 + (id % 40),
    fte: 0.8,
    active: id % 2 === 0,
    born: '1990-02-28',
    seen: '2026-12-04T15:46:10.000Z',
    tags: ['b', 'a'],
    ...overrides,
  }
}

async function* pages(rows: readonly Row[], size = 3) {
  for (let i = 0; i < rows.length; i += size) {
    const slice = rows.slice(i, i + size)
    yield { rows: slice, lines: slice.map((_r, j) => i + j + 2), source: 'people.csv' }
  }
}

const noGuards: CollectionGuards = {}
/** What a full read without a watermark adds to a table's counts. */
const full = { incremental: false, watermark: null, since: null }

async function collect(vault: TestVault, rows: readonly Row[], guards: CollectionGuards = noGuards, force = false) {
  return writeCollection(vault.driver, {
    system: 'hr',
    tables: [{ schema: people, guards, read: () => pages(rows) }],
    force,
  })
}

async function current(vault: TestVault) {
  return (await queryRows(vault.driver, await requireVaultTable(vault.driver, 'hr.people'), { limit: 1000 })).rows
}

for (const kind of VAULT_KINDS) {
  describe(`collection writer (${kind})`, () => {
    let vault: TestVault
    before(async () => {
      vault = await createTestVault(kind)
    })
    after(async () => vault.close())

    it('adds every row on the first collection and stores values in their types', async () => {
      const result = await collect(
        vault,
        [1, 2, 3, 4, 5].map((i) => person(i)),
      )
      assert.deepEqual(result.tables, [
        { table: 'people', rowsBefore: 0, rowsAfter: 5, added: 5, changed: 0, removed: 0, ...full },
      ])
      const rows = await current(vault)
      assert.equal(rows.length, 5)
      assert.deepEqual(rows[0], {
        id: '1',
        ssn: '111-22-0001',
        name: 'Person 1',
        age: 21,
        fte: 0.8,
        active: false,
        born: '1990-02-28',
        seen: '2026-12-04T15:46:10.000Z',
        tags: ['a', 'b'],
      })
    })

    it('reports duplicate keys of a first collection in full, with lines, and stores nothing', async () => {
      const fresh: TableSchema = { ...people, system: 'fresh' }
      const error = await rejects(
        writeCollection(vault.driver, {
          system: 'fresh',
          tables: [{ schema: fresh, read: () => pages([person(1), person(2), person(1), person(2)]) }],
        }),
        'VLT_DUPLICATE_KEY',
      )
      assert.deepEqual(
        error.issues.map((i) => [i.line, i.value]),
        [
          [2, '1'],
          [3, '2'],
        ],
      )
      // The whole collection rolled back, the creation of the table included.
      await rejects(requireVaultTable(vault.driver, 'fresh.people'), 'VLT_UNKNOWN_TABLE')
    })

    it('records nothing when the source is unchanged, even with arrays in another order', async () => {
      const result = await collect(
        vault,
        [1, 2, 3, 4, 5].map((i) => person(i, { tags: ['a', 'b', 'a'] })),
      )
      assert.deepEqual(result.tables[0], {
        table: 'people',
        rowsBefore: 5,
        rowsAfter: 5,
        added: 0,
        changed: 0,
        removed: 0,
        ...full,
      })
    })

    it('applies additions, changes and removals and keeps each change in history', async () => {
      const rows = [person(1), person(2, { name: "O'Brien; DROP TABLE people --" }), person(3), person(4), person(6)]
      const result = await collect(vault, rows)
      assert.deepEqual(result.tables[0], {
        table: 'people',
        rowsBefore: 5,
        rowsAfter: 5,
        added: 1,
        changed: 1,
        removed: 1,
        ...full,
      })
      const byId = new Map((await current(vault)).map((r) => [r['id'], r]))
      assert.equal(byId.get('2')?.['name'], "O'Brien; DROP TABLE people --")
      assert.equal(byId.has('5'), false)
      assert.equal(byId.has('6'), true)
      const table = await requireVaultTable(vault.driver, 'hr.people')
      const history = await rowHistory(vault.driver, table, { key: '2' })
      assert.equal(history.length, 2)
      assert.equal(history[0]!.kind, 'changed')
      assert.deepEqual(history[0]!.changes, [{ column: 'name', old: 'Person 2', new: "O'Brien; DROP TABLE people --" }])
      assert.equal(history[1]!.kind, 'added')
      const removed = await rowHistory(vault.driver, table, { key: '5' })
      assert.equal(removed[0]!.kind, 'removed')
    })

    it('rejects a collection that breaks a guard and leaves the vault unchanged', async () => {
      const before = await current(vault)
      const error = await rejects(
        collect(vault, [], { maxRemoved: { kind: 'percent', value: 10 } }),
        'VLT_GUARD_REJECTED',
      )
      assert.match(
        error.issues[0]!.message,
        /hr\.people: removes 5 of 5 rows \(100%\), guard maxRemoved allows 10% \(0 rows\)/,
      )
      assert.deepEqual(await current(vault), before)
      const [last] = await listCollections(vault.driver, { system: 'hr', limit: 1 })
      assert.equal(last!.status, 'rejected')
      assert.equal(last!.errorCode, 'VLT_GUARD_REJECTED')
    })

    it('applies a guarded change with force and says which guard it overrode', async () => {
      const result = await collect(vault, [person(1), person(2)], { maxRemoved: { kind: 'count', value: 1 } }, true)
      assert.equal(result.tables[0]!.removed, 3)
      assert.equal(result.overriddenGuards.length, 1)
      assert.equal((await current(vault)).length, 2)
    })

    it('rejects duplicate primary keys with the lines of both rows', async () => {
      const error = await rejects(collect(vault, [person(1), person(2), person(1)]), 'VLT_DUPLICATE_KEY')
      assert.equal(error.issues[0]!.file, 'people.csv')
      assert.equal(error.issues[0]!.line, 2)
      assert.match(error.issues[0]!.message, /occurs 2 times, first on line 2, last on line 4/)
      assert.equal((await current(vault)).length, 2)
    })

    it('rejects duplicate reference keys and empty primary keys', async () => {
      await rejects(collect(vault, [person(1), person(2, { ssn: '111-22-0001' })]), 'VLT_DUPLICATE_KEY')
      const error = await rejects(collect(vault, [person(1), person(2, { id: '' })]), 'VLT_EMPTY_KEY')
      assert.equal(error.issues[0]!.line, 3)
    })

    it('lets a changed row take the reference key of a removed row, but not of a kept one', async () => {
      await collect(vault, [person(1), person(2), person(3)], noGuards, true)
      const swapped = await collect(vault, [person(1), person(2, { ssn: person(3)['ssn'] })], noGuards, true)
      assert.deepEqual(swapped.tables[0], {
        table: 'people',
        rowsBefore: 3,
        rowsAfter: 2,
        added: 0,
        changed: 1,
        removed: 1,
        ...full,
      })
      await rejects(collect(vault, [person(1), person(2, { ssn: person(1)['ssn'] })]), 'VLT_DUPLICATE_KEY')
      await collect(vault, [person(1), person(2)], noGuards, true)
    })

    it('loads a past snapshot without contacting the system', async () => {
      const all = await listCollections(vault.driver, { system: 'hr' })
      const first = all.filter((c) => c.status === 'succeeded').at(-1)!
      const result = await loadCollection(vault.driver, { collectionId: first.id })
      assert.equal(result.kind, 'load')
      const rows = await current(vault)
      assert.deepEqual(rows.map((r) => r['id']).sort(), ['1', '2', '3', '4', '5'])
      assert.equal(rows.find((r) => r['id'] === '2')?.['name'], 'Person 2')
      await rejects(loadCollection(vault.driver, { collectionId: 99999 }), 'VLT_UNKNOWN_COLLECTION')
    })

    it('adds new columns in place and refuses a changed column type', async () => {
      const wider: TableSchema = {
        ...people,
        columns: [...people.columns, { name: 'city', type: 'string', source: 'city' }],
      }
      const result = await writeCollection(vault.driver, {
        system: 'hr',
        tables: [{ schema: wider, read: () => pages([1, 2, 3, 4, 5].map((i) => person(i, { city: 'Zürich' }))) }],
      })
      assert.equal(result.tables[0]!.changed, 5)
      const retyped: TableSchema = {
        ...people,
        columns: people.columns.map((c) => (c.name === 'age' ? { ...c, type: 'string' as const } : c)),
      }
      await rejects(
        writeCollection(vault.driver, { system: 'hr', tables: [{ schema: retyped, read: () => pages([person(1)]) }] }),
        'VLT_SCHEMA_CHANGE',
      )
    })
  })
}
