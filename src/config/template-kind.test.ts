import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { brief, removeFixtures, validateWith } from './filter-fixture.ts'
import { yaml } from './project-fixture.ts'
import { createTemplateEngine, renderTemplateText, templateFilters } from './template-syntax.ts'

after(removeFixtures)

const FILTER = yaml(
  'kind: Filter',
  'name: staff',
  'start: hr.employees AS e',
  "parameters: { today: { type: date, default: '2026-01-01' }, dept: { type: string, default: 'IT' } }",
)

async function template(...lines: string[]) {
  return validateWith({ 'filters/staff.yaml': FILTER, 'mail/t.yaml': yaml('kind: Template', 'name: report', ...lines) })
}

async function issuesOf(...lines: string[]) {
  const { issues } = await template(...lines)
  return brief(issues.filter((i) => i.file === 'mail/t.yaml'))
}

describe('Template kind', () => {
  it('resolves a template with its texts and the filters it embeds', async () => {
    const { project, issues } = await template(
      "subject: 'Sync {{ event.task }}: {{ event.status }}'",
      'text: |',
      '  Run {{ event.runId }}.',
      "  {% filter_table 'Staff' limit: 5, dept: 'HR' %}",
      '  {% plan_report %}',
      'html: <p>{{ event.status }}</p>',
    )
    assert.deepEqual(brief(issues), [])
    const { document: _document, ...resolved } = project.templates[0]!
    assert.deepEqual(resolved, {
      name: 'report',
      file: 'mail/t.yaml',
      subject: { text: 'Sync {{ event.task }}: {{ event.status }}', path: ['subject'] },
      text: {
        text: "Run {{ event.runId }}.\n{% filter_table 'Staff' limit: 5, dept: 'HR' %}\n{% plan_report %}\n",
        path: ['text'],
      },
      html: { text: '<p>{{ event.status }}</p>', path: ['html'] },
      filters: ['staff'],
    })
  })

  it('reports a template without a body', async () => {
    assert.deepEqual(await issuesOf('subject: x'), [
      'mail/t.yaml:3:10 CFG_MISSING_KEY A template needs a body: `text`, `html` or both. | Add `text: |` with the plain-text body, `html: |` with the HTML body, or both.',
    ])
  })

  it('reports a Liquid syntax error at its line and column inside a block, and in a one-line value', async () => {
    assert.deepEqual(await issuesOf('subject: x', 'text: |', '  Hello', '    {{ event.status | nope }}'), [
      'mail/t.yaml:6:5 CFG_TEMPLATE_SYNTAX `text` is not valid Liquid: undefined filter: nope. | Fix the Liquid at the position shown; docs/events.md lists the tags and variables templates may use.',
    ])
    assert.deepEqual(await issuesOf("subject: 'Run {% if x %}'", 'text: y'), [
      'mail/t.yaml:3:15 CFG_TEMPLATE_SYNTAX `subject` is not valid Liquid: tag {% if x %} not closed. | Fix the Liquid at the position shown; docs/events.md lists the tags and variables templates may use.',
    ])
    const [include] = await issuesOf('subject: x', 'text: "a\\n{% include \'x\' %}"')
    assert.match(
      include ?? '',
      /^mail\/t\.yaml:4:7 CFG_TEMPLATE_SYNTAX .*tag "include" not found \(template line 2, column 1\)/,
    )
  })

  it('reports a filter_table with an unknown filter, an unknown or mistyped parameter, and a bad limit', async () => {
    assert.deepEqual(await issuesOf('subject: x', 'text: |', "  {% filter_table 'staf' %}"), [
      "mail/t.yaml:5:3 CFG_UNKNOWN_DOCUMENT There is no filter 'staf' (kind Filter) in the project. | Did you mean 'staff'?",
    ])
    assert.deepEqual(await issuesOf('subject: x', 'text: |', "  x {% filter_table 'staff' dpt: 'IT', today: 3 %}"), [
      "mail/t.yaml:5:5 CFG_INVALID_VALUE Filter 'staff' has no parameter 'dpt'. | Did you mean 'dept'?",
      "mail/t.yaml:5:5 CFG_INVALID_VALUE Parameter 'today' of filter 'staff' is date: expected a date written 'YYYY-MM-DD' that exists. | Write a value of type date, as the filter's parameter defaults are written.",
    ])
    const [limit] = await issuesOf('subject: x', 'text: |', "  {% filter_table 'staff' limit: 20000 %}")
    assert.match(limit ?? '', /^mail\/t\.yaml:5:3 CFG_TEMPLATE_SYNTAX .*limit must be a whole number from 1 to 10000/)
  })
})

describe('template engine', () => {
  it('auto-escapes outputs in html (not with raw), not in text, and renders the tags through the renderers', async () => {
    const engine = createTemplateEngine({
      filterTable: (request, format) => Promise.resolve(`[${request.filter} ${String(request.limit)} ${format}]`),
      planReport: (format) => Promise.resolve(`<plans ${format}>`),
    })
    const text = "{{ v }} {{ v | raw }} {% filter_table 'staff' %} {% plan_report %}"
    assert.equal(
      await renderTemplateText(engine, text, { v: '<b>' }, 'html'),
      '&lt;b&gt; <b> [staff 100 html] <plans html>',
    )
    assert.equal(await renderTemplateText(engine, text, { v: '<b>' }, 'text'), '<b> <b> [staff 100 text] <plans text>')
    await assert.rejects(renderTemplateText(engine, '{{ missing }}', {}, 'text'), /undefined variable: missing/)
    assert.deepEqual(templateFilters(engine, "{% if a %}{% filter_table 'b' %}{% endif %}{% filter_table 'b' %}"), [
      'b',
    ])
  })
})
