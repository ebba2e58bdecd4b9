import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { collectSystem, findSystem } from '../../connectors/index.ts'
import { systemClock } from '../../core/index.ts'
import { acquireExecutionLease } from '../../vault/index.ts'
import { type TestServer, createTestServer } from '../../../test/support/server.ts'
import { VAULT_KINDS } from '../../../test/support/vaults.ts'
import { registerAuditRoutes } from './audit.ts'
import { registerRoleRoutes } from './roles.ts'
import { registerRunRoutes } from './runs.ts'
import { registerTaskRoutes } from './tasks.ts'
import { addApprovedSync } from '../../../test/support/tasks.ts'

/** Collects the demo's HR source and directory into the vault, as `provisio collect` does. */
async function collectHr500(server: TestServer): Promise<void> {
  const project = await server.ctx.project()
  for (const name of ['hr500', 'directory']) {
    await collectSystem({ driver: server.ctx.db, system: findSystem(project, name), projectDir: server.dir })
  }
}

interface SseEvent {
  readonly event: string
  readonly data: Record<string, unknown>
}

function sseEvents(body: string): SseEvent[] {
  return body
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)![1]!
      const data = JSON.parse(/^data: (.*)$/m.exec(frame)![1]!) as Record<string, unknown>
      assert.equal(data['event'], event)
      return { event, data }
    })
}

for (const kind of VAULT_KINDS) {
  describe(`task and run routes (${kind} vault)`, () => {
    let server: TestServer
    /** Holds task approved_sync's lease as another process's run would, so a run started now waits. */
    const holdTask = () =>
      acquireExecutionLease(server.ctx.db, ['task:approved_sync'], { holder: 'a test', clock: systemClock })

    before(async () => {
      server = await createTestServer(kind, {
        register: [registerTaskRoutes, registerRunRoutes, registerRoleRoutes, registerAuditRoutes],
      })
      addApprovedSync(server.dir)
      await collectHr500(server)
      assert.equal((await server.as('operator').post('/api/roles/activate')).status, 200)
    })
    after(() => server.close())

    test('tasks are listed with their schedule and next run time in their zone', async () => {
      const tasks = await server.as('auditor').get('/api/tasks')
      assert.equal(tasks.status, 200, tasks.body)
      const daily = tasks.json.tasks.find((t: { name: string }) => t.name === 'daily_sync')
      assert.deepEqual(daily.schedule, { cron: '0 6 * * 1-5', timeZone: 'Europe/Amsterdam' })
      assert.ok(!Number.isNaN(Date.parse(daily.nextRun)))
      assert.match(daily.nextRunText, /^\d{4}-\d\d-\d\d 06:00 Europe\/Amsterdam$/)
      const approved = tasks.json.tasks.find((t: { name: string }) => t.name === 'approved_sync')
      assert.equal(approved.nextRun, null)
    })

    test('a task run streams its progress, awaits approval, and an operator approves it', async () => {
      const lease = await holdTask()
      const started = await server.as('operator').post('/api/tasks/approved_sync/run', { wait: true })
      assert.equal(started.status, 202, started.body)
      assert.equal(started.json.status, 'queued')
      const runId: number = started.json.runId
      // Subscribed while the run waits: every stage shows.
      const stream = server.as('auditor').get(`/api/runs/${runId}/progress`)
      await lease.release()
      const progress = await stream
      assert.equal(progress.status, 200)
      assert.match(String(progress.headers['content-type']), /^text\/event-stream/)
      const events = sseEvents(progress.body)
      const started1 = events
        .filter((e) => e.event === 'stage.started')
        .map((e) => `${e.data['stage']} ${e.data['name']}`)
      assert.ok(
        started1.some((s) => s.startsWith('collect hr500.')),
        started1.join(', '),
      )
      assert.ok(started1.includes('evaluate directory_accounts step 1'), started1.join(', '))
      assert.ok(events.some((e) => e.event === 'stage.finished'))
      assert.deepEqual(events.at(-1)!.data['status'], 'awaiting-approval')
      assert.equal(events.filter((e) => e.event === 'finished').length, 1)

      const shown = await server.as('auditor').get(`/api/runs/${runId}`)
      assert.equal(shown.status, 200, shown.body)
      assert.equal(shown.json.run.status, 'awaiting-approval')
      assert.equal(shown.json.run.actor, 'operator')
      assert.equal(shown.json.run.runningHere, false)
      assert.equal(shown.json.plans.length, 1)
      assert.ok(shown.json.plans[0].operations.length > 0)
      assert.ok(shown.json.revision.hash.length > 0)
      assert.doesNotMatch(shown.body, /password_hash/)

      const log = await server.as('auditor').get(`/api/runs/${runId}/log?limit=2`)
      assert.equal(log.status, 200, log.body)
      assert.equal(log.json.lines.length, 2)
      const rest = await server.as('auditor').get(`/api/runs/${runId}/log?after=${log.json.lines[1].seq}`)
      assert.equal(rest.json.lines.length, log.json.total - 2)

      const denied = await server.as('auditor').post(`/api/runs/${runId}/approve`)
      assert.equal(denied.status, 403)
      const approved = await server.as('operator').post(`/api/runs/${runId}/approve`)
      assert.equal(approved.status, 200, approved.body)
      assert.equal(approved.json.status, 'succeeded')
      const after = await server.as('auditor').get(`/api/runs/${runId}`)
      assert.equal(after.json.run.status, 'succeeded')
      assert.equal(after.json.run.approvedBy, 'operator')
      const audit = await server.as('auditor').get(`/api/audit?run=${approved.json.executions[0].runId}&limit=5`)
      assert.equal(audit.json.records.length, 5)
      assert.ok(audit.json.records.every((r: { actor: string }) => r.actor === 'operator'))

      const again = await server.as('operator').post(`/api/runs/${runId}/approve`)
      assert.equal(again.status, 409)
      assert.equal(again.json.error.code, 'JOB_NOT_AWAITING_APPROVAL')
    })

    test('an operator rejects a run that awaits approval, with a reason', async () => {
      const started = await server.as('operator').post('/api/tasks/approved_sync/run')
      assert.equal(started.status, 202, started.body)
      const runId: number = started.json.runId
      const events = sseEvents((await server.as('auditor').get(`/api/runs/${runId}/progress`)).body)
      assert.equal(events.at(-1)!.data['status'], 'awaiting-approval')
      assert.equal((await server.as('auditor').post(`/api/runs/${runId}/reject`, { reason: 'no' })).status, 403)
      const rejected = await server
        .as('operator')
        .post(`/api/runs/${runId}/reject`, { reason: 'leavers list is incomplete' })
      assert.equal(rejected.status, 200, rejected.body)
      assert.equal(rejected.json.status, 'rejected')
      assert.equal(rejected.json.approvedBy, 'operator')
      assert.equal(rejected.json.message, 'leavers list is incomplete')
      const runs = await server.as('auditor').get('/api/runs?task=approved_sync&status=rejected')
      assert.deepEqual(
        runs.json.runs.map((r: { id: number }) => r.id),
        [runId],
      )
    })

    test('a run going on in the server is cancelled; one that is not is a 409', async () => {
      const lease = await holdTask()
      try {
        const refused = await server.as('operator').post('/api/tasks/approved_sync/run', {})
        assert.equal(refused.status, 409, refused.body)
        assert.equal(refused.json.error.code, 'JOB_TASK_RUNNING')
        const queued = await server.as('operator').post('/api/tasks/approved_sync/run', { wait: true })
        assert.equal(queued.status, 202, queued.body)
        const runId: number = queued.json.runId
        assert.equal((await server.as('auditor').get(`/api/runs/${runId}`)).json.run.runningHere, true)
        assert.equal((await server.as('auditor').post(`/api/runs/${runId}/cancel`)).status, 403)
        const cancelled = await server.as('operator').post(`/api/runs/${runId}/cancel`)
        assert.equal(cancelled.status, 200, cancelled.body)
        assert.equal(cancelled.json.status, 'interrupted')

        const again = await server.as('operator').post(`/api/runs/${runId}/cancel`)
        assert.equal(again.status, 409, again.body)
        assert.equal(again.json.error.code, 'SRV_RUN_NOT_RUNNING')
        const ended = sseEvents((await server.as('auditor').get(`/api/runs/${runId}/progress`)).body)
        assert.deepEqual(
          ended.map((e) => [e.event, e.data['status']]),
          [['finished', 'interrupted']],
        )
        assert.equal((await server.as('operator').post('/api/runs/9999/cancel')).status, 404)
      } finally {
        await lease.release()
      }
    })

    test('an unknown task is a 404 with a did-you-mean; runs filters are checked', async () => {
      const unknown = await server.as('operator').post('/api/tasks/daily_synk/run')
      assert.equal(unknown.status, 404, unknown.body)
      assert.equal(unknown.json.error.code, 'JOB_UNKNOWN_TASK')
      assert.match(unknown.json.error.hint, /Did you mean 'daily_sync'\?/)
      assert.equal((await server.as('auditor').post('/api/tasks/daily_sync/run')).status, 403)
      assert.equal((await server.as('auditor').get('/api/runs?status=done')).status, 400)
      assert.equal((await server.as('auditor').get('/api/runs?job=a&task=b')).status, 400)
      assert.equal((await server.as('auditor').get('/api/runs/9999')).json.error.code, 'VLT_UNKNOWN_RUN')
    })
  })
}
