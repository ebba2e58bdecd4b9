/**
 * The SQL connector passes the shared conformance suite on SQLite and, when PROVISIO_TEST_PG_URL
 * is set (npm test starts a server), on PostgreSQL: an accounts table with a primary key, a unique
 * user name (the reference key), a text column to update, and a hashed write-only password.
 */
import type { FunctionSchema, Row } from '../../src/core/index.ts'
import { type ConformanceFixture, describeConformance, hostileText } from '../../src/connectors/conformance/index.ts'
import { sqlConnector } from '../../src/connectors/sql/index.ts'
import { createSqlTarget, tableOf, type TargetKind } from '../support/sql-targets.ts'
import { PG_URL } from '../support/vaults.ts'

const PAGE_SIZE = 4
const WRONG_PASSWORD = 'Wr0ng-C0nformance-Pw'

const DDL = {
  sqlite:
    'CREATE TABLE accounts (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT, mail TEXT, password_hash TEXT)',
  postgres:
    'CREATE TABLE accounts (id integer PRIMARY KEY, username text NOT NULL UNIQUE, display_name text, mail text, password_hash text)',
}

const accounts = tableOf('accounts', ['id:integer', 'username', 'display_name', 'mail'], {
  primaryKey: 'id',
  referenceKeys: ['username'],
  options: { mandatory: ['username'], password: { column: 'password_hash' } },
})

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
