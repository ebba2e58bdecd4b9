import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { isKnownKind, kindRegistry, knownKinds } from './kinds.ts'
import { brief, removeFixtures, validateWith } from './filter-fixture.ts'
import { yaml } from './project-fixture.ts'
import { validateProject } from './validate-project.ts'

after(removeFixtures)

describe('Links and filters in a project', () => {
  it('validates every kind after the kinds whose documents its checks use', () => {
    const order = knownKinds()
    assert.deepEqual(order, [
      'System',
      'Link',
      'Filter',
      'NameGenerator',
      'PasswordGenerator',
      'Mapping',
      'RoleModel',
      'Job',
      'Task',
      'MailServer',
      'Template',
      'EventAction',
    ])
    for (const kind of order) {
      for (const used of kindRegistry[kind].uses ?? []) {
        assert.ok(isKnownKind(used), `${kind} uses unknown kind ${used}`)
        assert.ok(order.indexOf(used) < order.indexOf(kind), `${kind} uses ${used}, registered after it`)
      }
    }
  })

  it('sees Links and Systems whatever the order of the files', async () => {
    const { project, issues } = await validateWith({
      'a/filter.yaml': yaml(
        'kind: Filter',
        'name: f',
        'start: hr.employees',
        'joins: [{ table: directory.users AS u, mode: none }]',
      ),
    })
    assert.deepEqual(issues, [])
    assert.deepEqual(
      project.filters.map((f) => f.joins[0]?.through),
      [{ kind: 'link', name: 'employee_account' }],
    )
  })

  it('reports every problem of Systems, Links and Filters in several files in one pass', async () => {
    const { project, issues } = await validateWith({
      'systems/broken.yaml': yaml('kind: System', 'name: broken', 'connector: csv', 'config: {}', 'tables: {}'),
      'links/more.yaml': [
        yaml('kind: Link', 'name: to_broken', 'left: broken.t.id', 'right: hr.employees.ssn'), // silent: broken has errors
        yaml('kind: Link', 'name: by_ssn', 'left: hr.employees.ssn', 'right: directory.users.mial'), // 6-9
      ].join('---\n'),
      'filters/one.yaml': yaml(
        'kind: Filter',
        'name: one',
        'start: hr.employees AS e',
        'joins: [{ table: directory.users AS u, mode: none, via: by_ssn }]', // by_ssn is invalid: silent
        "where: e.gender = 'X' and e.brith_date is null", // 5
      ),
      'filters/two.yaml': yaml(
        'kind: Filter',
        'name: two',
        'start: hr.contracts AS c',
        'joins: [{ table: hr.departments, mode: any }]',
        'output: [c.job_title, departments.nam]', // 5
        'maxMultiplications: 2', // 6
      ),
      'filters/three.yaml': yaml(
        'kind: Filter',
        'name: three',
        'start: hr.contracts AS c',
        'output: [c.job_title, d.name]',
      ),
    })
    assert.deepEqual(brief(issues), [
      "filters/one.yaml:5:27 EXPR_UNKNOWN_COLUMN 'e' has no column 'brith_date'. | Did you mean 'birth_date'?",
      "filters/three.yaml:4:23 CFG_UNKNOWN_ALIAS Output 'd.name' names alias 'd', which the filter does not define. | The aliases with columns are: c.",
      "filters/two.yaml:6:1 CFG_UNKNOWN_KEY Unknown key 'maxMultiplications'. | Did you mean 'maxMultiplication'?",
      "links/more.yaml:9:8 CFG_UNKNOWN_COLUMN Column 'mial' is not declared in table 'directory.users'. | Did you mean 'directory.users.mail'?",
      'systems/broken.yaml:5:9 CFG_INVALID_VALUE A system needs at least one table. | Correct the value as the message describes.',
    ])
    assert.deepEqual(
      project.links.map((l) => l.name),
      ['employee_account'],
    )
    assert.deepEqual(project.filters, [])
  })

  it('validates the example project examples/hr500 without any issue', async () => {
    const { project, issues } = await validateProject('examples/hr500')
    assert.deepEqual(issues, [])
    assert.equal(project.systems.length >= 1, true)
    assert.equal(project.links.length, project.documents.filter((d) => d.kind === 'Link').length)
    assert.equal(project.filters.length, project.documents.filter((d) => d.kind === 'Filter').length)
  })
})
