/**
 * A run the scheduler of `provisio serve` started is registered with the API's runs, as the runs
 * the API starts are: POST /api/runs/:id/cancel stops it (it ends interrupted), and the scheduler's
 * own stop still stops it. The scheduled run is started as serve starts it (scheduledRun).
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { scheduledRun } from '../../src/cli/commands/serve.ts'
import { systemClock } from '../../src/core/index.ts'
import { ALL_ROUTES, runRegistryOf } from '../../src/server/index.ts'
import { acquireExecutionLease } from '../../src/vault/index.ts'
import { type TestServer, createTestServer } from '../support/server.ts'
import { VAULT_KINDS } from '../support/vaults.ts'

const NIGHTLY = `kind: Task
name: nightly
type: sync
collect: [hr500]
schedule: { cron: '0 3 * * *' }
`

for (const kind of VAULT_KINDS) {
  describe(`cancelling a scheduled run through the API (${kind} vault)`, () => {
    let server: TestServer
    before(async () => {
      server = await createTestServer(kind, { register: ALL_ROUTES })
      writeFileSync(path.join(server.dir, 'tasks', 'nightly.yaml'), NIGHTLY)
    })
    after(() => server.close())

    /** Starts task nightly as serve's scheduler would; it waits (queued) while a test holds the task. */
    async function startScheduled(signal: AbortSignal) {
      const lease = await acquireExecutionLease(server.ctx.db, ['task:nightly'], {
        holder: 'a test',
        clock: systemClock,
      })
      const project = await server.ctx.project()
      const run = scheduledRun(server.ctx.db, project, undefined, () => runRegistryOf(server.ctx))('nightly', signal)
      let runId: number | undefined
      while (runId === undefined) {
        const runs = await server.as('auditor').get('/api/runs?task=nightly')
        assert.equal(runs.status, 200, runs.body)
        runId = runs.json.runs.find((r: { status: string }) => r.status === 'queued')?.id
        if (runId === undefined) await new Promise((resolve) => setTimeout(resolve, 10))
      }
      return { run, runId, lease }
    }

    it('an operator cancels it; it ends interrupted and the cancel is audited', async () => {
      const { run, runId, lease } = await startScheduled(new AbortController().signal)
      try {
        assert.equal((await server.as('auditor').get(`/api/runs/${runId}`)).json.run.runningHere, true)
        const cancelled = await server.as('operator').post(`/api/runs/${runId}/cancel`)
        assert.equal(cancelled.status, 200, cancelled.body)
        assert.equal(cancelled.json.status, 'interrupted')
        await run.catch(() => undefined)
        const audit = await server.as('auditor').get('/api/admin-audit?action=run.cancel')
        assert.equal(audit.json.events[0].actor, 'operator')
        assert.equal(audit.json.events[0].details.runId, runId)
      } finally {
        await lease.release()
      }
    })

    it("the scheduler's stop still stops it", async () => {
      const stop = new AbortController()
      const { run, runId, lease } = await startScheduled(stop.signal)
      try {
        stop.abort()
        await run.catch(() => undefined)
        assert.equal((await server.as('auditor').get(`/api/runs/${runId}`)).json.run.status, 'interrupted')
        assert.equal((await server.as('operator').post(`/api/runs/${runId}/cancel`)).status, 409)
      } finally {
        await lease.release()
      }
    })
  })
}
