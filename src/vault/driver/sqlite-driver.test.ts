/**
 * What only the embedded vault does: SQLite may end a whole transaction itself. The driver contract
 * for transactions, shared with PostgreSQL, is tested on both in driver-transactions.test.ts.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { SqliteDriver } from './sqlite-driver.ts'

describe('SqliteDriver: a transaction SQLite ended itself', () => {
  let dir: string
  let driver: SqliteDriver
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'provisio-sqlite-savepoints-'))
    driver = new SqliteDriver(path.join(dir, 'vault.db'))
    await driver.exec('CREATE TABLE notes (text TEXT NOT NULL)')
  })
  after(async () => {
    await driver.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const texts = async () =>
    (await driver.query<{ text: string }>('SELECT text FROM notes ORDER BY text')).map((r) => r.text)

  it('fails the whole transaction when SQLite ended it during a nested one, instead of writing outside it', async () => {
    await driver.run('DELETE FROM notes')
    await assert.rejects(
      driver.transaction(async (tx) => {
        await tx.run("INSERT INTO notes VALUES ('outer')")
        await assert.rejects(
          driver.transaction(async (inner) => {
            await inner.run("INSERT INTO notes VALUES ('inner')")
            // What SQLite does itself on SQLITE_FULL, SQLITE_IOERR or SQLITE_NOMEM: the whole transaction is gone.
            await inner.exec('ROLLBACK')
            throw new Error('disk full')
          }),
          /disk full/,
        )
        // The work catches the failure and goes on: this write must not land outside any transaction.
        await tx.run("INSERT INTO notes VALUES ('after')")
      }),
      /transaction ended during its nested transaction/,
    )
    assert.deepEqual(await texts(), [])
  })
})
