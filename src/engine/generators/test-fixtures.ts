/**
 * Test support for the generators: a throw-away project (an HR source, a directory target, a filter)
 * validated by the config layer together with the generator documents under test, the filter row
 * shape of that filter, and the collection of directory accounts into a test vault. Not used outside
 * tests.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Issue, Row } from '../../core/index.ts'
import {
  type NameGeneratorConfig,
  type PasswordGeneratorConfig,
  type ValidatedProject,
  validateProject,
} from '../../config/index.ts'
import type { FilterColumn } from '../../filters/index.ts'
import { type SqlDriver, writeCollection } from '../../vault/index.ts'
import { type FilterRowShape, filterRowShape } from '../filter-row-scope.ts'

const SYSTEMS = `kind: System
name: hr
connector: csv
config: {}
tables:
  employees:
    primaryKey: employee_id
    columns: { employee_id: string, first_name: string, middle_name: string, last_name: string, number: integer, aliases: 'string[]' }
---
kind: System
name: directory
connector: csv
config: {}
tables:
  users:
    primaryKey: objectGUID
    columns: { objectGUID: string, sAMAccountName: string, mail: string, proxyAddresses: 'string[]', uid: integer }
---
kind: Filter
name: employees
start: hr.employees AS e
columns:
  initials: "left(e.first_name, 1) || left(e.last_name, 1)"
`

/** The output columns of the fixture's `employees` filter, as compileFilter gives them. */
export const EMPLOYEE_COLUMNS: readonly FilterColumn[] = [
  { name: 'e.employee_id', type: 'string' },
  { name: 'e.first_name', type: 'string' },
  { name: 'e.middle_name', type: 'string' },
  { name: 'e.last_name', type: 'string' },
  { name: 'e.number', type: 'integer' },
  { name: 'e.aliases', type: 'string[]' },
  { name: 'initials', type: 'string' },
]

/** The row shape of the `employees` filter. */
export const EMPLOYEES: FilterRowShape = filterRowShape(EMPLOYEE_COLUMNS)

/** A filter row of `employees`. */
export function employee(
  id: string,
  first: string | null,
  last: string | null,
  middle: string | null = null,
  aliases: readonly string[] = [],
): Row {
  return {
    'e.employee_id': id,
    'e.first_name': first,
    'e.middle_name': middle,
    'e.last_name': last,
    'e.number': Number(id.replace(/\D/g, '') || 0),
    'e.aliases': aliases,
    initials: `${(first ?? '').slice(0, 1)}${(last ?? '').slice(0, 1)}`,
  }
}

/** Validates the fixture project plus `documents` (YAML, `---`-separated); fails on any error. */
export async function generatorProject(documents: string): Promise<ValidatedProject> {
  const { project, issues } = await validateGenerators(documents)
  const errors = issues.filter((i) => i.severity !== 'warning')
  if (errors.length > 0)
    throw new Error(
      `Fixture project has errors:\n${errors.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n')}`,
    )
  return project
}

/** Validates the fixture project plus `documents`, returning every issue. */
export async function validateGenerators(documents: string): Promise<{ project: ValidatedProject; issues: Issue[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'provisio-generators-'))
  try {
    await writeFile(path.join(dir, 'project.yaml'), SYSTEMS)
    await writeFile(path.join(dir, 'generators.yaml'), documents)
    return await validateProject(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The only name generator of `documents`. */
export async function nameGenerator(documents: string): Promise<NameGeneratorConfig> {
  const project = await generatorProject(documents)
  const [generator] = project.nameGenerators
  if (generator === undefined) throw new Error('The fixture holds no valid NameGenerator')
  return generator
}

/** The only password generator of `documents`. */
export async function passwordGenerator(documents: string): Promise<PasswordGeneratorConfig> {
  const project = await generatorProject(documents)
  const [generator] = project.passwordGenerators
  if (generator === undefined) throw new Error('The fixture holds no valid PasswordGenerator')
  return generator
}

/** Collects `users` as the current rows of directory.users. */
export async function collectUsers(driver: SqlDriver, users: readonly Row[]): Promise<void> {
  const project = await generatorProject('')
  const directory = project.systems.find((s) => s.name === 'directory')!
  await writeCollection(driver, {
    system: 'directory',
    tables: directory.tables.map((schema) => ({
      schema,
      read: async function* () {
        yield { rows: [...users] }
      },
    })),
  })
}
