/**
 * The SQL connector passes the shared conformance suite on SQLite and, when PROVISIO_TEST_PG_URL
 * is set (npm test starts a server), on PostgreSQL: an accounts table with a primary key, a unique
 * user name (the reference key), a text column to update, and a hashed write-only password; and a
 * memberships table without a key (`options.memberships`) whose pairs refer to groups and people
 * by foreign keys.
 */
import type { FunctionSchema, Row } from '../../src/core/index.ts'
import { type ConformanceFixture, describeConformance, hostileText } from '../../src/connectors/conformance/index.ts'
import { sqlConnector } from '../../src/connectors/sql/index.ts'
import { createSqlTarget, type SqlTarget, tableOf, type TargetKind } from '../support/sql-targets.ts'
import { PG_URL } from '../support/vaults.ts'

const PAGE_SIZE = 4
const WRONG_PASSWORD = 'Wr0ng-C0nformance-Pw'

const MEMBERSHIPS_DDL = `
  CREATE TABLE groups (cn TEXT PRIMARY KEY);
  CREATE TABLE people (username TEXT PRIMARY KEY);
  CREATE TABLE group_members (
    group_cn TEXT NOT NULL REFERENCES groups (cn),
    member TEXT NOT NULL REFERENCES people (username));`

const DDL = {
  sqlite: `CREATE TABLE accounts (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT, mail TEXT, password_hash TEXT);
    ${MEMBERSHIPS_DDL}`,
  postgres: `CREATE TABLE accounts (id integer PRIMARY KEY, username text NOT NULL UNIQUE, display_name text, mail text, password_hash text);
    ${MEMBERSHIPS_DDL}`,
}

const accounts = tableOf('accounts', ['id:integer', 'username', 'display_name', 'mail'], {
  primaryKey: 'id',
  referenceKeys: ['username'],
  options: { mandatory: ['username'], password: { column: 'password_hash' } },
})

const groupMembers = tableOf('group_members', ['group_cn', 'member'], {
  options: { memberships: { group: 'group_cn', member: 'member' } },
})

/** A fresh group and person, made outside the connector, and the memberships row that relates them. */
async function makePair(target: SqlTarget, index: number): Promise<Row> {
  const group = hostileText(`Group ${index}`, index)
  const member = hostileText(`person${index}`, index + 3)
  await target.admin.run('INSERT INTO groups (cn) VALUES (?)', [group])
  await target.admin.run('INSERT INTO people (username) VALUES (?)', [member])
  return { group_cn: group, member }
}

function row(index: number, create: FunctionSchema | undefined): Row {
  const values: Row = {
    id: 1000 + index,
    username: hostileText(`user${index}`, index),
    display_name: hostileText(`Display ${index}`, index + 1),
    mail: `user${index}@example.test`,
  }
  if (create?.parameters.some((p) => p.name === 'password' && p.secret === true)) {
    values['password'] = `Pw-${index}-S3cr3t!`
  }
  return values
}

/** PostgreSQL's URL with a user the server does not know (the test server trusts any password). */
function wrongUrl(url: string): string {
  const parsed = new URL(url)
  parsed.username = 'conformance_nobody'
  parsed.password = WRONG_PASSWORD
  return parsed.toString()
}

async function sqlFixture(kind: TargetKind): Promise<ConformanceFixture> {
  const target = await createSqlTarget(kind)
  await target.ddl(DDL)
  let pairs = 0
  const url = kind === 'postgres' ? PG_URL : undefined
  const config =
    url !== undefined
      ? { url: '${env:CONFORMANCE_PG_URL}', schema: target.schema, pageSize: PAGE_SIZE }
      : { file: 'data/target.db', pageSize: PAGE_SIZE }
  return {
    definition: sqlConnector,
    config,
    env: url !== undefined ? { CONFORMANCE_PG_URL: url } : {},
    projectDir: target.projectDir,
    openDatabase: target.context.openDatabase,
    accounts: {
      table: accounts,
      row,
      change: { attribute: 'display_name', value: (index) => hostileText(`Changed ${index}`, index + 2) },
      pageSize: PAGE_SIZE,
    },
    memberships: { table: groupMembers, pair: () => makePair(target, pairs++) },
    wrongCredentials: url !== undefined ? { config, env: { CONFORMANCE_PG_URL: wrongUrl(url) } } : undefined,
    secrets: [WRONG_PASSWORD],
    discovers: 'accounts',
    tearDown: () => target.close(),
  }
}

describeConformance({ name: 'sql on SQLite', setUp: () => sqlFixture('sqlite') })
describeConformance({
  name: 'sql on PostgreSQL',
  skip: PG_URL === undefined ? 'PROVISIO_TEST_PG_URL is not set (npm test starts PostgreSQL when it can)' : false,
  setUp: () => sqlFixture('postgres'),
})
