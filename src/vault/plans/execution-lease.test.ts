import assert from 'node:assert/strict'
import { hostname } from 'node:os'
import { after, before, describe, it } from 'node:test'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../../test/support/vaults.ts'
import type { ProvisioError } from '../../core/index.ts'
import { acquireExecutionLease, withExecutionLease } from '../index.ts'

const busy = (e: unknown) => (e as ProvisioError).code === 'VLT_EXECUTION_BUSY'
const clockAt = (iso: string) => ({ now: () => new Date(iso) })

for (const kind of VAULT_KINDS) {
  describe(`execution leases (${kind})`, () => {
    let vault: TestVault
    before(async () => (vault = await createTestVault(kind)))
    after(() => vault.close())

    it('lets one run write to a system at a time, and names the one that holds it', async () => {
      const first = await acquireExecutionLease(vault.driver, ['directory'], { holder: 'job directory_accounts' })
      await assert.rejects(acquireExecutionLease(vault.driver, ['directory'], { holder: 'plan 7' }), (e: unknown) => {
        assert.ok(busy(e))
        assert.match((e as Error).message, /job directory_accounts is writing to system 'directory'/)
        return true
      })
      await first.release()
      await first.release() // twice is harmless
      const second = await acquireExecutionLease(vault.driver, ['directory'], { holder: 'plan 7' })
      await second.release()
    })

    it('takes all the systems or none', async () => {
      const held = await acquireExecutionLease(vault.driver, ['ad'], { holder: 'job ad_accounts' })
      await assert.rejects(acquireExecutionLease(vault.driver, ['directory', 'ad'], { holder: 'job both' }), busy)
      // 'directory' was not kept by the failed attempt
      await withExecutionLease(vault.driver, ['directory'], { holder: 'job directory_accounts' }, async () => {})
      await held.release()
    })

    it('takes over a lease whose holder stopped renewing it (a process that died)', async () => {
      await acquireExecutionLease(vault.driver, ["o'brien; DROP TABLE plans"], {
        holder: 'dead run',
        clock: clockAt('2026-12-04T08:00:00.000Z'),
      })
      await assert.rejects(
        acquireExecutionLease(vault.driver, ["o'brien; DROP TABLE plans"], {
          holder: 'next run',
          clock: clockAt('2026-12-04T08:00:30.000Z'),
        }),
        busy,
      )
      const next = await acquireExecutionLease(vault.driver, ["o'brien; DROP TABLE plans"], {
        holder: 'next run',
        clock: clockAt('2026-12-04T08:01:01.000Z'),
      })
      await next.release()
    })

    it('takes over at once a lease whose holder was a process of this machine that is gone (killed)', async () => {
      const now = new Date().toISOString()
      await vault.driver.run(
        'INSERT INTO execution_leases (system, owner, holder, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)',
        ['killed', `${hostname()}:4194303:dead`, 'job killed_by_sigkill', now, now],
      )
      const next = await acquireExecutionLease(vault.driver, ['killed'], { holder: 'next run' })
      await next.release()
      // A live holder of this machine (this very process) is respected.
      const live = await acquireExecutionLease(vault.driver, ['alive'], { holder: 'live run' })
      await assert.rejects(acquireExecutionLease(vault.driver, ['alive'], { holder: 'next run' }), busy)
      await live.release()
    })

    it('releases the lease however the work ends', async () => {
      await assert.rejects(
        withExecutionLease(vault.driver, ['hr'], { holder: 'failing run' }, async () => {
          throw new Error('boom')
        }),
        /boom/,
      )
      await withExecutionLease(vault.driver, ['hr'], { holder: 'next run' }, async () => {})
    })
  })
}
