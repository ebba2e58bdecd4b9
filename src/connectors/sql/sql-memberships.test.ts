/**
 * Memberships tables of the SQL connector (`options.memberships`): their functions and option
 * checks offline, then `_add` and `_remove` and reading against real databases (a SQLite file, and
 * PostgreSQL when PROVISIO_TEST_PG_URL is set).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Row, TableSchema, Value } from '../../core/index.ts'
import type { Connection, Operation, OperationResult } from '../contract.ts'
import {
  createSqlTarget,
  readAll,
  rejectionOf,
  type SqlTarget,
  TARGET_KINDS,
  tableOf,
} from '../../../test/support/sql-targets.ts'
import { sqlConnector, sqlFunctions, sqlTableOptionsSchema } from './index.ts'
import { resolveTablePlan } from './sql-table.ts'

const MEMBERSHIPS = { group: 'group_cn', member: 'member' }

const groupMembers = (options: Record<string, unknown> = {}, columns = ['group_cn', 'member']): TableSchema =>
  tableOf('group_members', columns, { options: { memberships: MEMBERSHIPS, ...options } })

describe('memberships tables: functions and options', () => {
  it('offers only _add and _remove, each with the mandatory parameters group and member on their columns', () => {
    const functions = sqlFunctions(groupMembers())
    assert.deepEqual(
      functions.map((f) => [f.name, f.semantics, f.keyColumn]),
      [
        ['group_members_add', 'membership-add', undefined],
        ['group_members_remove', 'membership-remove', undefined],
      ],
    )
    for (const fn of functions) {
      assert.deepEqual(
        fn.parameters.map((p) => [p.name, p.allowance, p.column, p.type]),
        [
          ['group', 'mandatory', 'group_cn', 'string'],
          ['member', 'mandatory', 'member', 'string'],
        ],
      )
    }
  })

  it('gives the parameters the types of their columns, and keeps other columns out of them', () => {
    const table = tableOf('links', ['id:integer', 'team_id:integer', 'person'], {
      primaryKey: 'id',
      options: { memberships: { group: 'team_id', member: 'person' }, readOnly: ['id'] },
    })
    assert.deepEqual(
      sqlFunctions(table)[0]?.parameters.map((p) => [p.name, p.type, p.column]),
      [
        ['group', 'integer', 'team_id'],
        ['member', 'string', 'person'],
      ],
    )
  })

  it('is strict about the option itself', () => {
    assert.equal(sqlTableOptionsSchema.safeParse({ memberships: MEMBERSHIPS }).success, true)
    assert.equal(sqlTableOptionsSchema.safeParse({ memberships: { group: 'g' } }).success, false)
    assert.equal(sqlTableOptionsSchema.safeParse({ memberships: { ...MEMBERSHIPS, groups: 'x' } }).success, false)
  })

  it('reports undeclared, multi-valued, read-only and identical columns, with did-you-mean', () => {
    const problems = (table: TableSchema) => {
      try {
        resolveTablePlan(table)
        return []
      } catch (error) {
        const issues = (error as { code?: string; issues?: { path: unknown[]; message: string; hint?: string }[] })
          .issues
        assert.equal((error as { code?: string }).code, 'CON_SQL_INVALID_OPTIONS')
        return (issues ?? []).map((i) => [i.path.slice(3).join('.'), i.message, i.hint])
      }
    }
    assert.deepEqual(problems(groupMembers()), [])
    assert.deepEqual(problems(groupMembers({ memberships: { group: 'grup_cn', member: 'membr' } })), [
      ['memberships.group', "The group column 'grup_cn' is not a declared column.", "Did you mean 'group_cn'?"],
      ['memberships.member', "The member column 'membr' is not a declared column.", "Did you mean 'member'?"],
    ])
    assert.deepEqual(
      problems(groupMembers({}, ['group_cn', 'member:string[]'])).map((p) => p[1]),
      ["The member column 'member' is multi-valued; it must hold one value per row."],
    )
    assert.deepEqual(
      problems(groupMembers({ readOnly: ['group_cn'] })).map((p) => p[1]),
      ["The group column 'group_cn' is read-only, but _add writes it."],
    )
    assert.deepEqual(
      problems(groupMembers({ memberships: { group: 'member', member: 'member' } })).map((p) => p[1]),
      ["The group and member columns are both 'member'."],
    )
  })

  it('refuses the options that give functions or parameters a memberships table does not have', () => {
    const table = groupMembers(
      { mandatory: ['member'], disable: { column: 'member' }, password: { column: 'pw_hash' } },
      ['group_cn', 'member'],
    )
    assert.throws(
      () => resolveTablePlan(table),
      (error: Error & { issues?: { path: unknown[] }[] }) => {
        assert.deepEqual(
          error.issues?.map((i) => i.path.slice(3).join('.')),
          ['mandatory', 'disable', 'password'],
        )
        return true
      },
    )
  })

  it('lets provisio validate report the same problems through checkTable', () => {
    assert.deepEqual(sqlConnector.checkTable!(groupMembers(), { file: 'x.db', pageSize: 5000 }), [])
    const problems = sqlConnector.checkTable!(groupMembers({ memberships: { group: 'grup_cn', member: 'member' } }), {
      file: 'x.db',
      pageSize: 5000,
    })
    assert.deepEqual(problems, [
      "options.memberships.group: The group column 'grup_cn' is not a declared column (did you mean 'group_cn'?)",
    ])
    // The options every table has are reported there too.
    assert.deepEqual(
      sqlConnector.checkTable!(tableOf('users', ['id', 'name'], { options: { mandatory: ['nme'] } }), {
        file: 'x.db',
        pageSize: 5000,
      }),
      ["options.mandatory.0: 'nme' in mandatory is not a declared column (did you mean 'name'?)"],
    )
  })
})

const DDL = {
  sqlite: `
    CREATE TABLE groups (cn TEXT PRIMARY KEY);
    CREATE TABLE people (username TEXT PRIMARY KEY);
    CREATE TABLE group_members (
      group_cn TEXT NOT NULL REFERENCES groups (cn),
      member TEXT NOT NULL REFERENCES people (username));
    CREATE TABLE nocase_members (group_cn TEXT COLLATE NOCASE NOT NULL, member TEXT COLLATE NOCASE NOT NULL);
    CREATE TABLE team_links (
      id INTEGER PRIMARY KEY,
      team_id INTEGER NOT NULL,
      person TEXT NOT NULL,
      added TEXT NOT NULL DEFAULT 'now',
      UNIQUE (team_id, person));
    CREATE TABLE big_members (group_cn TEXT, member TEXT);`,
  postgres: `
    CREATE TABLE groups (cn text PRIMARY KEY);
    CREATE TABLE people (username text PRIMARY KEY);
    CREATE TABLE group_members (
      group_cn text NOT NULL REFERENCES groups (cn),
      member text NOT NULL REFERENCES people (username));
    CREATE TABLE nocase_members (group_cn text NOT NULL, member text NOT NULL);
    CREATE TABLE team_links (
      id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      team_id integer NOT NULL,
      person text NOT NULL,
      added text NOT NULL DEFAULT 'now',
      UNIQUE (team_id, person));
    CREATE TABLE big_members (group_cn text, member text);`,
}

const HOSTILE = ["O'Brien", "x'); DROP TABLE group_members; --", 'Zoë Ångström 山田 🙂', 'back\\slash ? $1 %_']

const nocaseMembers = tableOf('nocase_members', ['group_cn', 'member'], { options: { memberships: MEMBERSHIPS } })
const teamLinks = tableOf('team_links', ['id:integer', 'team_id:integer', 'person', 'added'], {
  primaryKey: 'id',
  options: { memberships: { group: 'team_id', member: 'person' }, readOnly: ['id', 'added'] },
})

let sequence = 0

function apply(
  connection: Connection,
  table: TableSchema,
  suffix: 'add' | 'remove',
  attributes: Row,
  key?: { column: string; value: Value },
): Promise<OperationResult> {
  const fn = sqlFunctions(table).find((f) => f.name === `${table.name}_${suffix}`)!
  const operation: Operation = {
    id: `m-${++sequence}`,
    table: table.name,
    function: fn.name,
    semantics: fn.semantics,
    key,
    attributes,
  }
  return connection.apply(operation, { table, function: fn })
}

for (const kind of TARGET_KINDS) {
  describe(`memberships tables: _add, _remove and read (${kind})`, () => {
    const table = groupMembers()
    let target: SqlTarget
    let connection: Connection
    before(async () => {
      target = await createSqlTarget(kind)
      await target.ddl(DDL)
      for (const cn of ['Staff', 'Admins', ...HOSTILE]) await target.admin.run('INSERT INTO groups VALUES (?)', [cn])
      for (const name of ['jdoe', 'asmith', ...HOSTILE]) await target.admin.run('INSERT INTO people VALUES (?)', [name])
      connection = await target.open()
    })
    after(() => target.close())

    const pairs = async (name = 'group_members') =>
      (await target.admin.query<Row>(`SELECT group_cn, member FROM ${name} ORDER BY group_cn, member`)).map((r) => ({
        ...r,
      }))

    it('adds a pair once: adding it again is an unchanged success with the row the table holds', async () => {
      const added = await apply(connection, table, 'add', { group: 'Staff', member: 'jdoe' })
      assert.deepEqual(added, { row: { group_cn: 'Staff', member: 'jdoe' } })
      const again = await apply(connection, table, 'add', { group: 'Staff', member: 'jdoe' })
      assert.deepEqual(again, {
        unchanged: true,
        row: { group_cn: 'Staff', member: 'jdoe' },
        message: 'Already a member.',
      })
      await apply(connection, table, 'add', { group: 'Admins', member: 'jdoe' })
      await apply(connection, table, 'add', { group: 'Staff', member: 'asmith' })
      assert.deepEqual(await pairs(), [
        { group_cn: 'Admins', member: 'jdoe' },
        { group_cn: 'Staff', member: 'asmith' },
        { group_cn: 'Staff', member: 'jdoe' },
      ])
    })

    it('removes exactly that pair: removing it again is an unchanged success', async () => {
      const removed = await apply(connection, table, 'remove', { group: 'Staff', member: 'jdoe' })
      assert.deepEqual(removed, { row: { group_cn: 'Staff', member: 'jdoe' } })
      const again = await apply(connection, table, 'remove', { group: 'Staff', member: 'jdoe' })
      assert.deepEqual(again, { unchanged: true, message: 'Not a member.' })
      assert.deepEqual(await pairs(), [
        { group_cn: 'Admins', member: 'jdoe' },
        { group_cn: 'Staff', member: 'asmith' },
      ])
    })

    it('takes the group from the operation key when it names the group column', async () => {
      const added = await apply(connection, table, 'add', { member: 'asmith' }, { column: 'group_cn', value: 'Admins' })
      assert.deepEqual(added.row, { group_cn: 'Admins', member: 'asmith' })
      await apply(connection, table, 'remove', { member: 'asmith' }, { column: 'group_cn', value: 'Admins' })
    })

    it('stores hostile text exactly, as bound values', async () => {
      for (const value of HOSTILE) {
        const added = await apply(connection, table, 'add', { group: value, member: value })
        assert.deepEqual(added.row, { group_cn: value, member: value })
        assert.equal((await apply(connection, table, 'add', { group: value, member: value })).unchanged, true)
      }
      const stored = await pairs()
      for (const value of HOSTILE) assert.ok(stored.some((p) => p['group_cn'] === value && p['member'] === value))
      for (const value of HOSTILE) {
        assert.deepEqual((await apply(connection, table, 'remove', { group: value, member: value })).row, {
          group_cn: value,
          member: value,
        })
      }
    })

    it('refuses a member that refers to no row as not retryable, naming the column and value', async () => {
      const error = await rejectionOf(apply(connection, table, 'add', { group: 'Staff', member: 'nobody' }))
      assert.equal(error['code'], 'CON_SQL_CONSTRAINT')
      assert.equal(error['retry'], 'never')
      assert.equal(
        error['hint'],
        'Table people has no row for member = "nobody": create that row first (an earlier step of the job), or correct the value.',
      )
      assert.match(error.message, /member = "nobody" refers to no row of table people/)
      const details = error['details'] as Record<string, unknown>
      assert.deepEqual(
        [details['column'], details['value'], details['referencedTable']],
        ['member', 'nobody', 'people'],
      )
      const group = await rejectionOf(apply(connection, table, 'add', { group: 'Nope', member: 'jdoe' }))
      assert.match(String(group['hint']), /^Table groups has no row for group_cn = "Nope"/)
      assert.equal(
        (await pairs()).some((p) => p['member'] === 'nobody' || p['group_cn'] === 'Nope'),
        false,
      )
    })

    it('says which rows still refer to a row whose delete a foreign key refuses', async () => {
      const groups = tableOf('groups', ['cn'], { primaryKey: 'cn' })
      const fn = sqlFunctions(groups).find((f) => f.semantics === 'delete')!
      const operation: Operation = {
        id: `m-${++sequence}`,
        table: 'groups',
        function: fn.name,
        semantics: 'delete',
        key: { column: 'cn', value: 'Admins' },
        attributes: {},
      }
      const error = await rejectionOf(connection.apply(operation, { table: groups, function: fn }))
      assert.equal(error['code'], 'CON_SQL_CONSTRAINT')
      assert.equal(error['retry'], 'never')
      if (kind === 'postgres') {
        assert.equal(
          error['hint'],
          'Rows of table group_members still refer to this row by cn = "Admins": remove or change them first.',
        )
      }
    })

    it('compares pairs as the database does (SQLite COLLATE NOCASE: without case)', async () => {
      await apply(connection, nocaseMembers, 'add', { group: 'Staff', member: 'JDoe' })
      const other = await apply(connection, nocaseMembers, 'add', { group: 'STAFF', member: 'jdoe' })
      if (kind === 'sqlite') {
        assert.deepEqual(other, {
          unchanged: true,
          row: { group_cn: 'Staff', member: 'JDoe' },
          message: 'Already a member.',
        })
        const removed = await apply(connection, nocaseMembers, 'remove', { group: 'staff', member: 'JDOE' })
        assert.deepEqual(removed.row, { group_cn: 'Staff', member: 'JDoe' })
        assert.deepEqual(await pairs('nocase_members'), [])
      } else {
        assert.deepEqual(other, { row: { group_cn: 'STAFF', member: 'jdoe' } })
        assert.equal((await pairs('nocase_members')).length, 2)
      }
    })

    it('returns every declared column of a table with a key and defaults, and survives racing adds', async () => {
      const added = await apply(connection, teamLinks, 'add', { group: 7, member: 'jdoe' })
      assert.deepEqual(added.row, { id: 1, team_id: 7, person: 'jdoe', added: 'now' })
      // A unique constraint on the pair: concurrent adds of one pair all succeed, and one row remains.
      const raced = await Promise.all(
        Array.from({ length: 6 }, () => apply(connection, teamLinks, 'add', { group: 8, member: 'asmith' })),
      )
      assert.equal(raced.filter((r) => r.unchanged !== true).length, 1)
      const rows = await target.admin.query('SELECT id FROM team_links WHERE team_id = 8')
      assert.equal(rows.length, 1)
      for (const result of raced) assert.equal(result.row?.['id'], Number(rows[0]!['id']))
    })

    it('treats a missing, empty or unknown pair value as a bug of the engine', async () => {
      for (const attributes of [
        { group: 'Staff' },
        { group: 'Staff', member: null },
        { group: 'Staff', member: 'x', cn: 'y' },
      ]) {
        const error = await rejectionOf(apply(connection, table, 'add', attributes))
        assert.equal(error['code'], 'CON_SQL_INVALID_OPERATION', JSON.stringify(attributes))
        assert.equal(error['audience'], 'bug')
      }
    })

    it('reads a memberships table without primary key of 12,345 rows in pages, each row once', async () => {
      const count = 12_345
      await target.ddl({
        sqlite: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
                 INSERT INTO big_members SELECT 'G' || (i % 97), 'user' || i FROM n`,
        postgres: `INSERT INTO big_members SELECT 'G' || (i % 97), 'user' || i FROM generate_series(1, ${count}) AS i`,
      })
      const big = tableOf('big_members', ['group_cn', 'member'], {
        options: { memberships: MEMBERSHIPS, pageSize: 1000 },
      })
      const { rows, pages } = await readAll(connection, big)
      assert.equal(rows.length, count)
      assert.ok(pages.length >= 13, `${pages.length} pages`)
      assert.ok(pages.every((n) => n <= 1000 && n > 0))
      assert.equal(new Set(rows.map((r) => `${String(r['group_cn'])}|${String(r['member'])}`)).size, count)
      assert.deepEqual(
        rows.find((r) => r['member'] === 'user12345'),
        { group_cn: `G${12_345 % 97}`, member: 'user12345' },
      )
    })
  })
}
