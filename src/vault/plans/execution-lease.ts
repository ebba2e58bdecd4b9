/**
 * Execution leases: at most one run writes to a target system at a time. Settling operations a
 * crash left in doubt is only right when no live executor still owns them, and two executors of
 * the same plan would apply operations twice; a lease per system makes both impossible.
 *
 * A lease is a row per system with its owner and a heartbeat the holder renews while it runs. A
 * lease whose heartbeat is older than `staleMs` belongs to a process that died: the next run takes
 * it over (and then settles what that process left in doubt); so does a run on the same machine
 * as soon as the holder's process is gone (killed). Taking a lease is one atomic upsert
 * per system, so two processes racing for it cannot both win, on SQLite or PostgreSQL.
 */
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { type Clock, systemClock } from '../../core/index.ts'
import type { SqlDriver } from '../driver/sql-driver.ts'
import { vaultError } from '../errors.ts'

/**
 * Whether the owner (`host:pid:uuid`) is a process of this machine that no longer exists: a run
 * killed on this host need not wait for its lease to go stale.
 */
function ownerIsGone(owner: string): boolean {
  const [host, pid] = owner.split(':')
  if (host !== hostname() || pid === undefined || !/^\d+$/.test(pid)) return false
  try {
    process.kill(Number(pid), 0) // signal 0: only asks whether the process exists
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/** A lease not renewed for this long is taken over: its holder is gone. */
export const DEFAULT_LEASE_STALE_MS = 60_000

export interface LeaseOptions {
  /** What holds the lease, for the message another run gets (`job directory_accounts`). */
  readonly holder: string
  /** @default DEFAULT_LEASE_STALE_MS; renewed every quarter of it */
  readonly staleMs?: number | undefined
  readonly clock?: Clock | undefined
}

export interface ExecutionLease {
  readonly owner: string
  readonly systems: readonly string[]
  /** Gives the systems back; safe to call twice. */
  release(): Promise<void>
}

/**
 * Takes the lease of every system, or none: throws VLT_EXECUTION_BUSY naming the run that holds
 * one. The lease is renewed in the background until released.
 */
export async function acquireExecutionLease(
  db: SqlDriver,
  systems: readonly string[],
  options: LeaseOptions,
): Promise<ExecutionLease> {
  const clock = options.clock ?? systemClock
  const staleMs = options.staleMs ?? DEFAULT_LEASE_STALE_MS
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`
  const sorted = [...new Set(systems)].sort() // one order for everyone: no two runs each hold half
  await db.transaction(async (tx) => {
    const now = clock.now()
    const staleBefore = new Date(now.getTime() - staleMs).toISOString()
    for (const system of sorted) {
      await tx.run(
        `INSERT INTO execution_leases (system, owner, holder, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (system) DO UPDATE SET owner = excluded.owner, holder = excluded.holder,
           acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at
         WHERE execution_leases.heartbeat_at < ?`,
        [system, owner, options.holder, now.toISOString(), now.toISOString(), staleBefore],
      )
      let [held] = await tx.query<{ owner: string; holder: string; acquired_at: string }>(
        'SELECT owner, holder, acquired_at FROM execution_leases WHERE system = ?',
        [system],
      )
      if (held !== undefined && held.owner !== owner && ownerIsGone(held.owner)) {
        // Only if it still is that owner's: another run may have taken it over meanwhile.
        await tx.run(
          'UPDATE execution_leases SET owner = ?, holder = ?, acquired_at = ?, heartbeat_at = ? WHERE system = ? AND owner = ?',
          [owner, options.holder, now.toISOString(), now.toISOString(), system, held.owner],
        )
        ;[held] = await tx.query<{ owner: string; holder: string; acquired_at: string }>(
          'SELECT owner, holder, acquired_at FROM execution_leases WHERE system = ?',
          [system],
        )
      }
      if (held !== undefined && held.owner !== owner) {
        // Thrown inside the transaction: the leases taken for the other systems roll back with it.
        throw vaultError(
          'VLT_EXECUTION_BUSY',
          `${held.holder} is writing to system '${system}' (since ${held.acquired_at}).`,
          { details: { system, holder: held.holder, since: held.acquired_at } },
        )
      }
    }
  })
  const renew = setInterval(() => {
    void db
      .run(`UPDATE execution_leases SET heartbeat_at = ? WHERE owner = ?`, [clock.now().toISOString(), owner])
      .catch(() => undefined) // a missed beat is retried at the next one; a lease is stale only after four
  }, staleMs / 4)
  renew.unref()
  let released = false
  return {
    owner,
    systems: sorted,
    async release() {
      if (released) return
      released = true
      clearInterval(renew)
      await db.run('DELETE FROM execution_leases WHERE owner = ?', [owner])
    },
  }
}

/** Runs `work` holding the lease of `systems`; releases it however `work` ends. */
export async function withExecutionLease<T>(
  db: SqlDriver,
  systems: readonly string[],
  options: LeaseOptions,
  work: () => Promise<T>,
): Promise<T> {
  const lease = await acquireExecutionLease(db, systems, options)
  try {
    return await work()
  } finally {
    await lease.release()
  }
}
