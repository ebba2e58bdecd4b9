/**
 * Helpers for the LDAP connector's write tests (src/connectors/ldap/ldap-apply*.test.ts): the
 * users, groups, memberships and OUs tables of each flavour in a fresh OU, applying a function as
 * the executor does, and binding as an account to prove its password.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { Client } from 'ldapts'
import { isProvisioError, type ProvisioError, type Row, type TableSchema, type Value } from '../../src/core/index.ts'
import type { Operation, OperationResult } from '../../src/connectors/contract.ts'
import { applyOperation } from '../../src/connectors/ldap/ldap-apply.ts'
import { ldapFunctions } from '../../src/connectors/ldap/ldap-functions.ts'
import type { LdapSession } from '../../src/connectors/ldap/ldap-session.ts'
import { valuesOf } from '../../src/connectors/ldap/ldap-values.ts'
import { ldapTable, planOf, sessionOf } from './ldap-kit.ts'
import { type FreshOu, freshOu, type TestDirectory } from './ldap-servers.ts'

export const unique = `${process.pid}${Date.now().toString(36)}`.slice(-8)

/** Names that need escaping in a DN or a filter, or are not ASCII. */
export const HOSTILE = [
  "Zoë Ødegård-O'Brien, Jr.",
  ' Leading+trailing ',
  '#1 "Quoted" back\\slash',
  '*)(cn=*) 王',
  'semi;colon <a> b=c',
]

export interface Fixture {
  readonly server: TestDirectory
  readonly ou: FreshOu
  readonly session: LdapSession
  readonly users: TableSchema
  readonly groups: TableSchema
  readonly memberships: TableSchema
  readonly ous: TableSchema
  /** The primary key column of users and groups: objectGUID on AD, entryUUID on OpenLDAP. */
  readonly id: string
}

export function tablesOf(server: TestDirectory, base: string) {
  if (server.kind === 'ad') {
    return {
      id: 'objectGUID',
      users: ldapTable(
        'users',
        [
          'objectGUID',
          'dn',
          'parent',
          'enabled:boolean',
          { name: 'name', source: 'cn' },
          { name: 'sAMAccountName', caseInsensitive: true },
          'givenName',
          'description',
          'userPrincipalName',
          'userAccountControl:integer',
          'accountExpires:datetime',
        ],
        { primaryKey: 'objectGUID', referenceKeys: ['dn', 'sAMAccountName'], options: { base } },
      ),
      groups: ldapTable(
        'groups',
        [
          'objectGUID',
          'dn',
          'parent',
          { name: 'name', source: 'cn' },
          'sAMAccountName',
          'description',
          'groupType:integer',
          'member:string[]',
        ],
        { primaryKey: 'objectGUID', referenceKeys: ['dn'], options: { base } },
      ),
      memberships: ldapTable('memberships', ['group', 'member'], { options: { base } }),
      ous: ldapTable('ous', ['dn', { name: 'name', source: 'ou' }, 'description'], { options: { base } }),
    }
  }
  return {
    id: 'entryUUID',
    users: ldapTable(
      'users',
      [
        'entryUUID',
        'dn',
        'parent',
        'enabled:boolean',
        'uid',
        { name: 'name', source: 'cn' },
        'sn',
        'givenName',
        'description',
        'mail:string[]',
      ],
      {
        primaryKey: 'entryUUID',
        referenceKeys: ['dn', 'uid'],
        options: { base, disable: { attribute: 'employeeType', disabledValue: 'disabled' } },
      },
    ),
    groups: ldapTable(
      'groups',
      ['entryUUID', 'dn', 'parent', { name: 'name', source: 'cn' }, 'description', 'member:string[]'],
      { primaryKey: 'entryUUID', referenceKeys: ['dn'], options: { base } },
    ),
    memberships: ldapTable('memberships', ['group', 'member'], { options: { base } }),
    ous: ldapTable('ous', ['dn', { name: 'name', source: 'ou' }, 'description'], { options: { base } }),
  }
}

export async function fixtureOf(server: TestDirectory, label: string): Promise<Fixture> {
  const ou = await freshOu(server, label)
  return { server, ou, session: sessionOf(server), ...tablesOf(server, ou.dn) }
}

export async function release(f: Fixture | undefined): Promise<void> {
  await f?.session.close()
  await f?.ou.remove()
}

let sequence = 0

/** Applies `fn` of `table` as the executor would. */
export function apply(
  f: Pick<Fixture, 'session'>,
  table: TableSchema,
  fn: string,
  attributes: Row,
  key?: Operation['key'],
  signal?: AbortSignal,
): Promise<OperationResult> {
  const schema = ldapFunctions(table, f.session.config).find((s) => s.name === fn)
  assert.ok(schema, `${table.name} has ${fn}`)
  const operation: Operation = {
    id: `op-${++sequence}`,
    table: table.name,
    function: fn,
    semantics: schema.semantics,
    key,
    attributes,
  }
  return applyOperation(f.session, planOf(f.session, table), operation, { table, function: schema, signal })
}

/** Binds as `dn` with `password` on a client of its own; throws the directory's refusal. */
export async function bindAs(server: TestDirectory, dn: string, password: string): Promise<void> {
  const client = new Client({ url: server.url, tlsOptions: { ca: readFileSync(server.caFile) } })
  try {
    await client.bind(dn, password)
  } finally {
    await client.unbind().catch(() => undefined)
  }
}

export async function bindRefusal(
  server: TestDirectory,
  dn: string,
  password: string,
): Promise<{ code?: unknown; message: string }> {
  try {
    await bindAs(server, dn, password)
  } catch (error) {
    return error as { code?: unknown; message: string }
  }
  assert.fail(`the bind as ${dn} succeeded`)
}

/** The row of a result, asserted present. */
export function rowOfResult(result: OperationResult): Row {
  assert.ok(result.row, `a row read back (${result.message ?? 'no message'})`)
  return result.row
}

export const key = (column: string, value: Value) => ({ column, value })

/** The attributes of a new user named `name`, as each flavour needs them. */
export function newUser(f: Fixture, name: string, i: number, more: Row = {}): Row {
  return f.server.kind === 'ad'
    ? { name, sAMAccountName: `h${unique}${i}`, givenName: 'Zoë', ...more }
    : { uid: name, name, sn: 'Ødegård', ...more }
}

/** The RDN parameter of users: cn (`name`) on AD, uid on OpenLDAP. */
export const rdnOf = (f: Fixture) => (f.server.kind === 'ad' ? 'name' : 'uid')

export async function readAttribute(f: Fixture, dn: string, attribute: string): Promise<string[]> {
  const { searchEntries } = await f.ou.client.search(dn, { scope: 'base', attributes: [attribute] })
  return valuesOf(searchEntries[0]!, attribute).map(String)
}

/** The ProvisioError `work` fails with (a test failure when it succeeds or throws anything else). */
export async function failure(work: Promise<unknown>): Promise<ProvisioError> {
  try {
    await work
  } catch (error) {
    assert.ok(isProvisioError(error), `a ProvisioError: ${String(error)}`)
    return error
  }
  assert.fail('expected a failure')
}
