/**
 * Test support for the Link and Filter kinds: two small Systems (an HR source and a directory) to
 * validate Link and Filter documents against, and a helper that validates a throw-away project made
 * of them plus the documents under test. Not used outside tests.
 */
import type { Issue } from '../core/index.ts'
import { removeProject, writeProject, yaml } from './project-fixture.ts'
import { type ValidatedProject, validateProject } from './validate-project.ts'

/** `systems/hr.yaml`: employees, contracts and departments with 1-N relations between them. */
export const HR_SYSTEM = yaml(
  'kind: System',
  'name: hr',
  'connector: csv',
  'config: {}',
  'tables:',
  '  employees:',
  '    primaryKey: employee_id',
  '    referenceKeys: [ssn]',
  '    columns:',
  '      { employee_id: string, ssn: string, first_name: string, gender: string, birth_date: date, manager_id: string, home_unit: string, number: integer }',
  '  contracts:',
  '    primaryKey: contract_id',
  '    columns:',
  '      { contract_id: string, employee_id: string, unit: string, job_title: string, start_date: date, end_date: date, fte: number }',
  '  departments:',
  '    primaryKey: unit',
  '    columns: { unit: string, name: string, manager_id: string }',
  'relations:',
  '  - { from: contracts.employee_id, to: employees.employee_id }', // contracts_employee_id
  '  - { from: contracts.unit, to: departments.unit }', // contracts_unit
  '  - { from: departments.manager_id, to: employees.employee_id }', // departments_manager_id
  '  - { from: employees.manager_id, to: employees.employee_id }', // employees_manager_id
  '  - { from: employees.home_unit, to: departments.unit }', // employees_home_unit
)

/** `systems/directory.yaml`: users (employeeID unique, mail not) and groups. */
export const DIRECTORY_SYSTEM = yaml(
  'kind: System',
  'name: directory',
  'connector: ldap',
  'config: {}',
  'tables:',
  '  users:',
  '    primaryKey: dn',
  '    referenceKeys: [employeeID]',
  "    columns: { dn: string, employeeID: string, uid: integer, mail: string, memberOf: 'string[]' }",
  '  groups:',
  '    primaryKey: dn',
  '    referenceKeys: [cn]',
  '    columns: { dn: string, cn: string }',
)

/** `links/employee_account.yaml`: hr.employees.employee_id ↔ directory.users.employeeID. */
export const EMPLOYEE_ACCOUNT_LINK = yaml(
  'kind: Link',
  'name: employee_account',
  'left: hr.employees.employee_id',
  'right: directory.users.employeeID',
)

const dirs: string[] = []

/** Removes every project {@link validateWith} made; call from `after()`. */
export async function removeFixtures(): Promise<void> {
  for (const dir of dirs.splice(0)) await removeProject(dir)
}

/**
 * Validates a project of the two systems, the employee_account link and `files` (which may replace
 * any of them by path).
 */
export async function validateWith(
  files: Readonly<Record<string, string>>,
): Promise<{ project: ValidatedProject; issues: Issue[] }> {
  const dir = await writeProject({
    'systems/hr.yaml': HR_SYSTEM,
    'systems/directory.yaml': DIRECTORY_SYSTEM,
    'links/employee_account.yaml': EMPLOYEE_ACCOUNT_LINK,
    ...files,
  })
  dirs.push(dir)
  return validateProject(dir)
}

/** `file:line:column CODE message | hint`, one line per issue, for compact assertions. */
export function brief(issues: readonly Issue[]): string[] {
  return issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.code} ${i.message} | ${i.hint ?? ''}`)
}
