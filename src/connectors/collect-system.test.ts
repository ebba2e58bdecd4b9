/**
 * collectSystem with incremental reads, against a small in-memory directory that honours `since`
 * the way the LDAP connector does with uSNChanged: every change takes the next change number, a
 * read from a watermark returns only the entries changed after it, and deletions leave no trace a
 * delta could see. It stands in for an input source; the system under test is the collection.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { z } from 'zod'
import type { Row, TableSchema } from '../core/index.ts'
import type { SystemConfig } from '../config/index.ts'
import { testDocument } from '../filters/test-fixtures.ts'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../test/support/vaults.ts'
import { listCollections, queryRows, requireVaultTable } from '../vault/index.ts'
import { type CollectSystemOptions, type OpenedSystem, collectOpenedSystem, watermarkScope } from './collect-system.ts'
import type { Connection, ReadOptions, ReadPage } from './contract.ts'
import type { AnyConnectorDefinition } from './registry.ts'

const tableOptions = z.object({
  /** The directory reads this table incrementally when asked (memberships never are). */
  incremental: z.boolean().default(true),
})

/** Entries per table, each with the change number of its last change. */
class MemoryDirectory {
  private usn = 0
  private readonly tables = new Map<string, Map<string, { row: Row; usn: number }>>()
  /** The `since` of every read, per table, in order. */
  readonly reads: { table: string; since: string | undefined }[] = []

  put(table: string, key: string, row: Row): void {
    const rows = this.tables.get(table) ?? new Map<string, { row: Row; usn: number }>()
    this.tables.set(table, rows)
    rows.set(key, { row, usn: ++this.usn })
  }

  /** A deletion: the entry is gone, and nothing a delta returns says so. */
  delete(table: string, key: string): void {
    this.tables.get(table)?.delete(key)
  }

  async *read(options: ReadOptions): AsyncGenerator<ReadPage> {
    const { table, since } = options
    this.reads.push({ table: table.name, since })
    const incremental = (table.options as z.infer<typeof tableOptions>).incremental
    const from = since === undefined || !incremental || !/^\d+$/.test(since) ? undefined : Number(since)
    const all = [...(this.tables.get(table.name)?.values() ?? [])]
    const rows = all.filter((e) => from === undefined || e.usn > from).map((e) => e.row)
    const delta = from !== undefined
    const watermark = String(this.usn)
    // Two rows a page; a delta yields at least one page, possibly empty.
    const count = Math.max(delta ? 1 : 0, Math.ceil(rows.length / 2))
    for (let p = 0; p < count; p++) {
      yield {
        rows: rows.slice(p * 2, p * 2 + 2),
        delta,
        watermark: p === count - 1 ? watermark : undefined,
      }
    }
  }
}

/** The directory as an open system of a connector that declares (or not) incremental reads. */
function openedOn(directory: MemoryDirectory, supportsIncrementalRead = true): OpenedSystem {
  const connection: Connection = {
    check: async () => undefined,
    discover: async () => [],
    read: (options) => directory.read(options),
    apply: () => Promise.reject(new Error('read-only')),
    close: async () => undefined,
  }
  const definition: AnyConnectorDefinition = {
    type: 'memory',
    displayName: 'In-memory directory (test)',
    configSchema: z.object({ server: z.string() }),
    tableOptionsSchema: tableOptions,
    capabilities: { supportsIncrementalRead, supportsApply: false, requiresDeclaredTables: true },
    open: async () => connection,
  }
  return { connection, definition, config: {} }
}

function table(name: string, primaryKey: string | undefined, columns: string[], options = {}): TableSchema {
  return {
    system: 'dir',
    name,
    primaryKey,
    referenceKeys: [],
    options,
    columns: columns.map((c) => ({ name: c, type: 'string', source: c })),
  }
}

const USERS = table('users', 'id', ['id', 'name'])
const GROUPS = table('groups', 'cn', ['cn', 'description'], { incremental: false })
const MEMBERS = table('members', undefined, ['group', 'member'])

function systemOf(tables: readonly TableSchema[], server = 'dc1'): SystemConfig {
  return {
    name: 'dir',
    connector: 'memory',
    config: { server },
    tables,
    relations: [],
    manyToMany: [],
    guards: {},
    file: 'systems/dir.yaml',
    document: testDocument('systems/dir.yaml'),
  }
}

for (const kind of VAULT_KINDS) {
  describe(`collectSystem, incrementally (${kind})`, () => {
    let vault: TestVault
    const directory = new MemoryDirectory()
    let system = systemOf([USERS, GROUPS, MEMBERS])

    function collect(options: Partial<CollectSystemOptions> = {}, opened = openedOn(directory)) {
      return collectOpenedSystem({ driver: vault.driver, system, projectDir: vault.projectDir, ...options }, opened)
    }

    /** A user as the directory holds it: with a mail address the data model may not collect. */
    function putUser(id: string, name = `User ${id}`): void {
      directory.put('users', id, { id, name, mail: `u${id}@example.test` })
    }

    /** The reads the last collection made, as `table: since`. */
    function lastReads(n: number): string[] {
      return directory.reads.slice(-n).map((r) => `${r.table}: ${r.since ?? 'full'}`)
    }

    async function rows(name: string): Promise<Row[]> {
      const stored = await requireVaultTable(vault.driver, `dir.${name}`)
      return (await queryRows(vault.driver, stored, { limit: 1000 })).rows
    }

    before(async () => {
      vault = await createTestVault(kind)
      for (const id of ['1', '2', '3']) putUser(id)
      directory.put('groups', 'staff', { cn: 'staff', description: 'Staff' })
      directory.put('groups', 'admins', { cn: 'admins', description: 'Admins' })
      directory.put('members', 'staff|1', { group: 'staff', member: '1' })
      directory.put('members', 'staff|2', { group: 'staff', member: '2' })
    })
    after(async () => vault.close())

    it('reads in full with --incremental when nothing was collected before, and records the watermarks', async () => {
      const result = await collect({ incremental: true })
      assert.deepEqual(lastReads(3), ['users: full', 'groups: full', 'members: full'])
      assert.deepEqual(
        result.tables.map((t) => [t.table, t.added, t.incremental, t.watermark, t.since]),
        [
          ['users', 3, false, '7', null],
          ['groups', 2, false, '7', null],
          ['members', 2, false, '7', null],
        ],
      )
    })

    it('reads in full without --incremental, finding removals, and still records the watermark', async () => {
      directory.delete('users', '3')
      const result = await collect({ force: true })
      assert.deepEqual(lastReads(3), ['users: full', 'groups: full', 'members: full'])
      assert.deepEqual(
        result.tables.map((t) => [t.table, t.removed, t.incremental, t.watermark]),
        [
          ['users', 1, false, '7'],
          ['groups', 0, false, '7'],
          ['members', 0, false, '7'],
        ],
      )
      putUser('3')
      await collect()
    })

    it('reads from the watermark with --incremental: changes come in, deletions are not seen', async () => {
      putUser('2', 'Renée')
      putUser('4')
      directory.delete('users', '1')
      directory.delete('groups', 'admins')
      directory.delete('members', 'staff|1')
      const result = await collect({ incremental: true, force: true })
      // groups: asked from the watermark, the directory reads it in full anyway; members have no key.
      assert.deepEqual(lastReads(3), ['users: 8', 'groups: 8', 'members: full'])
      assert.deepEqual(
        result.tables.map((t) => [t.table, t.rowsBefore, t.rowsAfter, t.added, t.changed, t.removed, t.incremental]),
        [
          ['users', 3, 4, 1, 1, 0, true],
          ['groups', 2, 1, 0, 0, 1, false],
          ['members', 2, 1, 0, 0, 1, false],
        ],
      )
      assert.deepEqual(
        result.tables.map((t) => [t.since, t.watermark]),
        [
          ['8', '10'],
          ['8', '10'],
          [null, '10'],
        ],
      )
      // User 1 was deleted, but the delta could not say so: the vault keeps it until a full read.
      assert.deepEqual(
        (await rows('users')).map((r) => `${String(r['id'])} ${String(r['name'])}`),
        ['1 User 1', '2 Renée', '3 User 3', '4 User 4'],
      )
      const [record] = await listCollections(vault.driver, { id: result.id })
      assert.deepEqual(
        record!.tables.map((t) => [t.table, t.incremental, t.watermark]),
        [
          ['groups', false, '10'],
          ['members', false, '10'],
          ['users', true, '10'],
        ],
      )
    })

    it('continues from the incremental read’s own watermark, and an unchanged directory changes nothing', async () => {
      const result = await collect({ incremental: true })
      assert.deepEqual(lastReads(3), ['users: 10', 'groups: 10', 'members: full'])
      assert.deepEqual(
        result.tables.map((t) => [t.table, t.added + t.changed + t.removed, t.incremental]),
        [
          ['users', 0, true],
          ['groups', 0, false],
          ['members', 0, false],
        ],
      )
    })

    it('finds the deletions again with a full collection', async () => {
      const result = await collect({ force: true, tables: ['users'] })
      assert.deepEqual(lastReads(1), ['users: full'])
      assert.deepEqual(
        result.tables.map((t) => [t.removed, t.incremental]),
        [[1, false]],
      )
      assert.deepEqual(
        (await rows('users')).map((r) => r['id']),
        ['2', '3', '4'],
      )
    })

    it('reads in full when the System changed since the watermark: a new column, another server', async () => {
      system = systemOf([table('users', 'id', ['id', 'name', 'mail']), GROUPS, MEMBERS])
      putUser('5')
      // A delta would bring the mail address of user 5 only; the full read fills it in every row.
      const widened = await collect({ incremental: true, tables: ['users'] })
      assert.deepEqual(lastReads(1), ['users: full'])
      assert.deepEqual(
        widened.tables.map((t) => [t.added, t.changed, t.incremental]),
        [[1, 3, false]],
      )
      const again = await collect({ incremental: true, tables: ['users'] })
      assert.deepEqual(lastReads(1), ['users: 11'])
      assert.equal(again.tables[0]!.incremental, true)
      const before = watermarkScope(system, system.tables[0]!)
      system = systemOf(system.tables, 'dc2')
      assert.notEqual(watermarkScope(system, system.tables[0]!), before)
      await collect({ incremental: true, tables: ['users'] })
      assert.deepEqual(lastReads(1), ['users: full'])
    })

    it('reads in full when the connector cannot read incrementally', async () => {
      const result = await collect({ incremental: true, tables: ['users'] }, openedOn(directory, false))
      assert.deepEqual(lastReads(1), ['users: full'])
      assert.equal(result.tables[0]!.incremental, false)
    })
  })
}
