/**
 * The embedded vault's one connection shared by concurrent callers: a statement from outside an open
 * transaction waits for it instead of joining it (and vanishing with its rollback).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { SqliteDriver } from './sqlite-driver.ts'

describe('SqliteDriver and concurrent callers', () => {
  let dir: string
  let driver: SqliteDriver
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'provisio-sqlite-driver-'))
    driver = new SqliteDriver(path.join(dir, 'vault.db'))
    await driver.exec('CREATE TABLE notes (text TEXT NOT NULL)')
  })
  after(async () => {
    await driver.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const texts = async () =>
    (await driver.query<{ text: string }>('SELECT text FROM notes ORDER BY text')).map((r) => r.text)

  it('keeps a write made beside a transaction that rolls back', async () => {
    await driver.run('DELETE FROM notes')
    let wrote!: () => void
    const written = new Promise<void>((resolve) => (wrote = resolve))
    const failing = driver.transaction(async (tx) => {
      await tx.run("INSERT INTO notes VALUES ('inside')")
      wrote()
      await new Promise((resolve) => setTimeout(resolve, 20))
      throw new Error('the work failed')
    })
    await written
    // Another caller (another request of the server) writes while the transaction is open.
    const beside = driver.run("INSERT INTO notes VALUES ('beside')")
    await assert.rejects(failing, /the work failed/)
    await beside
    assert.deepEqual(await texts(), ['beside'])
  })

  it('lets the work use the driver itself inside its transaction, which rolls back with it', async () => {
    await driver.run('DELETE FROM notes')
    await assert.rejects(
      driver.transaction(async () => {
        await driver.run("INSERT INTO notes VALUES ('through the driver')")
        await driver.insertMany('notes', [{ name: 'text', sqlType: 'TEXT' }], [['many']])
        throw new Error('undo')
      }),
      /undo/,
    )
    assert.deepEqual(await texts(), [])
  })

  it('makes a nested transaction a savepoint: its failure undoes only its own work', async () => {
    await driver.run('DELETE FROM notes')
    await driver.transaction(async (tx) => {
      await tx.run("INSERT INTO notes VALUES ('outer')")
      await assert.rejects(
        driver.transaction(async (inner) => {
          await inner.run("INSERT INTO notes VALUES ('inner')")
          throw new Error('inner failed')
        }),
        /inner failed/,
      )
      await driver.transaction(async (inner) => inner.run("INSERT INTO notes VALUES ('inner kept')"))
    })
    assert.deepEqual(await texts(), ['inner kept', 'outer'])
  })

  it('makes work a transaction started but did not await wait like any other caller once it ended', async () => {
    await driver.run('DELETE FROM notes')
    let late!: Promise<number>
    await driver.transaction(async (tx) => {
      await tx.run("INSERT INTO notes VALUES ('first')")
      late = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 30))
        return driver.run("INSERT INTO notes VALUES ('late')")
      })()
    })
    // A second transaction is open when the late write comes: it must not join it.
    await assert.rejects(
      driver.transaction(async (tx) => {
        await tx.run("INSERT INTO notes VALUES ('second')")
        await new Promise((resolve) => setTimeout(resolve, 60))
        throw new Error('second failed')
      }),
      /second failed/,
    )
    await late
    assert.deepEqual(await texts(), ['first', 'late'])
  })
})
