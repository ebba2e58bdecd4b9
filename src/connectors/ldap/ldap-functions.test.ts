/**
 * The functions an LDAP table offers, from its declaration alone: names by the kind of objects,
 * semantics, parameters with their allowance, secret and column, and key columns. Pure: no server.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { FunctionParameter, FunctionSchema } from '../../core/index.ts'
import { ldapTable } from '../../../test/support/ldap-kit.ts'
import { ldapFunctions } from './ldap-functions.ts'

const AD = { flavour: 'ad', baseDN: 'DC=example,DC=test', pageSize: 500 } as const
const LDAP = { flavour: 'ldap', baseDN: 'dc=example,dc=test', pageSize: 500 } as const

function fn(functions: readonly FunctionSchema[], name: string): FunctionSchema {
  const found = functions.find((f) => f.name === name)
  assert.ok(found, `${name} among ${functions.map((f) => f.name).join(', ')}`)
  return found
}

function parameter(f: FunctionSchema, name: string): FunctionParameter {
  const found = f.parameters.find((p) => p.name === name)
  assert.ok(found, `${f.name} has parameter ${name}: ${f.parameters.map((p) => p.name).join(', ')}`)
  return found
}

/** name → allowance, for compact comparisons. */
const allowances = (f: FunctionSchema) => Object.fromEntries(f.parameters.map((p) => [p.name, p.allowance]))

const adUsers = ldapTable(
  'accounts',
  [
    'objectGUID',
    'dn',
    { name: 'container', source: 'parent' },
    'enabled:boolean',
    { name: 'name', source: 'cn' },
    'sAMAccountName',
    'givenName',
    'memberOf:string[]',
    'whenChanged:datetime',
    'userAccountControl:integer',
    'objectClass:string[]',
  ],
  { primaryKey: 'objectGUID', referenceKeys: ['dn', 'sAMAccountName'], options: { objects: 'users' } },
)

describe('ldapFunctions', () => {
  it('names the functions of an AD users table by its kind of objects, not by the table name', () => {
    const functions = ldapFunctions(adUsers, AD)
    assert.deepEqual(
      functions.map((f) => [f.name, f.semantics, f.table]),
      [
        ['user_create', 'create', 'accounts'],
        ['user_update', 'update', 'accounts'],
        ['user_rename', 'move', 'accounts'],
        ['user_move', 'move', 'accounts'],
        ['user_enable', 'enable', 'accounts'],
        ['user_disable', 'disable', 'accounts'],
        ['user_delete', 'delete', 'accounts'],
      ],
    )
    for (const f of functions.filter((f) => f.semantics !== 'create')) assert.equal(f.keyColumn, 'objectGUID', f.name)
    assert.equal(fn(functions, 'user_create').keyColumn, undefined)
  })

  it('gives user_create the RDN column, sAMAccountName mandatory, read-only attributes prohibited, parent, enabled and a secret password', () => {
    const create = fn(ldapFunctions(adUsers, AD), 'user_create')
    assert.deepEqual(allowances(create), {
      name: 'mandatory',
      objectGUID: 'prohibited',
      sAMAccountName: 'mandatory',
      givenName: 'optional',
      memberOf: 'prohibited',
      whenChanged: 'prohibited',
      userAccountControl: 'optional',
      objectClass: 'prohibited',
      dn: 'prohibited',
      parent: 'optional',
      enabled: 'optional',
      password: 'optional',
    })
    assert.equal(parameter(create, 'name').column, 'name')
    assert.equal(parameter(create, 'parent').column, 'container')
    assert.equal(parameter(create, 'enabled').column, 'enabled')
    assert.equal(parameter(create, 'enabled').type, 'boolean')
    assert.equal(parameter(create, 'password').secret, true)
    assert.equal(parameter(create, 'password').column, undefined)
    assert.match(parameter(create, 'password').description!, /unicodePwd/)
    assert.match(parameter(create, 'parent').description!, /DC=example,DC=test/)
  })

  it('prohibits every back-link, not only memberOf: the directory maintains them on the other end', () => {
    const users = ldapTable(
      'users',
      [
        'objectGUID',
        { name: 'name', source: 'cn' },
        'sAMAccountName',
        'manager',
        'directReports:string[]',
        'managedObjects:string[]',
        'msDS-MemberOfBL:string[]',
        'isMemberOf:string[]',
      ],
      { primaryKey: 'objectGUID', options: { objects: 'users' } },
    )
    for (const f of ['user_create', 'user_update']) {
      const fnSchema = fn(ldapFunctions(users, AD), f)
      for (const name of ['directReports', 'managedObjects', 'msDS-MemberOfBL', 'isMemberOf']) {
        assert.equal(parameter(fnSchema, name).allowance, 'prohibited', `${f} ${name}`)
        assert.match(parameter(fnSchema, name).description!, /the directory maintains it/)
      }
      assert.equal(parameter(fnSchema, 'manager').allowance, 'optional', 'the forward link is written')
    }
  })

  it('prohibits on user_update what other functions change, naming them', () => {
    const update = fn(ldapFunctions(adUsers, AD), 'user_update')
    assert.equal(parameter(update, 'name').allowance, 'prohibited')
    assert.match(parameter(update, 'name').description!, /user_rename/)
    assert.match(parameter(update, 'parent').description!, /user_move/)
    assert.match(parameter(update, 'enabled').description!, /user_enable/)
    assert.equal(parameter(update, 'objectGUID').allowance, 'prohibited', 'the key names the row')
    assert.equal(parameter(update, 'givenName').allowance, 'optional')
    assert.equal(parameter(update, 'sAMAccountName').allowance, 'optional')
    assert.equal(parameter(update, 'password').secret, true)
    assert.equal(parameter(update, 'password').allowance, 'optional')
  })

  it('gives rename the RDN column and move the parent, both mandatory; enable, disable and delete nothing', () => {
    const functions = ldapFunctions(adUsers, AD)
    assert.deepEqual(allowances(fn(functions, 'user_rename')), { name: 'mandatory' })
    assert.equal(parameter(fn(functions, 'user_rename'), 'name').column, 'name')
    assert.deepEqual(allowances(fn(functions, 'user_move')), { parent: 'mandatory' })
    assert.equal(parameter(fn(functions, 'user_move'), 'parent').column, 'container')
    for (const name of ['user_enable', 'user_disable', 'user_delete'])
      assert.deepEqual(fn(functions, name).parameters, [])
  })

  it('offers enable and disable on ldap users only with the disable option, and names the RDN parameter by the attribute when undeclared', () => {
    const users = ldapTable('users', ['entryUUID', 'cn', 'sn', 'mail:string[]', 'userPassword'], {
      primaryKey: 'entryUUID',
    })
    const plain = ldapFunctions(users, LDAP)
    assert.deepEqual(
      plain.map((f) => f.name),
      ['user_create', 'user_update', 'user_rename', 'user_move', 'user_delete'],
    )
    const create = fn(plain, 'user_create')
    // uid is the RDN of ldap users; undeclared, the parameter is named by the attribute.
    assert.deepEqual(parameter(create, 'uid'), {
      name: 'uid',
      type: 'string',
      allowance: 'mandatory',
      description: 'The uid of the new entry: its DN is uid=<value>,<parent>.',
    })
    // inetOrgPerson (person) requires cn and sn.
    assert.equal(parameter(create, 'cn').allowance, 'mandatory')
    assert.equal(parameter(create, 'sn').allowance, 'mandatory')
    assert.equal(parameter(create, 'mail').allowance, 'optional')
    assert.equal(parameter(create, 'userPassword').allowance, 'prohibited')
    assert.match(parameter(create, 'userPassword').description!, /password/)
    assert.equal(parameter(create, 'entryUUID').allowance, 'prohibited')
    assert.equal(
      create.parameters.some((p) => p.name === 'enabled'),
      false,
    )
    assert.match(parameter(create, 'password').description!, /Password Modify/)

    const disabling = ldapFunctions(
      ldapTable('users', ['entryUUID', 'uid', 'cn', 'sn', 'enabled:boolean'], {
        primaryKey: 'entryUUID',
        options: { disable: { attribute: 'employeeType', disabledValue: 'disabled' } },
      }),
      LDAP,
    )
    assert.deepEqual(
      disabling.map((f) => f.name),
      ['user_create', 'user_update', 'user_rename', 'user_move', 'user_enable', 'user_disable', 'user_delete'],
    )
    assert.equal(parameter(fn(disabling, 'user_create'), 'enabled').allowance, 'optional')
    assert.match(fn(disabling, 'user_disable').description!, /employeeType/)
  })

  it('gives groups no password or enabled, sAMAccountName optional on AD (it defaults to the cn)', () => {
    const groups = ldapTable('groups', ['objectGUID', 'dn', 'cn', 'sAMAccountName', 'description', 'member:string[]'], {
      primaryKey: 'objectGUID',
    })
    const functions = ldapFunctions(groups, AD)
    assert.deepEqual(
      functions.map((f) => f.name),
      ['group_create', 'group_update', 'group_rename', 'group_move', 'group_delete'],
    )
    const create = fn(functions, 'group_create')
    assert.deepEqual(allowances(create), {
      cn: 'mandatory',
      objectGUID: 'prohibited',
      sAMAccountName: 'optional',
      description: 'optional',
      member: 'optional',
      dn: 'prohibited',
      parent: 'optional',
    })
    assert.match(create.description!, /-2147483646/)
  })

  it('gives OUs create, update and delete, keyed by the dn column when there is no primary key', () => {
    const ous = ldapTable('ous', ['dn', 'ou', 'description'])
    const functions = ldapFunctions(ous, LDAP)
    assert.deepEqual(
      functions.map((f) => [f.name, f.keyColumn]),
      [
        ['ou_create', undefined],
        ['ou_update', 'dn'],
        ['ou_delete', 'dn'],
      ],
    )
    assert.equal(parameter(fn(functions, 'ou_update'), 'dn').allowance, 'prohibited')
  })

  it('offers only create on a table without a primary key or dn column', () => {
    const functions = ldapFunctions(ldapTable('groups', ['cn', 'description']), LDAP)
    assert.deepEqual(
      functions.map((f) => f.name),
      ['group_create'],
    )
  })

  it('gives memberships add and remove with mandatory group and member DNs, naming the declared columns', () => {
    const memberships = ldapTable('memberships', [
      { name: 'groupDn', source: 'group' },
      { name: 'memberDn', source: 'member' },
    ])
    const functions = ldapFunctions(memberships, AD)
    assert.deepEqual(
      functions.map((f) => [f.name, f.semantics, f.keyColumn]),
      [
        ['membership_add', 'membership-add', undefined],
        ['membership_remove', 'membership-remove', undefined],
      ],
    )
    for (const f of functions) {
      assert.deepEqual(
        f.parameters.map((p) => [p.name, p.allowance, p.column]),
        [
          ['group', 'mandatory', 'groupDn'],
          ['member', 'mandatory', 'memberDn'],
        ],
      )
    }
    const uids = ldapFunctions(
      ldapTable('memberships', ['group', 'member'], { options: { memberAttribute: 'memberUid' } }),
      LDAP,
    )
    assert.match(parameter(fn(uids, 'membership_add'), 'member').description!, /uid/)
  })

  it('lets a fixed parameter win over a real column of the same name', () => {
    const users = ldapTable('users', ['objectGUID', 'cn', { name: 'password', source: 'info' }], {
      primaryKey: 'objectGUID',
    })
    const create = fn(ldapFunctions(users, AD), 'user_create')
    const passwords = create.parameters.filter((p) => p.name === 'password')
    assert.equal(passwords.length, 1)
    assert.equal(passwords[0]!.secret, true)
  })
})
