import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { removeProject, writeProject, yaml } from './project-fixture.ts'
import { validateProject } from './validate-project.ts'

const dirs: string[] = []
after(async () => {
  for (const dir of dirs) await removeProject(dir)
})

async function check(...lines: string[]) {
  const dir = await writeProject({ 's.yaml': yaml(...lines) })
  dirs.push(dir)
  const { project, issues } = await validateProject(dir)
  return { project, found: issues.map((i) => `${i.line}:${i.column} ${i.code} ${i.message} | ${i.hint}`) }
}

const head = ['kind: System', 'name: hr', 'connector: csv', 'config: {}', 'tables:'] // lines 1-5

describe('System cross-checks', () => {
  it('requires key columns to be declared, single-valued, and either primary or reference key', async () => {
    const { project, found } = await check(
      ...head,
      '  people:', // 6
      '    primaryKey: employe_id', // 7
      '    referenceKeys: [employee_id, mail, tags, employee_id, nothing_like_it]', // 8
      "    columns: { employee_id: string, mail: string, tags: 'string[]' }", // 9
      '  teams:', // 10
      '    primaryKey: id', // 11
      '    referenceKeys: [id]', // 12
      '    columns: { id: integer }', // 13
    )
    assert.deepEqual(found, [
      "7:17 CFG_UNKNOWN_COLUMN Key column 'employe_id' is not a column of table 'people'. | Did you mean 'employee_id'?",
      "8:40 CFG_INVALID_VALUE Key column 'tags' of table 'people' is multi-valued (string[]); a key holds one value per row. | Choose a single-valued column as key.",
      "8:46 CFG_INVALID_VALUE Reference key 'employee_id' is listed twice. | Remove the repetition.",
      "8:59 CFG_UNKNOWN_COLUMN Key column 'nothing_like_it' is not a column of table 'people'. | Declare 'nothing_like_it' under columns, or name one of the table's columns.",
      "12:21 CFG_INVALID_VALUE Column 'id' of table 'teams' is both the primary key and a reference key. | Remove 'id' from referenceKeys; the primary key is already unique.",
    ])
    assert.equal(project.systems.length, 0)
  })

  it('allows format, separator and decimalSeparator only on the column types they apply to', async () => {
    const { found } = await check(
      ...head,
      '  t:', // 6
      '    columns:', // 7
      "      a: { type: string, format: DD-MM-YYYY, separator: ';' }", // 8
      "      b: { type: integer, decimalSeparator: ',' }", // 9
      "      c: { type: datetime, format: 'YYYY-MM-DD HH:mm' }", // 10
      "      d: { type: 'string[]', separator: ';' }", // 11
      "      e: { type: number, decimalSeparator: ',' }", // 12
    )
    assert.deepEqual(found, [
      "8:26 CFG_INVALID_VALUE 'format' applies only to date and datetime columns; this column is of type string. | Remove 'format', or change the column's type to date or datetime.",
      "8:46 CFG_INVALID_VALUE 'separator' applies only to string[] columns; this column is of type string. | Remove 'separator', or change the column's type to string[].",
      "9:27 CFG_INVALID_VALUE 'decimalSeparator' applies only to number columns; this column is of type integer. | Remove 'decimalSeparator', or change the column's type to number.",
    ])
  })

  const model = [
    ...head,
    '  employees:', // 6
    '    primaryKey: employee_id', // 7
    '    referenceKeys: [ssn]', // 8
    '    columns: { employee_id: string, ssn: string, number: integer }', // 9
    '  contracts:', // 10
    '    primaryKey: contract_id', // 11
    '    columns: { contract_id: string, employee_id: string, ssn: string, seq: string }', // 12
    'relations:', // 13
  ]

  it('accepts relations to the primary key or a reference key of the same type', async () => {
    const { found, project } = await check(
      ...model,
      '  - { from: contracts.employee_id, to: employees.employee_id }',
      '  - { name: by_ssn, from: contracts.ssn, to: employees.ssn }',
    )
    assert.deepEqual(found, [])
    assert.deepEqual(
      project.systems[0]?.relations.map((r) => r.name),
      ['contracts_employee_id', 'by_ssn'],
    )
  })

  it('reports unknown tables and columns in relations with did-you-mean', async () => {
    const { found } = await check(
      ...model,
      '  - { from: contract.employee_id, to: employees.employee_id }', // 14
      '  - { from: contracts.employe_id, to: employees.employee_id }', // 15
      '  - { from: contracts.seq, to: zzz.id }', // 16
    )
    assert.deepEqual(found, [
      "14:13 CFG_UNKNOWN_TABLE Table 'contract' is not declared in system 'hr'. | Did you mean 'contracts'?",
      "15:13 CFG_UNKNOWN_COLUMN Column 'employe_id' is not declared in table 'contracts'. | Did you mean 'contracts.employee_id'?",
      "16:32 CFG_UNKNOWN_TABLE Table 'zzz' is not declared in system 'hr'. | Use one of the system's tables: employees, contracts.",
    ])
  })

  it('requires the target to be a key, the types to match and the names to be unique', async () => {
    const { found } = await check(
      ...model,
      '  - { from: contracts.seq, to: employees.number }', // 14
      '  - { from: contracts.employee_id, to: employees.employee_id }', // 15
      '  - { name: contracts_employee_id, from: contracts.ssn, to: employees.ssn }', // 16
    )
    assert.deepEqual(found, [
      "14:5 CFG_INVALID_RELATION Relation columns differ in type: 'contracts.seq' is string, 'employees.number' is integer. | Give both columns the same type.",
      "14:32 CFG_INVALID_RELATION Relation target 'employees.number' is not a key of table 'employees'; a relation must point at a unique column. | Add 'number' to referenceKeys of table 'employees' (or make it the primaryKey).",
      "16:13 CFG_INVALID_RELATION Relation name 'contracts_employee_id' is already used by relations[1]. | Give one of the relations a different `name:`.",
    ])
  })
})
