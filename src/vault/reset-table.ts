import type { SqlDriver } from './driver/sql-driver.ts'
import { requireVaultTable } from './vault-queries.ts'

/**
 * Drops a table with all its history from the vault (`provisio vault reset SYSTEM.TABLE`), for data
 * model changes that cannot be applied in place. The next collection starts it afresh.
 */
export async function resetVaultTable(driver: SqlDriver, qualified: string): Promise<void> {
  const table = await requireVaultTable(driver, qualified)
  await driver.transaction(async (tx) => {
    await tx.exec(`DROP VIEW IF EXISTS ${table.view}`)
    for (const side of table.sideTables.values()) await tx.exec(`DROP TABLE IF EXISTS ${side}`)
    await tx.exec(`DROP TABLE IF EXISTS ${table.versions}`)
    await tx.run('DELETE FROM vault_tables WHERE system = ? AND table_name = ?', [table.system, table.name])
  })
}
