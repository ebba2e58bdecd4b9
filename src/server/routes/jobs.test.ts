import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import Database from 'better-sqlite3'
import { collectSystem, findSystem } from '../../connectors/index.ts'
import { type TestServer, createTestServer } from '../../../test/support/server.ts'
import { VAULT_KINDS } from '../../../test/support/vaults.ts'
import { registerAuditRoutes } from './audit.ts'
import { registerJobRoutes } from './jobs.ts'
import { registerMappingRoutes } from './mappings.ts'
import { registerPlanRoutes } from './plans.ts'
import { registerRoleRoutes } from './roles.ts'
import { registerRunRoutes } from './runs.ts'

/** Collects the demo's HR source and directory into the vault, as `provisio collect` does. */
async function collectHr500(server: TestServer): Promise<void> {
  const project = await server.ctx.project()
  for (const name of ['hr500', 'directory']) {
    await collectSystem({ driver: server.ctx.db, system: findSystem(project, name), projectDir: server.dir })
  }
}

function directoryUsers(dir: string): number {
  const db = new Database(path.join(dir, '.provisio', 'directory.db'), { readonly: true })
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n
  } finally {
    db.close()
  }
}

// A job whose one step may plan a single account: the demo plans 50, so it stops.
const TIGHT_JOB = `kind: Job
name: tight_accounts
steps:
  - mapping: create_accounts
    threshold: 1
`

for (const kind of VAULT_KINDS) {
  describe(`mapping, job, plan, role and audit routes (${kind} vault)`, () => {
    let server: TestServer
    before(async () => {
      server = await createTestServer(kind, {
        register: [
          registerMappingRoutes,
          registerJobRoutes,
          registerPlanRoutes,
          registerRoleRoutes,
          registerRunRoutes,
          registerAuditRoutes,
        ],
      })
      writeFileSync(path.join(server.dir, 'mappings', 'tight.yaml'), TIGHT_JOB)
      await collectHr500(server)
    })
    after(() => server.close())

    test('roles: an operator activates the development model, recorded with the user; models, diff, inspect', async () => {
      const diff = await server.as('auditor').get('/api/roles/diff')
      assert.equal(diff.status, 200, diff.body)
      assert.equal(diff.json.active, null)
      assert.ok(diff.json.rolesAdded.length > 0)

      assert.equal((await server.as('auditor').post('/api/roles/activate')).status, 403)
      const activated = await server.as('operator').post('/api/roles/activate')
      assert.equal(activated.status, 200, activated.body)
      assert.equal(activated.json.active.activatedBy, 'operator')
      assert.equal(activated.json.previous, null)
      assert.equal(activated.json.active.source, undefined, 'the YAML source is not answered')

      const models = await server.as('auditor').get('/api/roles/models')
      assert.equal(models.status, 200, models.body)
      assert.equal(models.json.active.id, activated.json.active.id)
      assert.equal(models.json.development.name, activated.json.active.name)

      const inspected = await server.as('auditor').get('/api/roles/inspect?group=DEPGRP_EN')
      assert.equal(inspected.status, 200, inspected.body)
      assert.equal(inspected.json.model.state, 'active')
      assert.ok(inspected.json.roles.length > 0)
      const two = await server.as('auditor').get('/api/roles/inspect?group=DEPGRP_EN&member=u1')
      assert.equal(two.status, 400)
      assert.equal(two.json.error.code, 'SRV_INVALID_REQUEST')
      const unknown = await server.as('auditor').get('/api/roles/inspect?role=DEP_ENN')
      assert.equal(unknown.status, 404, unknown.body)
      assert.equal(unknown.json.error.code, 'ENG_UNKNOWN_ROLE')
      assert.match(unknown.json.error.hint, /Did you mean 'DEP_EN'\?/)
    })

    test('a mapping evaluates into a stored plan; its operations show a password only as (set)', async () => {
      const mappings = await server.as('auditor').get('/api/mappings')
      assert.equal(mappings.status, 200, mappings.body)
      const create = mappings.json.mappings.find((m: { name: string }) => m.name === 'create_accounts')
      assert.equal(create.passwordGenerator, 'initial_password')

      assert.equal((await server.as('auditor').post('/api/mappings/create_accounts/evaluate')).status, 403)
      const evaluated = await server.as('operator').post('/api/mappings/create_accounts/evaluate')
      assert.equal(evaluated.status, 200, evaluated.body)
      assert.equal(evaluated.json.steps[0].mapping, 'create_accounts')
      assert.equal(evaluated.json.steps[0].operations, 50)

      const plan = await server.as('auditor').get(`/api/plans/${evaluated.json.planId}`)
      assert.equal(plan.status, 200, plan.body)
      assert.deepEqual(plan.json.source, { kind: 'mapping', name: 'create_accounts' })
      assert.equal(plan.json.total, 50)

      const page = await server.as('auditor').get(`/api/plans/${evaluated.json.planId}/operations?limit=20&offset=40`)
      assert.equal(page.status, 200, page.body)
      assert.equal(page.json.total, 50)
      assert.equal(page.json.operations.length, 10)
      assert.equal(page.json.operations[0].seq, 41)
      for (const op of page.json.operations) {
        assert.deepEqual(op.secrets, ['password'])
        assert.equal(op.attributes.password, undefined)
        assert.match(op.changes, /password: \(set\)/)
      }
      const planned = await server.as('auditor').get(`/api/plans/${evaluated.json.planId}/operations?status=failed`)
      assert.equal(planned.json.total, 0)
      assert.equal((await server.as('auditor').get('/api/plans?limit=5')).json.plans[0].id, evaluated.json.planId)
    })

    test('unknown names and ids are 404 answers with their code, and a did-you-mean', async () => {
      const job = await server.as('operator').post('/api/jobs/directory_acounts/run', {})
      assert.equal(job.status, 404, job.body)
      assert.equal(job.json.error.code, 'JOB_UNKNOWN_JOB')
      assert.match(job.json.error.hint, /Did you mean 'directory_accounts'\?/)
      const mapping = await server.as('operator').post('/api/mappings/create_acounts/evaluate')
      assert.equal(mapping.status, 404)
      assert.equal(mapping.json.error.code, 'ENG_UNKNOWN_MAPPING')
      assert.equal((await server.as('auditor').get('/api/plans/9999')).json.error.code, 'VLT_UNKNOWN_PLAN')
      assert.equal((await server.as('auditor').get('/api/plans/x')).status, 400)
    })

    test('a threshold stop is a 409 with the exceeded steps; nothing is written', async () => {
      const before = directoryUsers(server.dir)
      const stopped = await server.as('operator').post('/api/jobs/tight_accounts/run', {})
      assert.equal(stopped.status, 409, stopped.body)
      assert.equal(stopped.json.error.code, 'JOB_THRESHOLD_EXCEEDED')
      assert.equal(stopped.json.error.details.steps[0].mapping, 'create_accounts')
      assert.equal(stopped.json.error.details.steps[0].operations, 50)
      assert.equal(directoryUsers(server.dir), before)
      const evaluated = await server.as('operator').post('/api/jobs/tight_accounts/evaluate', {})
      assert.equal(evaluated.status, 409)
      const forced = await server.as('operator').post('/api/jobs/tight_accounts/evaluate', { force: true })
      assert.equal(forced.status, 200, forced.body)
      assert.equal(forced.json.steps[0].threshold.exceeded, true)
    })

    test('a job run writes to the directory; runs and audit record the user as actor', async () => {
      const jobs = await server.as('auditor').get('/api/jobs')
      assert.equal(jobs.status, 200, jobs.body)
      const job = jobs.json.jobs.find((j: { name: string }) => j.name === 'directory_accounts')
      assert.deepEqual(job.steps[1], {
        step: 2,
        type: 'mapping',
        mapping: 'create_accounts',
        enabled: true,
        threshold: { kind: 'count', value: 100 },
      })
      assert.equal(job.steps[4].type, 'memberships')

      assert.equal((await server.as('auditor').post('/api/jobs/directory_accounts/run', {})).status, 403)
      const before = directoryUsers(server.dir)
      const run = await server.as('operator').post('/api/jobs/directory_accounts/run', {})
      assert.equal(run.status, 200, run.body)
      assert.equal(run.json.execution.failed, 0)
      assert.ok(run.json.execution.succeeded > 50)
      assert.equal(directoryUsers(server.dir), before + 50)

      const runs = await server.as('auditor').get('/api/runs?job=directory_accounts')
      assert.equal(runs.status, 200, runs.body)
      assert.equal(runs.json.runs[0].id, run.json.runId)
      assert.equal(runs.json.runs[0].actor, 'operator')
      assert.equal(runs.json.runs[0].status, 'succeeded')
      assert.equal(runs.json.runs[0].planId, run.json.planId)

      const audit = await server
        .as('auditor')
        .get(`/api/audit?run=${run.json.runId}&mapping=create_accounts&limit=1000`)
      assert.equal(audit.status, 200, audit.body)
      assert.equal(audit.json.records.length, 50)
      for (const record of audit.json.records) {
        assert.equal(record.actor, 'operator')
        assert.equal(record.after.password, '(set)')
      }
      const none = await server.as('auditor').get(`/api/audit?run=${run.json.runId}&from=2999-01-01`)
      assert.equal(none.json.records.length, 0)
      assert.equal((await server.as('auditor').get('/api/audit?from=yesterday')).status, 400)
      assert.equal((await server.as('anonymous').get('/api/audit')).status, 401)
    })
  })
}
