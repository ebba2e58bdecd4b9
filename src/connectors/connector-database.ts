/**
 * ConnectorContext.openDatabase: SQL connectors reach their databases through the vault's own query
 * layer (better-sqlite3 and pg behind one interface), so there is one driver layer in Provisio, not
 * one per layer. Relative SQLite paths resolve against the project folder.
 */
import path from 'node:path'
import { openDriver } from '../vault/index.ts'
import type { ConnectorDatabase, DatabaseLocation } from './contract.ts'

export async function openConnectorDatabase(
  projectDir: string,
  location: DatabaseLocation,
): Promise<ConnectorDatabase> {
  const database = 'url' in location ? location.url : path.resolve(projectDir, location.file)
  const driver = await openDriver({ projectDir, database })
  return {
    dialect: driver.dialect.name,
    location: driver.location,
    query: (sql, params) => driver.query(sql, params),
    run: (sql, params) => driver.run(sql, params),
    exec: (sql) => driver.exec(sql),
    stream: (sql, params, pageSize) => driver.stream(sql, params, pageSize),
    transaction: (work) =>
      driver.transaction((tx) =>
        work({
          ...tx,
          dialect: tx.dialect.name,
          query: (s, p) => tx.query(s, p),
          run: (s, p) => tx.run(s, p),
          exec: (s) => tx.exec(s),
          stream: (s, p, n) => tx.stream(s, p, n),
        }),
      ),
    close: () => driver.close(),
  }
}
