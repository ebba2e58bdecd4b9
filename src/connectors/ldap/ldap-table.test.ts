/**
 * Table plans without a server: the attributes a table asks for, the member attributes per
 * flavour, and the tables a connection refuses (CON_LDAP_INVALID_OPTIONS) before it reads or writes
 * anything — options that do not parse, secret attributes as columns, options that do not fit the
 * columns — while `planTable` (what `functions` uses at validate time) never throws.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isProvisioError, silentLogger, type TableSchema } from '../../core/index.ts'
import type { Connection } from '../contract.ts'
import { ldapTable, type LdapColumnSpec } from '../../../test/support/ldap-kit.ts'
import { ldapConnector } from './ldap-connector.ts'
import { ldapConfigSchema } from './ldap-schema.ts'
import { requestedAttributes } from './ldap-search.ts'
import { checkedPlan, planTable } from './ldap-table.ts'

const config = (flavour: 'ad' | 'ldap') => ({ flavour, baseDN: 'dc=example,dc=test', pageSize: 500 })

function refusal(table: TableSchema, flavour: 'ad' | 'ldap' = 'ldap'): Error & { code?: string; details?: unknown } {
  try {
    checkedPlan(table, config(flavour))
  } catch (error) {
    assert.ok(isProvisioError(error), String(error))
    return error
  }
  assert.fail('expected a refusal')
}

const users = (columns: readonly LdapColumnSpec[], options: Record<string, unknown> = {}) =>
  ldapTable('users', columns, { options })

describe('checkedPlan refuses tables that do not fit', () => {
  it('refuses options that do not parse instead of using defaults (a write would land under baseDN)', () => {
    const table = users(['uid'], { base: 42, scope: 'deep' })
    const error = refusal(table)
    assert.equal(error.code, 'CON_LDAP_INVALID_OPTIONS')
    assert.match(error.message, /^Table dir\.users cannot be used: `options\.base`: .*; `options\.scope`: /)
    // planTable itself, as `functions` uses it during validate, does not throw.
    assert.equal(planTable(table, config('ldap')).problems.length, 2)
  })

  it('refuses secret attributes as columns, naming the table, the column and why', () => {
    const secrets = [
      'userPassword',
      'unicodePwd',
      'ms-Mcs-AdmPwd',
      'msLAPS-Password',
      'msLAPS-EncryptedPassword',
      'msDS-ManagedPassword',
      'supplementalCredentials',
      'ntPwdHistory',
      'lmPwdHistory',
      'dBCSPwd',
    ]
    for (const flavour of ['ad', 'ldap'] as const) {
      for (const secret of secrets) {
        const error = refusal(users(['dn', { name: 'hidden', source: secret.toUpperCase() }]), flavour)
        assert.equal(error.code, 'CON_LDAP_INVALID_OPTIONS', secret)
        assert.match(
          error.message,
          /^Table dir\.users cannot be used: column hidden reads [\w-]+, which holds a secret/,
        )
      }
    }
    // userPassword is no known binary attribute any more (its hash would read as base64).
    assert.deepEqual(planTable(users(['uid', 'userPassword']), config('ldap')).binaryAttributes, [])
  })

  it('refuses a memberships table without its group or member column (rows would repeat)', () => {
    const error = refusal(ldapTable('memberships', ['group', { name: 'name', source: 'cn' }]))
    assert.match(error.message, /declare the column member/)
    assert.match(refusal(ldapTable('memberships', ['cn'])).message, /declare the columns group and member/)
    assert.deepEqual(checkedPlan(ldapTable('memberships', ['group', 'member']), config('ad')).problems, [])
  })

  it('refuses `disable` on AD and on tables other than users', () => {
    const disable = { attribute: 'employeeType', disabledValue: 'disabled' }
    assert.match(refusal(users(['dn', 'enabled:boolean'], { disable }), 'ad').message, /`disable` is for flavour ldap/)
    assert.match(refusal(ldapTable('groups', ['cn'], { options: { disable } })).message, /users tables only/)
    assert.match(
      refusal(users(['dn'], { disable: { attribute: 'userPassword', disabledValue: '!' } })).message,
      /holds a secret/,
    )
  })

  it('refuses an enabled column on flavour ldap without `disable`, naming the option to add', () => {
    const error = refusal(users(['dn', 'enabled:boolean']))
    assert.match(error.message, /the column enabled needs the option `disable: \{ attribute, disabledValue \}`/)
    const disable = { attribute: 'employeeType', disabledValue: 'disabled' }
    assert.deepEqual(checkedPlan(users(['dn', 'enabled:boolean'], { disable }), config('ldap')).problems, [])
    assert.deepEqual(checkedPlan(users(['dn', 'enabled:boolean']), config('ad')).problems, [])
  })

  it('makes a connection refuse such a table in read, apply and lookup, before connecting', async () => {
    // Nothing listens on port 1: a refusal that tried to connect would say so instead.
    const parsed = ldapConfigSchema.parse({
      url: 'ldaps://127.0.0.1:1',
      bindDN: 'cn=admin,dc=example,dc=test',
      password: '${env:UNUSED}',
      baseDN: 'dc=example,dc=test',
    })
    const connection: Connection = await ldapConnector.open(
      { ...parsed, password: 'unused' },
      {
        projectDir: process.cwd(),
        logger: silentLogger,
        openDatabase: () => Promise.reject(new Error('no database')),
      },
    )
    const table = users(['entryUUID', 'uid', 'userPassword'])
    const codes = await Promise.all([
      (async () => {
        for await (const page of connection.read({ table })) assert.fail(`no page expected: ${page.rows.length}`)
      })().catch((error: { code?: string }) => error.code),
      connection.lookup!(table, 'uid', 'jan').catch((error: { code?: string }) => error.code),
      connection
        .apply(
          { id: 'op', table: 'users', function: 'user_delete', semantics: 'delete', attributes: {} },
          { table, function: { name: 'user_delete', semantics: 'delete', parameters: [] } as never },
        )
        .catch((error: { code?: string }) => error.code),
    ])
    assert.deepEqual(codes, ['CON_LDAP_INVALID_OPTIONS', 'CON_LDAP_INVALID_OPTIONS', 'CON_LDAP_INVALID_OPTIONS'])
    await connection.close()
  })
})

describe('the attributes a table asks for', () => {
  it('reads member and uniqueMember on flavour ldap, member on AD, the option when given', () => {
    const memberships = ldapTable('memberships', ['group', 'member'])
    assert.deepEqual(planTable(memberships, config('ldap')).memberAttributes, ['member', 'uniqueMember'])
    assert.deepEqual(requestedAttributes(planTable(memberships, config('ldap'))), ['member', 'uniqueMember'])
    assert.deepEqual(requestedAttributes(planTable(memberships, config('ad'))), ['member'])
    const memberUid = ldapTable('memberships', ['group', 'member'], { options: { memberAttribute: 'memberUid' } })
    assert.deepEqual(requestedAttributes(planTable(memberUid, config('ldap'))), ['memberUid'])
    const groups = ldapTable('groups', ['cn', 'member:string[]'])
    assert.deepEqual(requestedAttributes(planTable(groups, config('ldap'))), ['cn', 'member', 'uniqueMember'])
    // Writes go to one attribute: member unless the option says otherwise.
    assert.equal(planTable(groups, config('ldap')).memberAttribute, 'member')
  })

  it('asks for 1.1 (nothing) for virtual columns only, each attribute once otherwise', () => {
    assert.deepEqual(requestedAttributes(planTable(users(['dn', 'parent']), config('ad'))), ['1.1'])
    assert.deepEqual(requestedAttributes(planTable(users(['dn', 'enabled:boolean']), config('ad'))), [
      'userAccountControl',
    ])
    assert.deepEqual(
      requestedAttributes(planTable(users(['cn', { name: 'name', source: 'CN' }]), config('ad')), ['cn', 'mail']),
      ['cn', 'mail'],
    )
  })
})
