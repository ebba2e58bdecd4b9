/**
 * The vault databases a benchmark runs on: SQLite always; PostgreSQL from PROVISIO_BENCH_PG_URL, or
 * one started here with scripts/start-postgres.sh when PostgreSQL is installed.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'

export const DATA = path.resolve(import.meta.dirname, '..', '.data')
const SCRIPTS = path.resolve(import.meta.dirname, '..', '..', 'scripts')

export interface BenchDatabase {
  readonly name: 'sqlite' | 'postgres'
  readonly url: string | undefined
  readonly schema: string | undefined
  /** Empties the vault before a new series of collections. */
  reset(): Promise<void>
}

export function sqliteDatabase(): BenchDatabase {
  return {
    name: 'sqlite',
    url: undefined,
    schema: undefined,
    async reset() {
      // Each bench project folder holds its own .provisio/vault.db; project() recreates the folder.
    },
  }
}

let started: string | undefined

export async function postgresDatabase(): Promise<BenchDatabase | undefined> {
  let url = process.env['PROVISIO_BENCH_PG_URL']
  if (url === undefined) {
    try {
      execFileSync('bash', [path.join(SCRIPTS, 'install-postgres.sh')], { stdio: 'inherit' })
      const dir = path.join('/tmp', 'provisio-bench-pg')
      if (!existsSync(dir)) mkdirSync(dir, { recursive: true })
      url = execFileSync('bash', [path.join(SCRIPTS, 'start-postgres.sh'), dir, '55499'], { encoding: 'utf8' }).trim()
      started = dir
    } catch (error) {
      console.log(`  PostgreSQL skipped: ${(error as Error).message.split('\n')[0]}`)
      return undefined
    }
  }
  const schema = 'bench'
  return {
    name: 'postgres',
    url,
    schema,
    async reset() {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
    },
  }
}

export function stopDatabases(): void {
  if (started !== undefined) {
    execFileSync('bash', [path.join(SCRIPTS, 'stop-postgres.sh'), started])
    rmSync(started, { recursive: true, force: true })
  }
}

/** Drops a PostgreSQL schema of a series (its vault) with everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema.replaceAll('"', '""')}" CASCADE`)
  } finally {
    await client.end()
  }
}
