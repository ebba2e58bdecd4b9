/**
 * Templates rendered for events on a real project and vault (the engine bed: HR people collected,
 * a real SQL target): `{% filter_table %}` runs a filter with parameters and a limit, as an aligned
 * text table and an escaped HTML table; `{% plan_report %}` reports a really evaluated and executed
 * plan (with a failed operation) and a plan stopped by its threshold. SQLite and PostgreSQL vaults.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { JobStoppedEvent, TaskFinishedEvent } from '../core/index.ts'
import type { TemplateConfig } from '../config/index.ts'
import { runJob } from '../jobs/index.ts'
import { type EngineBed, type Person, createEngineBed } from '../../test/support/engine-bed.ts'
import { rejects } from '../../test/support/errors.ts'
import { VAULT_KINDS } from '../../test/support/vaults.ts'
import { renderMessage } from './render-message.ts'

const DOCUMENTS = `kind: Filter
name: by_title
start: hr.people AS p
parameters:
  title: string
where: p.title = :title
columns:
  name: p.first_name || ' ' || p.last_name
---
kind: Job
name: onboard
steps: [create_accounts]
---
kind: Job
name: limited
steps: [{ mapping: create_accounts, threshold: 1 }]
---
kind: Template
name: people
subject: |
  {{ task }}: {{ status }}
  (run {{ run.id }})
text: |
  Engineers:
  {% filter_table 'by_title' limit: 2, title: 'Engineer' %}
  Everyone:
  {% filter_table 'everyone' limit: 50 %}
html: |
  <h1>{{ task }}</h1>
  {% filter_table 'by_title' limit: 2, title: 'Engineer' %}
---
kind: Template
name: cased
subject: Everyone
text: |
  {% filter_table 'Everyone' limit: 50 %}
---
kind: Template
name: report
subject: "Plan report"
text: |
  {% plan_report %}
html: |
  {% plan_report %}
`

const clock = { now: () => new Date('2026-12-01T10:00:00Z') }

const people: Person[] = [
  { id: 'J1', first_name: 'Ann', last_name: 'Lee', title: 'Engineer' },
  { id: 'J2', first_name: 'Bo', last_name: '<b>Lee</b>', title: 'Engineer' },
  { id: 'J3', first_name: 'Cy', last_name: 'Long-Name', title: 'Engineer' },
  { id: 'J4', first_name: 'Di', last_name: 'Ng', title: 'Clerk' },
]

function template(bed: EngineBed, name: string): TemplateConfig {
  return bed.project.templates.find((t) => t.name === name)!
}

function finished(runId: number, planIds: number[]): TaskFinishedEvent {
  return {
    type: 'task.finished',
    name: 'nightly',
    success: false,
    at: '2026-12-01T10:00:00.000Z',
    runId,
    task: 'nightly',
    taskType: 'sync',
    status: 'partially-failed',
    counts: { succeeded: 3, failed: 1 },
    planIds,
  }
}

for (const kind of VAULT_KINDS) {
  describe(`renderMessage (${kind} vault)`, () => {
    let bed: EngineBed
    beforeEach(async () => {
      bed = await createEngineBed(kind)
      await bed.load(DOCUMENTS)
      await bed.people(people)
      await bed.collectTarget()
    })
    afterEach(() => bed.close())

    const context = () => ({ db: bed.vault.driver, project: bed.project, clock })

    it('embeds a filter with parameters and a limit as text and as escaped HTML', async () => {
      const run = await runJob(bed.vault.driver, bed.project, 'onboard', { clock })
      const message = await renderMessage(template(bed, 'people'), finished(run.runId, []), context())
      assert.equal(message.subject, `nightly: partially-failed (run ${run.runId})`, 'one line')
      const text = message.text!
      assert.match(
        text,
        /Engineers:\np\.id +p\.first_name +.*\n-+ +-+ .*\nJ1 +Ann +Lee +/,
        'an aligned table with a dashed line under the header',
      )
      assert.match(text, /… and 1 more row\n/)
      const everyone = text.slice(text.indexOf('Everyone:'))
      for (const id of ['J1', 'J2', 'J3', 'J4']) assert.match(everyone, new RegExp(`\\n${id} `))
      assert.doesNotMatch(everyone, /more row/)
      const html = message.html!
      assert.match(html, /<h1>nightly<\/h1>/)
      assert.match(html, /<th>p\.id<\/th>/)
      assert.match(html, /<td>&lt;b&gt;Lee&lt;\/b&gt;<\/td>/, 'cells are escaped')
      assert.doesNotMatch(html, /<b>Lee/)
      assert.match(html, /<p>… and 1 more row<\/p>/)
      assert.equal((html.match(/<tr>/g) ?? []).length, 3, 'header and two rows')
    })

    it('embeds a filter named in another case, as validation accepts it', async () => {
      const { runId: _runId, ...noRun } = finished(1, [])
      const text = (await renderMessage(template(bed, 'cased'), noRun as TaskFinishedEvent, context())).text!
      for (const id of ['J1', 'J2', 'J3', 'J4']) assert.match(text, new RegExp(`\\n${id} `))
    })

    it('reports an executed plan: steps, outcomes and the failed operations', async () => {
      // An account the vault does not know yet takes Ann's login: creating hers fails.
      await bed.insertAccounts([{ employee_id: 'X9', login: 'alee', mail: 'alee@example.test' }])
      const run = await runJob(bed.vault.driver, bed.project, 'onboard', { clock })
      const planId = run.evaluation.planId
      const message = await renderMessage(template(bed, 'report'), finished(run.runId, [planId]), context())
      const text = message.text!
      assert.match(text, new RegExp(`Job onboard, plan ${planId}: partially-failed`))
      assert.match(
        text,
        /step +mapping +table +function +planned +unchanged +not planned +threshold +succeeded +failed +skipped/,
      )
      assert.match(text, /\n1 +create_accounts +dir\.accounts +accounts_create +4 +0 +0 +[^\n]*3 +1 +0\n/)
      assert.match(text, /Failed operations\n/)
      assert.match(text, /create_accounts +employee_id=J1 +CON_SQL_/)
      const html = message.html!
      assert.match(html, /<h3>Job onboard, plan \d+: partially-failed<\/h3>/)
      assert.match(html, /<td>employee_id=J1<\/td><td>CON_SQL_/)
    })

    it('reports a plan stopped by its threshold', async () => {
      const run = await runJob(bed.vault.driver, bed.project, 'limited', { clock })
      assert.equal(run.evaluation.stopped, true)
      const event: JobStoppedEvent = {
        type: 'job.stopped',
        name: 'limited',
        success: false,
        at: '2026-12-01T10:00:00.000Z',
        runId: run.runId,
        job: 'limited',
        planId: run.evaluation.planId,
        exceeded: [],
      }
      const text = (await renderMessage(template(bed, 'report'), event, context())).text!
      assert.match(text, /Job limited, plan \d+: stopped/)
      assert.match(text, /1 \(exceeded\)/)
      assert.doesNotMatch(text, /succeeded|Failed operations/)
    })

    it('gives EVT_TEMPLATE_FAILED for an unknown variable, naming the template and part', async () => {
      const broken: TemplateConfig = { ...template(bed, 'report'), subject: { text: '{{ nope }}', path: ['subject'] } }
      const { runId, ...noRun } = finished(1, [])
      assert.equal(runId, 1)
      const error = await rejects(renderMessage(broken, noRun as TaskFinishedEvent, context()), 'EVT_TEMPLATE_FAILED')
      assert.match(error.message, /Template 'report' \(subject\)/)
    })
  })
}
