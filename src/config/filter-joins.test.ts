import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { renderIssue } from '../core/index.ts'
import { brief, removeFixtures, validateWith } from './filter-fixture.ts'
import { yaml } from './project-fixture.ts'

after(removeFixtures)

/** A filter on hr.employees AS e with `joins` (lines from 5 on). */
async function joins(...lines: string[]) {
  return validateWith({
    'filters/f.yaml': yaml('kind: Filter', 'name: f', 'start: hr.employees AS e', 'joins:', ...lines),
  })
}

describe('Filter joins', () => {
  it('finds the only relation or link between two tables, in either direction and for self-joins', async () => {
    const { project, issues } = await joins(
      '  - table: hr.contracts AS c', // relation contracts → employees, followed backwards
      '    mode: any',
      '    joins: [{ table: hr.departments AS d, mode: optional }]',
      '  - { table: hr.employees AS manager, mode: optional }', // employees.manager_id → employees
      '  - { table: directory.users AS u, mode: none }', // the link
    )
    assert.deepEqual(issues, [])
    const [contracts, manager, users] = project.filters[0]!.joins
    assert.deepEqual(contracts?.through, { kind: 'relation', system: 'hr', name: 'contracts_employee_id' })
    assert.deepEqual(contracts?.joins[0]?.through, { kind: 'relation', system: 'hr', name: 'contracts_unit' })
    assert.deepEqual(manager?.through, { kind: 'relation', system: 'hr', name: 'employees_manager_id' })
    assert.deepEqual(users?.through, { kind: 'link', name: 'employee_account' })
    assert.equal(users?.via, undefined)
  })

  it('matches via regardless of case and resolves it to the declared name', async () => {
    const { project, issues } = await joins(
      '  - { table: hr.departments AS d, mode: any, via: EMPLOYEES_HOME_UNIT }',
      '  - { table: directory.users AS u, mode: none, via: Employee_Account }',
    )
    assert.deepEqual(issues, [])
    const [d, u] = project.filters[0]!.joins
    assert.equal(d?.via, 'employees_home_unit')
    assert.equal(u?.via, 'employee_account')
  })

  it('reports a join that nothing connects, listing what connects the parent table', async () => {
    const { issues } = await joins(
      '  - table: hr.contracts AS c', // 5
      '    mode: any', // 6
      '    joins: [{ table: directory.groups AS g, mode: none }]', // 7
    )
    assert.deepEqual(brief(issues), [
      'filters/f.yaml:7:22 CFG_NO_JOIN_PATH No relation or link connects hr.contracts (c) and directory.groups (g). | Relations and links of hr.contracts: contracts_employee_id (relation to hr.employees), contracts_unit (relation to hr.departments). Declare a relation in the System or a Link document between the two tables.',
    ])
  })

  it('asks for via: when several relations or links connect the tables, listing them', async () => {
    const { project, issues } = await joins('  - { table: hr.departments AS d, mode: any }')
    assert.equal(issues.length, 1)
    assert.equal(
      renderIssue(issues[0]!),
      `filters/f.yaml:5:14  error: Several relations and links connect hr.employees (e) and hr.departments (d): relation departments_manager_id (hr.departments.manager_id → hr.employees.employee_id); relation employees_home_unit (hr.employees.home_unit → hr.departments.unit). [CFG_AMBIGUOUS_JOIN]
    at joins[0].table, value "hr.departments AS d"
    hint: Say which one the join uses with \`via:\`, one of departments_manager_id, employees_home_unit.`,
    )
    assert.deepEqual(project.filters, [])
  })

  it('reports an unknown via with did-you-mean, or with what connects the tables', async () => {
    const { issues } = await joins(
      '  - { table: hr.contracts AS c, mode: any, via: contract_employee_id }', // 5
      '  - { table: hr.departments AS d, mode: any, via: xyz }', // 6
    )
    assert.deepEqual(brief(issues), [
      "filters/f.yaml:5:49 CFG_UNKNOWN_RELATION No relation of system 'hr' and no link is named 'contract_employee_id'. | Did you mean 'contracts_employee_id'?",
      "filters/f.yaml:6:51 CFG_UNKNOWN_RELATION No relation of system 'hr' and no link is named 'xyz'. | hr.employees (e) and hr.departments (d) are connected by: departments_manager_id, employees_home_unit.",
    ])
  })

  it('reports a via that connects other tables, and an N-N relation used as via', async () => {
    const { issues } = await joins(
      '  - { table: hr.contracts AS c, mode: any, via: contracts_unit }', // 5
      '  - { table: hr.departments AS d, mode: any, via: employees_departments }', // 6
      '  - { table: directory.groups AS g, mode: none, via: employee_account }', // 7
    )
    assert.deepEqual(brief(issues), [
      'filters/f.yaml:5:49 CFG_NO_JOIN_PATH The relation contracts_unit (hr.contracts.unit → hr.departments.unit) does not connect hr.employees (e) and hr.contracts (c). | hr.employees (e) and hr.contracts (c) are connected by: contracts_employee_id.',
      "filters/f.yaml:6:51 CFG_NO_JOIN_PATH 'employees_departments' is an N-N relation through contracts; a join follows one 1-N relation or link. | Join contracts first, then departments under it.",
      'filters/f.yaml:7:54 CFG_NO_JOIN_PATH The link employee_account (hr.employees.employee_id ↔ directory.users.employeeID) does not connect hr.employees (e) and directory.groups (g). | Nothing connects hr.employees (e) and directory.groups (g): declare a relation in the System or a Link document, or remove the join.',
    ])
  })

  it('says nothing more about a join through a Link that has errors of its own', async () => {
    const { project, issues } = await validateWith({
      'links/employee_account.yaml': yaml(
        'kind: Link',
        'name: employee_account',
        'left: hr.employees.employee_id',
        'right: directory.users.employeeId', // a typo: the link is invalid
      ),
      'filters/f.yaml': yaml(
        'kind: Filter',
        'name: f',
        'start: hr.employees AS e',
        'joins:',
        '  - { table: directory.users AS u, mode: none, via: employee_account }',
        '  - { table: directory.users AS u2, mode: none }',
      ),
    })
    assert.deepEqual(
      issues.map((i) => `${i.file}:${i.line} ${i.code}`),
      ['links/employee_account.yaml:4 CFG_UNKNOWN_COLUMN'],
    )
    assert.deepEqual(project.filters, [])
  })
})
