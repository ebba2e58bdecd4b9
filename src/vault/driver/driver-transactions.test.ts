/**
 * The driver contract for transactions, on every vault database: work inside a transaction may use
 * the driver or its `tx` alike and those statements belong to the transaction; a nested transaction
 * is a savepoint undone alone; side-by-side savepoints take turns; a statement from outside never
 * joins an open transaction. Code that passes on SQLite must behave the same on PostgreSQL.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../../test/support/vaults.ts'
import type { SqlDriver, SqlExecutor } from './sql-driver.ts'

const signal = () => {
  let done!: () => void
  const promise = new Promise<void>((resolve) => (done = resolve))
  return { promise, done }
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A table of its own per suite, emptied before each test. */
function useNotes(kind: 'sqlite' | 'postgres') {
  const state = {} as { vault: TestVault; driver: SqlDriver }
  before(async () => {
    state.vault = await createTestVault(kind)
    state.driver = state.vault.driver
    await state.driver.exec('CREATE TABLE driver_notes (text TEXT NOT NULL UNIQUE)')
  })
  after(() => state.vault.close())
  const texts = async (db: SqlExecutor = state.driver) =>
    (await db.query<{ text: string }>('SELECT text FROM driver_notes ORDER BY text')).map((r) => r.text)
  const insert = (db: SqlExecutor, text: string) => db.run('INSERT INTO driver_notes (text) VALUES (?)', [text])
  const reset = () => state.driver.run('DELETE FROM driver_notes')
  return { state, texts, insert, reset }
}

for (const kind of VAULT_KINDS) {
  describe(`driver transactions and concurrent callers (${kind} vault)`, () => {
    const { state, texts, insert, reset } = useNotes(kind)

    it('keeps a write made beside a transaction that rolls back', async () => {
      const { driver } = state
      await reset()
      const written = signal()
      const failing = driver.transaction(async (tx) => {
        await insert(tx, 'inside')
        written.done()
        await pause(20)
        throw new Error('the work failed')
      })
      await written.promise
      // Another caller (another request of the server) writes while the transaction is open.
      const beside = insert(driver, 'beside')
      await assert.rejects(failing, /the work failed/)
      await beside
      assert.deepEqual(await texts(), ['beside'])
    })

    it('lets the work use the driver itself inside its transaction, which rolls back with it', async () => {
      const { driver } = state
      await reset()
      await assert.rejects(
        driver.transaction(async () => {
          await insert(driver, 'through the driver')
          await driver.insertMany('driver_notes', [{ name: 'text', sqlType: 'TEXT' }], [['many']])
          throw new Error('undo')
        }),
        /undo/,
      )
      assert.deepEqual(await texts(), [])
    })

    it('lets a query of the driver inside the work see the transaction’s uncommitted rows', async () => {
      const { driver } = state
      await reset()
      const seen = await driver.transaction(async (tx) => {
        await insert(tx, 'uncommitted')
        return [await texts(driver), await driver.session((s) => texts(s))]
      })
      assert.deepEqual(seen, [['uncommitted'], ['uncommitted']])
    })

    it('makes a nested transaction a savepoint: its failure undoes only its own work', async () => {
      const { driver } = state
      await reset()
      await driver.transaction(async (tx) => {
        await insert(tx, 'outer')
        await assert.rejects(
          driver.transaction(async (inner) => {
            await insert(inner, 'inner')
            throw new Error('inner failed')
          }),
          /inner failed/,
        )
        await driver.transaction(async (inner) => insert(inner, 'inner kept'))
      })
      assert.deepEqual(await texts(), ['inner kept', 'outer'])
    })

    it('undoes only the savepoint whose statement the database refused, and the outer work goes on', async () => {
      const { driver } = state
      await reset()
      await driver.transaction(async (tx) => {
        await insert(tx, 'a')
        await assert.rejects(
          driver.transaction(async (inner) => {
            await insert(inner, 'b')
            await insert(inner, 'a') // refused: the column is unique
          }),
        )
        await insert(tx, 'c')
      })
      assert.deepEqual(await texts(), ['a', 'c'])
    })

    it('makes a nested transaction of a session a savepoint: the inner end does not commit the outer work', async () => {
      const { driver } = state
      await reset()
      await assert.rejects(
        driver.session((session) =>
          session.transaction(async (tx) => {
            await insert(tx, 'outer')
            await session.transaction(async (inner) => insert(inner, 'inner'))
            throw new Error('outer failed')
          }),
        ),
        /outer failed/,
      )
      assert.deepEqual(await texts(), [])
    })

    it('runs 10 nested transactions started at once, one after the other', async () => {
      const { driver } = state
      await reset()
      await driver.transaction(async (tx) => {
        await insert(tx, 'outer')
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            driver.transaction(async (inner) => {
              await insert(inner, `inner ${i}`)
              return texts(driver)
            }),
          ),
        )
      })
      assert.equal((await texts()).length, 11)
    })

    it('makes work a transaction started but did not await wait like any other caller once it ended', async () => {
      const { driver } = state
      await reset()
      let late!: Promise<number>
      await driver.transaction(async (tx) => {
        await insert(tx, 'first')
        late = (async () => {
          await pause(30)
          return insert(driver, 'late')
        })()
      })
      // A second transaction is open when the late write comes: it must not join it.
      await assert.rejects(
        driver.transaction(async (tx) => {
          await insert(tx, 'second')
          await pause(60)
          throw new Error('second failed')
        }),
        /second failed/,
      )
      await late
      assert.deepEqual(await texts(), ['first', 'late'])
    })

    it('lets the `tx` of a transaction that ended still be used: outside it, and outside the one open now', async () => {
      const { driver } = state
      await reset()
      let kept!: SqlExecutor
      await driver.transaction(async (tx) => {
        kept = tx
        await insert(tx, 'inside')
      })
      const otherOpen = signal()
      const other = driver.transaction(async (tx) => {
        await insert(tx, 'other')
        otherOpen.done()
        await pause(20)
        throw new Error('other failed')
      })
      await otherOpen.promise
      const after = insert(kept, 'after') // from outside the other transaction: not part of it
      await assert.rejects(other, /other failed/)
      await after
      assert.deepEqual(await texts(), ['after', 'inside'])
    })

    it('undoes only the failing one of two nested transactions run side by side (Promise.all)', async () => {
      const { driver } = state
      await reset()
      const secondWrote = signal()
      const results = await driver.transaction(async (tx) => {
        await insert(tx, 'outer')
        return Promise.allSettled([
          driver.transaction(async (inner) => {
            await insert(inner, 'first')
            await Promise.race([secondWrote.promise, pause(50)])
            throw new Error('first failed')
          }),
          driver.transaction(async (inner) => {
            await insert(inner, 'second')
            secondWrote.done()
          }),
        ])
      })
      assert.equal(results[0].status, 'rejected')
      assert.equal(results[1].status, 'fulfilled', String((results[1] as PromiseRejectedResult).reason))
      assert.deepEqual(await texts(), ['outer', 'second'])
    })

    it('keeps a statement of the outer work made while a nested transaction beside it fails', async () => {
      const { driver } = state
      await reset()
      const innerWrote = signal()
      await driver.transaction(async (tx) => {
        const inner = driver.transaction(async (t) => {
          await insert(t, 'inner')
          innerWrote.done()
          await pause(20)
          throw new Error('inner failed')
        })
        await innerWrote.promise
        const outerWrite = insert(tx, 'outer')
        await assert.rejects(inner, /inner failed/)
        await outerWrite
      })
      assert.deepEqual(await texts(), ['outer'])
    })

    it('does not let a statement waiting for one transaction run inside the next one', async () => {
      const { driver } = state
      await reset()
      const firstOpen = signal()
      const first = driver.transaction(async (tx) => {
        await insert(tx, 'first')
        firstOpen.done()
        await pause(20)
      })
      await firstOpen.promise
      const beside = insert(driver, 'beside')
      const second = driver.transaction(async (tx) => {
        await insert(tx, 'second')
        await pause(20)
        throw new Error('second failed')
      })
      await first
      await assert.rejects(second, /second failed/)
      await beside
      assert.deepEqual(await texts(), ['beside', 'first'])
    })

    it('does not let a stream from outside read what an open transaction has not committed', async () => {
      const { driver } = state
      await reset()
      const wrote = signal()
      const failing = driver.transaction(async (tx) => {
        await insert(tx, 'uncommitted')
        wrote.done()
        await pause(20)
        throw new Error('rolled back')
      })
      await wrote.promise
      const seen: unknown[] = []
      for await (const page of driver.streamArrays('SELECT text FROM driver_notes')) seen.push(...page.map((r) => r[0]))
      await assert.rejects(failing, /rolled back/)
      assert.deepEqual(seen, [])
    })

    it('streams inside its own transaction, seeing its own writes', async () => {
      const { driver } = state
      await reset()
      const seen = await driver.transaction(async (tx) => {
        await insert(tx, 'mine')
        const rows: unknown[] = []
        for await (const page of driver.stream<{ text: string }>('SELECT text FROM driver_notes')) rows.push(...page)
        return rows
      })
      assert.deepEqual(seen, [{ text: 'mine' }])
    })
  })
}

if (VAULT_KINDS.includes('postgres')) {
  describe('PostgresDriver: transactions on a pool of clients', () => {
    const { state, texts, insert, reset } = useNotes('postgres')

    it('does not let a statement from outside see the rows an open transaction has not committed', async () => {
      const { driver } = state
      await reset()
      const wrote = signal()
      const looked = signal()
      const open = driver.transaction(async (tx) => {
        await insert(tx, 'uncommitted')
        wrote.done()
        await looked.promise
      })
      await wrote.promise
      const outside = await texts()
      looked.done()
      await open
      assert.deepEqual(outside, [])
      assert.deepEqual(await texts(), ['uncommitted'])
    })

    it(
      'does not exhaust the pool (8 clients) with 10 transactions at once that each nest one',
      { timeout: 30_000 },
      async () => {
        const { driver } = state
        await reset()
        const allOpen = signal()
        let opened = 0
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            driver.transaction(async (tx) => {
              await insert(tx, `outer ${i}`)
              // Hold the first 8 open together, so that the pool has no client left to give.
              if (++opened === 8) allOpen.done()
              if (i < 8) await allOpen.promise
              await driver.transaction(async (inner) => insert(inner, `inner ${i}`))
              assert.equal(
                (await driver.query('SELECT text FROM driver_notes WHERE text = ?', [`inner ${i}`])).length,
                1,
              )
            }),
          ),
        )
        assert.equal((await texts()).length, 20)
      },
    )

    it('refuses to report success when a failed statement aborted the transaction and its work went on', async () => {
      const { driver } = state
      await reset()
      await assert.rejects(
        driver.transaction(async (tx) => {
          await insert(tx, 'lost')
          await assert.rejects(insert(tx, 'lost')) // refused; PostgreSQL aborts the whole transaction
        }),
        /rolled back: one of its statements failed/,
      )
      assert.deepEqual(await texts(), [])
    })

    it('streams inside a transaction through a cursor of its client while its work writes between pages', async () => {
      const { driver } = state
      await reset()
      await driver.transaction(async (tx) => {
        for (const text of ['a', 'b', 'c']) await insert(tx, text)
        for await (const page of tx.stream<{ text: string }>('SELECT text FROM driver_notes ORDER BY text', [], 1))
          await insert(driver, `${page[0]!.text} seen`)
      })
      assert.deepEqual(await texts(), ['a', 'a seen', 'b', 'b seen', 'c', 'c seen'])
    })

    it('keeps a session on one client: its temporary table can be streamed while the session writes', async () => {
      const { driver } = state
      await reset()
      await driver.session(async (session) => {
        await session.exec('CREATE TEMPORARY TABLE session_only (text TEXT)')
        await session.run("INSERT INTO session_only VALUES ('x'), ('y')")
        for await (const page of session.streamArrays('SELECT text FROM session_only ORDER BY text', [], 1))
          await insert(session, String(page[0]![0]))
        await session.exec('DROP TABLE session_only')
      })
      assert.deepEqual(await texts(), ['x', 'y'])
    })
  })
}
