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

describe('SqliteDriver: nested transactions side by side, and streams', () => {
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
  const signal = () => {
    let done!: () => void
    const promise = new Promise<void>((resolve) => (done = resolve))
    return { promise, done }
  }

  it('undoes only the failing one of two nested transactions run side by side (Promise.all)', async () => {
    await driver.run('DELETE FROM notes')
    const secondWrote = signal()
    const results = await driver.transaction(async (tx) => {
      await tx.run("INSERT INTO notes VALUES ('outer')")
      return Promise.allSettled([
        driver.transaction(async (inner) => {
          await inner.run("INSERT INTO notes VALUES ('first')")
          await Promise.race([secondWrote.promise, new Promise((resolve) => setTimeout(resolve, 50))])
          throw new Error('first failed')
        }),
        driver.transaction(async (inner) => {
          await inner.run("INSERT INTO notes VALUES ('second')")
          secondWrote.done()
        }),
      ])
    })
    assert.equal(results[0].status, 'rejected')
    assert.equal(results[1].status, 'fulfilled', String((results[1] as PromiseRejectedResult).reason))
    assert.deepEqual(await texts(), ['outer', 'second'])
  })

  it('keeps a statement of the outer work made while a nested transaction beside it fails', async () => {
    await driver.run('DELETE FROM notes')
    const innerWrote = signal()
    await driver.transaction(async (tx) => {
      const inner = driver.transaction(async (t) => {
        await t.run("INSERT INTO notes VALUES ('inner')")
        innerWrote.done()
        await new Promise((resolve) => setTimeout(resolve, 20))
        throw new Error('inner failed')
      })
      await innerWrote.promise
      const outerWrite = tx.run("INSERT INTO notes VALUES ('outer')")
      await assert.rejects(inner, /inner failed/)
      await outerWrite
    })
    assert.deepEqual(await texts(), ['outer'])
  })

  it('does not let a statement waiting for one transaction run inside the next one', async () => {
    await driver.run('DELETE FROM notes')
    const firstOpen = signal()
    const first = driver.transaction(async (tx) => {
      await tx.run("INSERT INTO notes VALUES ('first')")
      firstOpen.done()
      await new Promise((resolve) => setTimeout(resolve, 20))
    })
    await firstOpen.promise
    const beside = driver.run("INSERT INTO notes VALUES ('beside')") // waits for the first
    const second = driver.transaction(async (tx) => {
      await tx.run("INSERT INTO notes VALUES ('second')")
      await new Promise((resolve) => setTimeout(resolve, 20))
      throw new Error('second failed')
    })
    await first
    await assert.rejects(second, /second failed/)
    await beside
    assert.deepEqual(await texts(), ['beside', 'first'])
  })

  it('does not let a stream from outside read what an open transaction has not committed', async () => {
    await driver.run('DELETE FROM notes')
    const wrote = signal()
    const failing = driver.transaction(async (tx) => {
      await tx.run("INSERT INTO notes VALUES ('uncommitted')")
      wrote.done()
      await new Promise((resolve) => setTimeout(resolve, 20))
      throw new Error('rolled back')
    })
    await wrote.promise
    const seen: unknown[] = []
    for await (const page of driver.streamArrays('SELECT text FROM notes')) seen.push(...page.map((r) => r[0]))
    await assert.rejects(failing, /rolled back/)
    assert.deepEqual(seen, [])
  })

  it('streams inside its own transaction, seeing its own writes', async () => {
    await driver.run('DELETE FROM notes')
    const seen = await driver.transaction(async (tx) => {
      await tx.run("INSERT INTO notes VALUES ('mine')")
      const rows: unknown[] = []
      for await (const page of driver.stream<{ text: string }>('SELECT text FROM notes')) rows.push(...page)
      return rows
    })
    assert.deepEqual(seen, [{ text: 'mine' }])
  })

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
