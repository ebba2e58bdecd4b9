import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { EVENT_TYPES } from '../../core/index.ts'
import { activateDevelopmentModel } from '../../engine/index.ts'
import { runTask } from '../../jobs/index.ts'
import { getRun } from '../../vault/index.ts'
import { type TestServer, createTestServer } from '../../../test/support/server.ts'
import { VAULT_KINDS } from '../../../test/support/vaults.ts'
import { registerEventRoutes } from './events.ts'

/** The Template document sync_report as written in examples/hr500, to edit in tests. */
function syncReportSource(dir: string): string {
  const text = readFileSync(path.join(dir, 'notifications', 'sync-report.yaml'), 'utf8')
  const document = text.split(/^---$/m).find((d) => /^kind: Template$/m.test(d))
  assert.ok(document, 'examples/hr500 has the Template sync_report')
  return document.replace(/^\n/, '')
}

/** 1-based line and column of the first `needle` in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const lines = text.split('\n')
  const line = lines.findIndex((l) => l.includes(needle))
  assert.ok(line >= 0, `${needle} is in the text`)
  return { line: line + 1, column: lines[line]!.indexOf(needle) + 1 }
}

for (const kind of VAULT_KINDS) {
  describe(`event routes (${kind} vault)`, () => {
    let server: TestServer
    before(async () => {
      server = await createTestServer(kind, { register: registerEventRoutes })
    })
    after(() => server.close())

    test('lists every event type with the fields its filter reads', async () => {
      const answer = await server.as('auditor').get('/api/events/types')
      assert.equal(answer.status, 200, answer.body)
      const types = answer.json.types as {
        type: string
        fields: { name: string; type: string; description: string }[]
      }[]
      assert.deepEqual(
        types.map((t) => t.type),
        [...EVENT_TYPES],
      )
      const finished = types.find((t) => t.type === 'task.finished')!
      const status = finished.fields.find((f) => f.name === 'status')
      assert.equal(status?.type, 'string')
      assert.ok(status.description.length > 0)
      assert.equal(finished.fields.find((f) => f.name === 'counts.planned')?.type, 'integer')
      assert.equal((await server.as('anonymous').get('/api/events/types')).status, 401)
    })

    test('lists the templates with their parts and the actions that mail them', async () => {
      const answer = await server.as('auditor').get('/api/templates')
      assert.equal(answer.status, 200, answer.body)
      const report = answer.json.templates.find((t: { name: string }) => t.name === 'sync_report')
      assert.deepEqual(report.parts, { subject: true, text: true, html: true })
      assert.deepEqual(report.usedBy, ['mail_sync_report'])
    })

    test('previews sync_report on the default sample: a task.finished of run 42', async () => {
      const answer = await server.as('auditor').post('/api/templates/SYNC_REPORT/preview', {})
      assert.equal(answer.status, 200, answer.body)
      const preview = answer.json
      assert.deepEqual(preview.issues, [])
      assert.equal(preview.valid, true)
      assert.equal(preview.type, 'task.finished')
      assert.equal(preview.event.runId, 42)
      // The EventAction's source names the sample's task.
      assert.equal(preview.subject, 'Provisio: daily_sync succeeded (12 changes planned)')
      assert.match(preview.text, /Task daily_sync finished as succeeded \(run 42\)\./)
      // Run 42 is not in the vault: the plan report says so instead of failing.
      assert.match(preview.text, /run 42 is not in the vault/)
      assert.match(preview.html, /<p>Task <b>daily_sync<\/b>/)
      assert.match(preview.html, /<p><em>\(plan report: run 42 is not in the vault/)
      // Nothing was sent: the pickup directory of demo_outbox is not even made.
      assert.ok(!existsSync(path.join(server.dir, '.provisio', 'outbox')))
    })

    test('previews on fields given, HTML-escaped, and says which plans are not in the vault', async () => {
      const answer = await server.as('auditor').post('/api/templates/sync_report/preview', {
        event: { status: 'failed', success: false, message: '<script>x</script>', planIds: [99] },
      })
      assert.equal(answer.status, 200, answer.body)
      assert.match(answer.json.text, /Error: <script>x<\/script>/)
      assert.match(answer.json.html, /Error: &lt;script&gt;x&lt;\/script&gt;/)
      assert.match(answer.json.text, /plan 99 of the sample event is not in the vault/)
      const other = await server.as('auditor').post('/api/templates/sync_report/preview', { type: 'job.stopped' })
      assert.equal(other.status, 200, other.body)
      assert.equal(other.json.event.type, 'job.stopped')
      // A job.stopped has no status or task figures: strict variables name the first one missing.
      assert.equal(other.json.issues[0].code, 'EVT_TEMPLATE_FAILED')
      assert.equal(other.json.issues[0].inSource, false)
      assert.equal(other.json.issues[0].file, 'notifications/sync-report.yaml')
    })

    test('a run in the vault: its run and its plans are reported as a mail would', async () => {
      const project = await server.ctx.project()
      // The first run collects; the role model its memberships step needs is activated on what it collected.
      await runTask(server.ctx.db, project, 'daily_sync', { evaluateOnly: true })
      await activateDevelopmentModel(server.ctx.db, project)
      const run = await runTask(server.ctx.db, project, 'daily_sync', { evaluateOnly: true })
      const planIds = (await getRun(server.ctx.db, run.runId)).planIds
      assert.ok(planIds.length > 0, JSON.stringify(await getRun(server.ctx.db, run.runId)))
      const answer = await server.as('auditor').post('/api/templates/sync_report/preview', {
        event: { runId: run.runId, planIds, status: run.status },
      })
      assert.equal(answer.status, 200, answer.body)
      assert.deepEqual(answer.json.issues, [])
      assert.match(answer.json.text, new RegExp(`Job \\w+, plan ${planIds[0]}: `))
      assert.match(answer.json.html, /<table/)
    })

    test('an unsaved text with a Liquid syntax error: an issue positioned in the text', async () => {
      const source = syncReportSource(server.dir).replace('{%- if message %}', '{%- if %}')
      const answer = await server.as('auditor').post('/api/templates/sync_report/preview', { source })
      assert.equal(answer.status, 200, answer.body)
      assert.equal(answer.json.valid, false)
      assert.equal(answer.json.text, null)
      const issue = answer.json.issues.find((i: { code: string }) => i.code === 'CFG_TEMPLATE_SYNTAX')
      assert.ok(issue, answer.body)
      assert.equal(issue.inSource, true)
      assert.equal(issue.line, positionOf(source, '{%- if %}').line)
    })

    test('an unsaved text with an unknown variable: an issue at the variable, not a 500', async () => {
      const source = syncReportSource(server.dir).replace('(run {{ runId }}).\n', '(run {{ run_id }}).\n')
      const answer = await server.as('auditor').post('/api/templates/sync_report/preview', { source })
      assert.equal(answer.status, 200, answer.body)
      assert.equal(answer.json.valid, false)
      assert.equal(answer.json.text, null)
      assert.match(answer.json.subject, /^Provisio: daily_sync/)
      assert.notEqual(answer.json.html, null)
      const [issue] = answer.json.issues
      assert.equal(issue.code, 'EVT_TEMPLATE_FAILED', answer.body)
      assert.match(issue.message, /undefined variable: run_id/)
      assert.ok(issue.hint)
      assert.equal(issue.inSource, true)
      assert.deepEqual({ line: issue.line, column: issue.column }, positionOf(source, 'run_id }}'))
      // The saved Template is unchanged.
      assert.match(syncReportSource(server.dir), /\(run \{\{ runId \}\}\)/)
    })

    test('a preview is bounded: a loop that runs long, ranges too large or a huge text give an issue', async () => {
      const withText = (text: string) =>
        ['kind: Template', 'name: bounded', 'subject: "x"', 'text: |', `  ${text}`, ''].join('\n')
      const bombs = {
        // 9 million renders: minutes without a time limit.
        time: '{% for i in (1..3000) %}{% for j in (1..3000) %}{{ i }}{% endfor %}{% endfor %}',
        memory: '{% for i in (1..100000000) %}{% break %}{% endfor %}',
        size: `{% for i in (1..3000) %}${'x'.repeat(100)}{% endfor %}`,
      }
      for (const [what, text] of Object.entries(bombs)) {
        const answer = await server.as('auditor').post('/api/templates/bounded/preview', { source: withText(text) })
        assert.equal(answer.status, 200, `${what}: ${answer.body.slice(0, 300)}`)
        assert.equal(answer.json.valid, false, what)
        assert.equal(answer.json.text, null, what)
        assert.equal(answer.json.subject, 'x')
        const [issue] = answer.json.issues
        assert.equal(issue?.code, 'EVT_TEMPLATE_FAILED', what)
        assert.match(issue.message, /limit exceeded|more than a preview shows/, what)
      }
    })

    test('a text of another kind is refused; an unknown template is a did-you-mean', async () => {
      const other = await server.as('auditor').post('/api/templates/sync_report/preview', {
        source: 'kind: Filter\nname: x\nfrom: hr500.employees\n',
      })
      assert.equal(other.status, 400, other.body)
      const unknown = await server.as('auditor').post('/api/templates/sync_reprt/preview', {})
      assert.equal(unknown.status, 404, unknown.body)
      assert.match(unknown.json.error.hint, /sync_report/)
      assert.equal((await server.as('anonymous').post('/api/templates/sync_report/preview', {})).status, 401)
    })

    test('answers the EventActions without secrets, credentials or referenced values', async () => {
      process.env['PROVISIO_TEST_HOOK_TOKEN'] = 'hook-token-value-123'
      process.env['PROVISIO_TEST_HOOK_SECRET'] = 'hook-secret-value-456'
      writeFileSync(
        path.join(server.dir, 'notifications', 'hooks.yaml'),
        [
          'kind: EventAction',
          'name: hook_failures',
          'event: operation.failed',
          'on: failure',
          'webhook:',
          '  url: https://hook-user:hook-pass@hooks.example.org/provisio/in?token=query-token-789',
          '  secret: ${env:PROVISIO_TEST_HOOK_SECRET}',
          '  headers:',
          '    Authorization: Bearer ${env:PROVISIO_TEST_HOOK_TOKEN}',
          '',
        ].join('\n'),
      )
      const answer = await server.as('auditor').get('/api/event-actions')
      assert.equal(answer.status, 200, answer.body)
      const byName = new Map(answer.json.eventActions.map((a: { name: string }) => [a.name, a]))
      assert.deepEqual((byName.get('mail_sync_report') as { delivery: unknown }).delivery, {
        email: {
          mailServer: 'demo_outbox',
          template: 'sync_report',
          to: ['iam-team@hr500.example'],
          cc: ['hr-systems@hr500.example'],
        },
      })
      const hook = byName.get('hook_failures') as { delivery: unknown; on: string; enabled: boolean }
      assert.equal(hook.on, 'failure')
      assert.equal(hook.enabled, true)
      assert.deepEqual(hook.delivery, {
        webhook: { url: 'https://hooks.example.org/provisio/in', headers: ['Authorization'], signed: true },
      })
      for (const secret of ['hook-pass', 'hook-user', 'query-token', 'hook-token-value', 'hook-secret-value', 'env:'])
        assert.ok(!answer.body.includes(secret), `${secret} in ${answer.body}`)
      assert.equal((await server.as('anonymous').get('/api/event-actions')).status, 401)
    })
  })
}
