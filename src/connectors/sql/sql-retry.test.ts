/**
 * Retryable or not: failures provoked for real (a backend terminated mid-statement, a database
 * locked by another connection) must come out as retryable CON_SQL_ errors, and a retry must work.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { PG_URL } from '../../../test/support/vaults.ts'
import { createSqlTarget, rejectionOf, tableOf } from '../../../test/support/sql-targets.ts'
import type { Operation } from '../contract.ts'
import { sqlFunctions, translateSqlError } from './index.ts'

const table = tableOf('accounts', ['id:integer', 'display'], { primaryKey: 'id' })
const update = sqlFunctions(table).find((f) => f.semantics === 'update')!
const operation = (display: string): Operation => ({
  id: `retry-${display}`,
  table: 'accounts',
  function: update.name,
  semantics: 'update',
  key: { column: 'id', value: 1 },
  attributes: { display },
})

describe('retryable failures', () => {
  it('classifies a locked SQLite database as CON_SQL_BUSY, retryable', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'provisio-sql-busy-'))
    const file = path.join(dir, 'busy.db')
    const holder = new Database(file)
    const other = new Database(file, { timeout: 0 })
    try {
      holder.exec('CREATE TABLE t (x TEXT)')
      holder.exec('BEGIN IMMEDIATE')
      holder.exec("INSERT INTO t VALUES ('held')")
      let caught: unknown
      try {
        other.exec("INSERT INTO t VALUES ('blocked')")
      } catch (error) {
        caught = error
      }
      const translated = translateSqlError(caught, { action: 'users_update on dir.users failed', location: file })
      assert.equal(translated.code, 'CON_SQL_BUSY')
      assert.equal(translated.retry, 'safe')
      assert.equal(translated.details?.['databaseCode'], 'SQLITE_BUSY')
    } finally {
      holder.exec('ROLLBACK')
      holder.close()
      other.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('passes CON_ errors through unchanged and wraps anything else as CON_SQL_FAILED', () => {
    const failed = translateSqlError(new Error('something odd'), { action: 'x', location: 'y' })
    assert.equal(failed.code, 'CON_SQL_FAILED')
    assert.equal(failed.retry, 'never')
    assert.equal(translateSqlError(failed, { action: 'z', location: 'y' }), failed)
  })

  it(
    'classifies a PostgreSQL backend terminated mid-statement as CON_SQL_CONNECTION_LOST, and a retry succeeds',
    { skip: PG_URL === undefined ? 'PROVISIO_TEST_PG_URL is not set' : false },
    async () => {
      const target = await createSqlTarget('postgres')
      try {
        await target.ddl('CREATE TABLE accounts (id INTEGER PRIMARY KEY, display TEXT)')
        await target.admin.run("INSERT INTO accounts VALUES (1, 'before')")
        const connection = await target.open()
        const fn = { table, function: update }
        await connection.check()
        // A second session holds the row, so that the update waits on its lock until it is terminated.
        let release!: () => void
        const released = new Promise<void>((resolve) => (release = resolve))
        let locked!: () => void
        const isLocked = new Promise<void>((resolve) => (locked = resolve))
        const holder = target.admin.transaction(async (tx) => {
          await tx.query('SELECT id FROM accounts WHERE id = 1 FOR UPDATE')
          locked()
          await released
        })
        await isLocked
        const pending = rejectionOf(connection.apply(operation('during'), fn))
        let pid: number | undefined
        while (pid === undefined) {
          const [row] = await target.admin.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?",
            [`UPDATE "${target.schema}".%`],
          )
          pid = row?.pid
          if (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 20))
        }
        await target.admin.query('SELECT pg_terminate_backend(?)', [pid])
        const error = await pending
        assert.equal(error['code'], 'CON_SQL_CONNECTION_LOST')
        assert.equal(error['retry'], 'safe')
        release()
        await holder
        const retried = await connection.apply(operation('after'), fn)
        assert.deepEqual(retried.row, { id: 1, display: 'after' })
      } finally {
        await target.close()
      }
    },
  )
})
