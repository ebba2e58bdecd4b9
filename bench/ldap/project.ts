/**
 * The projects the `ldap` suite runs Provisio on, each in a fresh folder of bench/.data (so each
 * starts from an empty SQLite vault):
 *
 * - collect: system `ldap` (connector ldap, flavour ldap) with one table `users` over
 *   `ou=people-<n>`: entryUUID (primary key), dn, and the ten attributes of the generated people;
 * - create: the same system with its table over an empty OU, plus system `hr` (CSV) holding the
 *   people to create, a link on uid, a filter of the people without an entry (a none join) and a
 *   mapping of each to the users table's create function, every attribute taken from the CSV as is.
 *
 * The system uses `connections: C` and `execution.concurrency: C`, the plain script C connections
 * with one request in flight on each.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { TableSchema } from '../../src/core/index.ts'
import { ldapConfigSchema, ldapFunctions } from '../../src/connectors/ldap/index.ts'
import { planTable } from '../../src/connectors/ldap/ldap-table.ts'
import { DATA } from '../support/databases.ts'
import { ADMIN_DN, PERSON_ATTRIBUTES, SUFFIX } from './directory.ts'

/** Operations (and connections) at a time, Provisio's and the plain script's. */
export const CONCURRENCY = 8

/** The environment variable the systems' password reference names; the suite sets it for its workers. */
export const PASSWORD_ENV = 'PROVISIO_BENCH_LDAP_PASSWORD'

const COLUMNS = ['entryUUID', 'dn', ...PERSON_ATTRIBUTES] as const

function ldapSystemYaml(url: string, base: string): string {
  return `kind: System
name: ldap
description: The bench's slapd (bench/ldap/directory.ts).
connector: ldap
config:
  flavour: ldap
  url: ${url}
  bindDN: ${ADMIN_DN}
  password: \${env:${PASSWORD_ENV}}
  baseDN: ${SUFFIX}
  allowPlainText: true # plain ldap:// on loopback (bench/ldap/directory.ts): TLS would cost both clients the same
  connections: ${CONCURRENCY}
execution:
  concurrency: ${CONCURRENCY}
tables:
  users:
    primaryKey: entryUUID
    referenceKeys: [dn, uid]
    columns:
${COLUMNS.map((c) => `      ${c}: string`).join('\n')}
    options:
      base: ${base}
`
}

/** The users table as the project declares it, for what the connector derives from it (request, functions). */
export function usersTable(base: string): TableSchema {
  return {
    system: 'ldap',
    name: 'users',
    primaryKey: 'entryUUID',
    referenceKeys: ['dn', 'uid'],
    columns: COLUMNS.map((name) => ({ name, type: 'string', source: name })),
    options: { base },
  }
}

const CONFIG = {
  flavour: 'ldap',
  url: 'ldap://127.0.0.1',
  allowPlainText: true,
  bindDN: ADMIN_DN,
  password: '${env:UNUSED}',
  baseDN: SUFFIX,
}

/** The search Provisio's read of the table makes: the plain script makes the same one. */
export function searchOf(base: string): { filter: string; attributes: readonly string[]; pageSize: number } {
  const plan = planTable(usersTable(base), ldapConfigSchema.parse(CONFIG))
  return { filter: plan.filter, attributes: plan.attributes, pageSize: plan.pageSize }
}

/** The users table's create function as the connector declares it; undefined while it declares none. */
export function createFunction(base: string) {
  return ldapFunctions(usersTable(base), ldapConfigSchema.parse(CONFIG)).find((f) => f.semantics === 'create')
}

/** Where the project `name` is made. */
export const projectDir = (name: string) => path.join(DATA, `ldap-project-${name}`)

function fresh(name: string): string {
  const dir = projectDir(name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  return dir
}

/** A project collecting the users table over `base`. */
export function collectProject(name: string, url: string, base: string): string {
  const dir = fresh(name)
  writeFileSync(path.join(dir, 'ldap.yaml'), ldapSystemYaml(url, base))
  return dir
}

/** A project creating the people of `csvFolder` (createCsv) as entries of the (empty) OU `base`. */
export function createProject(name: string, url: string, base: string, csvFolder: string): string {
  const fn = createFunction(base)
  if (fn === undefined) throw new Error('The LDAP connector declares no create function on a users table yet.')
  const parameters = new Set(fn.parameters.filter((p) => p.allowance !== 'prohibited').map((p) => p.name))
  const given = PERSON_ATTRIBUTES.filter((a) => parameters.has(a))
  const dir = fresh(name)
  writeFileSync(path.join(dir, 'ldap.yaml'), ldapSystemYaml(url, base))
  writeFileSync(
    path.join(dir, 'hr.yaml'),
    `kind: System
name: hr
connector: csv
config:
  folder: ${JSON.stringify(csvFolder)}
  delimiter: ','
tables:
  people:
    primaryKey: uid
    columns:
${PERSON_ATTRIBUTES.map((c) => `      ${c}: string`).join('\n')}
`,
  )
  writeFileSync(
    path.join(dir, 'create.yaml'),
    `kind: Link
name: person_entry
left: hr.people.uid
right: ldap.users.uid
---
kind: Filter
name: without_entry
description: People without an entry in the directory.
start: hr.people AS p
joins:
  - table: ldap.users AS u
    mode: none
    via: person_entry
output: [${PERSON_ATTRIBUTES.map((a) => `p.${a}`).join(', ')}]
---
kind: Mapping
name: create_entries
description: An entry for every person without one, every attribute as the CSV has it.
system: ldap
table: users
function: ${fn.name}
filter: without_entry
attributes:
${given.map((a) => `  ${a}: p.${a}`).join('\n')}
`,
  )
  return dir
}
