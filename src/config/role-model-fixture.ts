/**
 * Test support for the RoleModel kind: a directory with users, groups and a memberships table, and
 * the filters a role model names (member filters, a parameterized one, a generation filter, one
 * with an `output:` list and one with errors of its own). Used by the config and engine tests of
 * role models; not used outside tests.
 */
import { yaml } from './project-fixture.ts'

/** `systems/directory.yaml`: users (employeeID unique), groups and their memberships, on LDAP. */
export const ROLE_DIRECTORY_SYSTEM = yaml(
  'kind: System',
  'name: directory',
  'connector: ldap',
  'config: { flavour: ldap, url: ldap://127.0.0.1:389, allowPlainText: true, bindDN: cn=admin, password: "${env:LDAP_PASSWORD}", baseDN: dc=example }',
  'tables:',
  '  users:',
  '    primaryKey: dn',
  '    referenceKeys: [employeeID]',
  '    columns: { dn: string, employeeID: string, sAMAccountName: string, uid: integer }',
  '  groups:',
  '    primaryKey: dn',
  '    referenceKeys: [cn]',
  '    columns: { dn: string, cn: string, description: string, gid: integer }',
  '  memberships:',
  '    columns: { group: string, member: string }',
)

/** `filters/roles.yaml`: the filters the role models of the tests name. */
export const ROLE_FILTERS = [
  yaml(
    'kind: Filter',
    'name: current_staff',
    'start: hr.employees AS e',
    'parameters:',
    "  today: { type: date, default: '2026-12-01' }",
    'joins:',
    '  - { table: directory.users AS u, mode: any, via: employee_account }',
  ),
  yaml(
    'kind: Filter',
    'name: staff_in_unit',
    'start: hr.employees AS e',
    'parameters:',
    '  unit: string',
    "  today: { type: date, default: '2026-12-01' }",
    'where: e.home_unit = :unit',
    'joins:',
    '  - { table: directory.users AS u, mode: any, via: employee_account }',
  ),
  yaml(
    'kind: Filter',
    'name: departments',
    'start: hr.departments AS d',
    'parameters:',
    '  prefix: { type: string, default: DEP }',
    'columns:',
    '  group_name: "\'DEPGRP_\' || d.unit"',
  ),
  yaml(
    'kind: Filter',
    'name: listed_staff',
    'start: hr.employees AS e',
    'joins:',
    '  - { table: directory.users AS u, mode: any, via: employee_account }',
    'output: [e.employee_id, u.dn]',
  ),
  yaml('kind: Filter', 'name: broken', 'start: hr.nothing AS n'),
].join('---\n')
