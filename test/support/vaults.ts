/**
 * Runs a test body against every vault database available: always SQLite (a temp file), and
 * PostgreSQL when PROVISIO_TEST_PG_URL is set (scripts/test.sh starts one), each test in a fresh
 * schema so tests never see each other's tables.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type SqlDriver, openVaultDriver } from '../../src/vault/index.ts'

export interface TestVault {
  readonly kind: 'sqlite' | 'postgres'
  readonly projectDir: string
  /** What to pass as `database` to open the same vault again. */
  readonly database: string | undefined
  readonly schema: string | undefined
  readonly driver: SqlDriver
  close(): Promise<void>
}

export const PG_URL = process.env['PROVISIO_TEST_PG_URL']

export const VAULT_KINDS: readonly ('sqlite' | 'postgres')[] =
  PG_URL === undefined ? ['sqlite'] : ['sqlite', 'postgres']

if (PG_URL === undefined && process.env['PROVISIO_TEST_QUIET'] === undefined) {
  console.log(
    '# PostgreSQL vault tests skipped: PROVISIO_TEST_PG_URL is not set (npm test starts PostgreSQL when it can).',
  )
}

let counter = 0

export async function createTestVault(kind: 'sqlite' | 'postgres', projectDir?: string): Promise<TestVault> {
  const dir = projectDir ?? mkdtempSync(path.join(os.tmpdir(), 'provisio-test-'))
  const schema = kind === 'postgres' ? `t_${process.pid}_${Date.now().toString(36)}_${counter++}` : undefined
  const database = kind === 'postgres' ? PG_URL : undefined
  const driver = await openVaultDriver({ projectDir: dir, database, schema })
  return {
    kind,
    projectDir: dir,
    database,
    schema,
    driver,
    async close() {
      if (kind === 'postgres') await driver.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await driver.close()
      if (projectDir === undefined) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Everything the vault holds as text: SQLite's files, or every table of the PostgreSQL schema as JSON. */
export async function vaultText(projectDir: string, schema: string | undefined): Promise<string> {
  if (schema === undefined) {
    const file = path.join(projectDir, '.provisio', 'vault.db')
    return [file, `${file}-wal`]
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n')
  }
  const db = await openVaultDriver({ projectDir, database: PG_URL, schema })
  try {
    const tables = await db.query<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?',
      [schema],
    )
    const parts: string[] = []
    for (const { name } of tables) parts.push(JSON.stringify(await db.query(`SELECT * FROM "${name}"`)))
    return parts.join('\n')
  } finally {
    await db.close()
  }
}

/** Drops a PostgreSQL vault schema a CLI test gave its project (`--schema`); nothing for SQLite (undefined). */
export async function dropVaultSchema(schema: string | undefined): Promise<void> {
  if (schema === undefined) return
  const db = await openVaultDriver({ projectDir: os.tmpdir(), database: PG_URL, schema })
  try {
    await db.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  } finally {
    await db.close()
  }
}
