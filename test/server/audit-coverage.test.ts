/**
 * Every change made through the API is recorded in the admin audit with its user (issue 8): each
 * route that is not a GET and not public declares its `audit`, writes its own (`audit: 'self'`,
 * the account routes), or says it changes nothing (`readOnly`). A route added without any of them
 * fails here. Then a few changes made as the operator are looked up in the admin audit.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { collectSystem, findSystem } from '../../src/connectors/index.ts'
import { ALL_ROUTES, type RouteSpec } from '../../src/server/index.ts'
import { auditAccountedFor } from '../../src/server/route.ts'
import { type TestServer, createTestServer } from '../support/server.ts'
import { VAULT_KINDS } from '../support/vaults.ts'
import { addApprovedSync } from '../support/tasks.ts'

interface AuditEvent {
  readonly actor: string
  readonly action: string
  readonly subject: string | null
  readonly details: Record<string, unknown> | null
}

for (const kind of VAULT_KINDS) {
  describe(`admin audit of every changing route (${kind} vault)`, () => {
    let server: TestServer
    before(async () => {
      server = await createTestServer(kind, { register: ALL_ROUTES })
      addApprovedSync(server.dir)
    })
    after(() => server.close())

    const audited = async (action: string): Promise<AuditEvent[]> => {
      const answer = await server.as('auditor').get(`/api/admin-audit?action=${action}`)
      assert.equal(answer.status, 200, answer.body)
      return answer.json.events as AuditEvent[]
    }

    it('has no changing route without an audit, a self-audit or a readOnly marking', () => {
      const routes: readonly RouteSpec[] = server.app.provisioRoutes
      assert.ok(routes.some((r) => r.method !== 'GET' && r.access !== 'public'))
      const missing = routes.filter((r) => !auditAccountedFor(r)).map((r) => `${r.method} ${r.url}`)
      assert.deepEqual(missing, [], 'changing routes without `audit` (or `readOnly`, `audit: self`)')
      // readOnly is for POSTs that only read; a PUT, PATCH or DELETE always changes something.
      const readOnlyChanges = routes.filter((r) => r.readOnly === true && r.method !== 'POST')
      assert.deepEqual(
        readOnlyChanges.map((r) => `${r.method} ${r.url}`),
        [],
      )
    })

    it('records a collection, a task run and an approval with the operator as actor', async () => {
      const collected = await server.as('operator').post('/api/systems/directory/collect', {})
      assert.equal(collected.status, 200, collected.body)
      const [collect] = await audited('system.collect')
      assert.equal(collect?.actor, 'operator')
      assert.equal(collect.subject, 'directory')
      assert.equal(collect.details?.['collectionId'], collected.json.id)

      const project = await server.ctx.project()
      await collectSystem({ driver: server.ctx.db, system: findSystem(project, 'hr500'), projectDir: server.dir })
      assert.equal((await server.as('operator').post('/api/roles/activate')).status, 200)
      const [activate] = await audited('roles.activate')
      assert.equal(activate?.actor, 'operator')

      const started = await server.as('operator').post('/api/tasks/approved_sync/run', {})
      assert.equal(started.status, 202, started.body)
      const runId: number = started.json.runId
      const [taskRun] = await audited('task.run')
      assert.deepEqual(
        { actor: taskRun?.actor, subject: taskRun?.subject, runId: taskRun?.details?.['runId'] },
        { actor: 'operator', subject: 'approved_sync', runId },
      )
      // The run goes on in the server: wait until it awaits approval.
      for (;;) {
        const run = await server.as('auditor').get(`/api/runs/${runId}`)
        if (run.json.run.status === 'awaiting-approval') break
        assert.ok(['queued', 'running'].includes(run.json.run.status), run.body)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      const approved = await server.as('operator').post(`/api/runs/${runId}/approve`)
      assert.equal(approved.status, 200, approved.body)
      const [approve] = await audited('run.approve')
      assert.deepEqual(
        { actor: approve?.actor, subject: approve?.subject, runId: approve?.details?.['runId'] },
        { actor: 'operator', subject: `run ${runId}`, runId },
      )
    })

    it('records nothing for a refused change or a read-only POST', async () => {
      const before = (await audited('task.run')).length
      assert.equal((await server.as('auditor').post('/api/tasks/approved_sync/run', {})).status, 403)
      assert.equal((await server.as('operator').post('/api/tasks/no_such_task/run', {})).status, 404)
      assert.equal((await audited('task.run')).length, before)
      const filter = await server.as('auditor').post('/api/filters/active_employees/run', { limit: 1 })
      assert.ok([200, 404].includes(filter.status), filter.body)
      const all = await server.as('auditor').get('/api/admin-audit?limit=1000')
      assert.ok(!all.json.events.some((e: AuditEvent) => e.action.startsWith('filter')))
    })
  })
}
