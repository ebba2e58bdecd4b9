import assert from 'node:assert/strict'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import type { RelationSchema } from '../core/index.ts'
import { removeProject, writeProject, yaml } from './project-fixture.ts'
import { deriveManyToMany } from './system-config.ts'
import { validateProject } from './validate-project.ts'

const HR500 = path.join(import.meta.dirname, '../../examples/hr500')

const dirs: string[] = []
after(async () => {
  for (const dir of dirs) await removeProject(dir)
})

async function validate(...lines: string[]) {
  const dir = await writeProject({ 's.yaml': yaml(...lines) })
  dirs.push(dir)
  return validateProject(dir)
}

describe('SystemConfig', () => {
  it('validates the hr500 example clean and resolves its tables, relations and N-N relation', async () => {
    const { project, issues } = await validateProject(HR500)
    assert.deepEqual(issues, [])
    const hr = project.systems.find((s) => s.name === 'hr500')
    assert.ok(hr)
    assert.equal(hr.name, 'hr500')
    assert.equal(hr.connector, 'csv')
    assert.equal(hr.file, 'systems/hr500.yaml')
    assert.deepEqual(hr.config, { folder: 'files/hr500', delimiter: 'auto', encoding: 'utf-8' })
    assert.deepEqual(
      hr.tables.map((t) => [t.name, t.primaryKey, t.referenceKeys, t.columns.length]),
      [
        ['employees', 'employee_id', ['ssn'], 13],
        ['departments', 'organizational_unit', [], 6],
        ['contracts', 'contract_id', [], 8],
      ],
    )
    assert.equal(hr.relations.length, 5)
    assert.deepEqual(hr.relations[0], {
      system: 'hr500',
      name: 'contracts_employee_id',
      fromTable: 'contracts',
      fromColumn: 'employee_id',
      toTable: 'employees',
      toColumn: 'employee_id',
    })
    assert.deepEqual(hr.manyToMany, [
      {
        name: 'employees_departments',
        left: 'employees',
        right: 'departments',
        through: 'contracts',
        leftRelation: 'contracts_employee_id',
        rightRelation: 'contracts_organizational_unit',
      },
    ])
    assert.deepEqual(hr.guards['employees'], { maxRemoved: { kind: 'percent', value: 10 } })
  })

  it('expands column shorthands with source defaulting to the name, and keeps only options written', async () => {
    const { project } = await validateProject(HR500)
    const contracts = project.systems.find((s) => s.name === 'hr500')?.tables.find((t) => t.name === 'contracts')
    const byName = new Map(contracts?.columns.map((c) => [c.name, c]))
    assert.deepEqual(byName.get('contract_type'), { name: 'contract_type', type: 'string', source: 'contract_type' })
    assert.deepEqual(byName.get('start_date'), {
      name: 'start_date',
      type: 'date',
      source: 'start_date',
      format: 'DD-MM-YYYY',
    })
    assert.deepEqual(byName.get('fte'), { name: 'fte', type: 'number', source: 'fte', decimalSeparator: ',' })
    assert.deepEqual(contracts?.options, { file: 'contracts.csv' })
  })

  it('uses an explicit source and copies caseInsensitive', async () => {
    const { project, issues } = await validate(
      'kind: System',
      'name: ad',
      'connector: ldap',
      'config: {}',
      'tables:',
      '  users:',
      '    columns:',
      '      account: { type: string, source: sAMAccountName, caseInsensitive: true }',
    )
    assert.deepEqual(issues, [])
    const users = project.systems[0]?.tables[0]
    assert.deepEqual(users?.columns[0], {
      name: 'account',
      type: 'string',
      source: 'sAMAccountName',
      caseInsensitive: true,
    })
    assert.equal(users?.primaryKey, undefined)
    assert.deepEqual(users?.referenceKeys, [])
    assert.deepEqual(users?.options, {})
  })

  it('defaults maxRemoved to 10% only when the system sets no guards, and merges table guards field by field', async () => {
    const { project, issues } = await validate(
      'kind: System',
      'name: hr',
      'connector: csv',
      'config: {}',
      'guards: { maxAdded: 100 }',
      'tables:',
      '  a: { columns: { x: string } }',
      "  b: { columns: { x: string }, guards: { maxAdded: '50%', maxChanged: 7 } }",
    )
    assert.deepEqual(issues, [])
    assert.deepEqual(project.systems[0]?.guards, {
      a: { maxAdded: { kind: 'count', value: 100 } },
      b: { maxAdded: { kind: 'percent', value: 50 }, maxChanged: { kind: 'count', value: 7 } },
    })
  })
})

describe('deriveManyToMany', () => {
  const rel = (name: string, fromTable: string, toTable: string): RelationSchema => ({
    system: 's',
    name,
    fromTable,
    fromColumn: `${name}_col`,
    toTable,
    toColumn: 'id',
  })

  it('pairs relations leaving the same association table and skips pairs that point back at it', () => {
    const found = deriveManyToMany([
      rel('m_user', 'members', 'users'),
      rel('m_group', 'members', 'groups'),
      rel('g_parent', 'groups', 'groups'),
      rel('g_owner', 'groups', 'users'),
    ])
    assert.deepEqual(
      found.map((m) => [m.name, m.left, m.right, m.through]),
      [['users_groups', 'users', 'groups', 'members']],
    )
  })

  it('names pairs by their relations when several pairs link the same tables', () => {
    const found = deriveManyToMany([
      rel('a_u', 'x', 'users'),
      rel('a_g', 'x', 'groups'),
      rel('b_u', 'y', 'users'),
      rel('b_g', 'y', 'groups'),
    ])
    assert.deepEqual(
      found.map((m) => m.name),
      ['a_u_a_g', 'b_u_b_g'],
    )
  })
})
