/**
 * Brings the vault's fixed schema up to date with numbered migrations (./migrations). Each
 * migration runs in its own transaction together with its bookkeeping row, so a failure leaves the
 * vault at the previous version.
 */
import { toProvisioError } from '../core/index.ts'
import type { SqlDriver } from './driver/sql-driver.ts'
import { vaultError } from './errors.ts'
import { MIGRATIONS, type Migration } from './migrations/index.ts'

export async function migrate(driver: SqlDriver, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await driver.exec(
    `CREATE TABLE IF NOT EXISTS vault_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
  )
  const done = new Set((await driver.query<{ id: number }>('SELECT id FROM vault_migrations')).map((r) => Number(r.id)))
  const newest = Math.max(0, ...migrations.map((m) => m.id))
  const unknown = [...done].filter((id) => id > newest)
  if (unknown.length > 0) {
    throw vaultError(
      'VLT_NEWER_SCHEMA',
      `The vault at ${driver.location} has migration ${Math.max(...unknown)}, newer than this Provisio knows (${newest}).`,
    )
  }
  const applied: number[] = []
  for (const migration of migrations) {
    if (done.has(migration.id)) continue
    try {
      await driver.transaction(async (tx) => {
        for (const statement of migration.up(driver.dialect)) await tx.exec(statement)
        await tx.run('INSERT INTO vault_migrations (id, name, applied_at) VALUES (?, ?, ?)', [
          migration.id,
          migration.name,
          new Date().toISOString(),
        ])
      })
    } catch (error) {
      throw vaultError(
        'VLT_MIGRATION_FAILED',
        `Vault migration ${migration.id} (${migration.name}) failed: ${toProvisioError(error).message}`,
        { cause: error },
      )
    }
    applied.push(migration.id)
  }
  return applied
}
