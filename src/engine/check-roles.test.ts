import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { FunctionSchema, Issue } from '../core/index.ts'
import { isProvisioError } from '../core/index.ts'
import { brief, removeFixtures, validateWith } from '../config/filter-fixture.ts'
import { yaml } from '../config/project-fixture.ts'
import { ROLE_DIRECTORY_SYSTEM, ROLE_FILTERS } from '../config/role-model-fixture.ts'
import type { ValidatedProject } from '../config/index.ts'
import { CliContext } from '../cli/context.ts'
import { checkRoleModels, resolveMembershipsTable } from './check-roles.ts'
import type { FunctionsOf } from './functions.ts'

after(removeFixtures)

/** The fixture project (HR, an LDAP directory with a memberships table, the role filters) plus the model. */
async function project(
  modelLines: readonly string[],
  files: Readonly<Record<string, string>> = {},
): Promise<ValidatedProject> {
  const { project: validated, issues } = await validateWith({
    'systems/directory.yaml': ROLE_DIRECTORY_SYSTEM,
    'filters/roles.yaml': ROLE_FILTERS,
    'roles/model.yaml': yaml(...modelLines),
    ...files,
  })
  const ours = issues.filter((i) => i.file !== 'filters/roles.yaml') // its filter `broken` is broken on purpose
  assert.deepEqual(brief(ours), [], 'the configuration itself is valid')
  assert.equal(validated.roleModels.length, 1, 'the model resolves')
  return validated
}

const head = ['kind: RoleModel', 'name: access', 'roles:'] // lines 1-3

/** A role over current_staff with one item: lines 4-7, the item at line 7. */
const role = (name: string, item: string) => [
  `  - name: ${name}`,
  '    filter: current_staff',
  '    items:',
  `      - ${item}`,
]

const ITEM = '{ system: directory, groupTable: groups, groupKey: dn, nameColumn: cn, member: u.dn, groups: [A] }'

/** A generator over departments binding staff_in_unit's unit, with `items` (from line 11). */
const generator = (roleName: string, bind: string, ...items: string[]) => [
  'generators:', // 4
  '  - name: departments', // 5
  '    filter: departments', // 6
  `    roleName: ${roleName}`, // 7
  '    members:', // 8
  '      filter: staff_in_unit', // 9
  `      bind: ${bind}`, // 10
  '    items:', // 11
  ...items.map((item) => `      - ${item}`), // 12…
]

describe('checkRoleModels', () => {
  it("accepts a model whose items fit the LDAP connector's memberships table and whose expressions fit", async () => {
    const validated = await project([
      ...head,
      ...role('staff', ITEM),
      ...generator(
        '"\'DEP_\' || d.unit"',
        '{ unit: d.unit }',
        '{ system: directory, groupTable: groups, groupKey: dn, nameColumn: cn, member: u.dn, group: group_name }',
        "{ system: directory, groupTable: groups, groupKey: dn, member: u.dn, membershipsTable: memberships, match: 'X*' }",
      ),
    ])
    assert.deepEqual(brief(checkRoleModels(validated)), [])
    const { table, add, remove } = resolveMembershipsTable(validated, validated.roleModels[0]!.roles[0]!.items[0]!)
    assert.deepEqual([table.name, add.name, remove.name], ['memberships', 'membership_add', 'membership_remove'])
  })

  it('reports a system without a memberships table, read-only or not', async () => {
    const validated = await project([
      ...head,
      ...role('hr_role', '{ system: hr, groupTable: departments, groupKey: unit, member: u.dn, groups: [A] }'),
    ])
    assert.deepEqual(brief(checkRoleModels(validated)), [
      "roles/model.yaml:7:19 ENG_NO_MEMBERSHIPS_TABLE System 'hr' is read-only: its connector 'csv' offers no functions, so no memberships can be written. | Target a system whose connector can write memberships (ldap, sql).",
    ])
    const withoutMemberships = ROLE_DIRECTORY_SYSTEM.replace(/ {2}memberships:\n.*\n$/, '')
    const noTable = await project([...head, ...role('staff', ITEM)], {
      'systems/directory.yaml': withoutMemberships,
    })
    assert.deepEqual(brief(checkRoleModels(noTable)), [
      "roles/model.yaml:7:19 ENG_NO_MEMBERSHIPS_TABLE No table of system 'directory' adds and removes memberships (functions with semantics membership-add and membership-remove). | Declare the system's memberships table (docs/connectors/ldap.md says how), or target another system.",
    ])
  })

  it('reports several memberships tables without `membershipsTable:`, and a named table that is none', async () => {
    const validated = await project([
      ...head,
      ...role('staff', ITEM), // 4-7
      ...role('named', ITEM.replace('groups: [A]', 'membershipsTable: groups, groups: [A]')), // 8-11
    ])
    const membership = (table: string, parameters: readonly string[]): FunctionSchema[] =>
      (['membership-add', 'membership-remove'] as const).map((semantics) => ({
        name: `${table}_${semantics}`,
        table,
        semantics,
        parameters: parameters.map((name) => ({ name, type: 'string', allowance: 'mandatory' })),
      }))
    const twoTables: FunctionsOf = (_system, table) =>
      table.name === 'memberships' || table.name === 'users' ? membership(table.name, ['group', 'member']) : []
    assert.deepEqual(brief(checkRoleModels(validated, undefined, { functionsOf: twoTables })), [
      "roles/model.yaml:7:19 ENG_AMBIGUOUS_MEMBERSHIPS_TABLE Several tables of system 'directory' add and remove memberships: users, memberships. | Say which one the item writes with `membershipsTable: users` (or memberships).",
      "roles/model.yaml:11:112 ENG_NO_MEMBERSHIP_FUNCTIONS Table directory.groups offers no function with semantics membership-add or membership-remove: it is not a memberships table. | Name the system's memberships table in `membershipsTable:`, or leave it out to use the only one. Functions on directory.groups: (none).",
    ])
    const noMember: FunctionsOf = (_system, table) =>
      table.name === 'memberships' ? membership(table.name, ['group', 'user']) : []
    assert.deepEqual(
      checkRoleModels(validated, undefined, { functionsOf: noMember }).map((i) => `${i.line}:${i.column} ${i.message}`),
      [
        "7:19 Function memberships_membership-add (membership-add) of directory.memberships takes no parameter 'member'; membership functions take 'group' and 'member'.",
        '11:112 Table directory.groups offers no function with semantics membership-add or membership-remove: it is not a memberships table.',
      ],
    )
  })

  it("checks the member column against the member filter's compiled output, and the types against the parameters", async () => {
    const validated = await project([
      ...head,
      ...role('staff', ITEM.replace('member: u.dn', 'member: u.dm')), // 4-7
      ...role('by_uid', ITEM.replace('member: u.dn', 'member: u.uid')), // 8-11
      ...role('by_gid', ITEM.replace('groupKey: dn', 'groupKey: gid')), // 12-15
    ])
    assert.deepEqual(brief(checkRoleModels(validated)), [
      "roles/model.yaml:7:88 ENG_UNKNOWN_MEMBER_COLUMN Column 'u.dm' is not an output column of member filter 'current_staff'. | Did you mean 'u.dn'?",
      "roles/model.yaml:11:88 ENG_TYPE_MISMATCH Member column 'u.uid' is integer, but parameter 'member' of membership_add is string. | Convert with to_text(value).",
      "roles/model.yaml:15:60 ENG_TYPE_MISMATCH Group key directory.groups.gid is integer, but parameter 'group' of membership_add is string. | Name the group table's column that holds what memberships stores for a group (a string).",
    ])
  })

  it("type-checks a generator's role name, bindings and group expression over the generation row", async () => {
    const validated = await project([
      'kind: RoleModel',
      'name: access',
      'roles: []', // 3
      ...generator(
        'length(d.unit)', // 7
        '{ unit: d.unit, today: d.name }', // 10
        '{ system: directory, groupTable: groups, groupKey: dn, nameColumn: cn, member: u.dn, group: d.nmae }', // 12
        '{ system: directory, groupTable: groups, groupKey: dn, nameColumn: cn, member: u.dn, group: "d.unit = \'x\'" }', // 13
      ),
    ])
    const issues = checkRoleModels(validated)
    assert.deepEqual(
      issues.map((i: Issue) => `${i.line}:${i.column} ${i.code} ${i.message}`),
      [
        '7:15 ENG_TYPE_MISMATCH The role name is integer, but must be string.',
        "10:36 ENG_TYPE_MISMATCH The value bound to parameter 'today' is string, but must be date.",
        "12:101 EXPR_UNKNOWN_COLUMN 'd' has no column 'nmae'.",
        '13:101 ENG_TYPE_MISMATCH The group name is boolean, but must be string.',
      ],
    )
    assert.equal(issues.find((i) => i.line === 12)?.hint, "Did you mean 'name'?")
  })

  it('is part of `provisio validate`', async () => {
    const validated = await project([...head, ...role('staff', ITEM.replace('member: u.dn', 'member: u.dm'))])
    const context = new CliContext({ project: validated.dir, json: false, quiet: true })
    const { issues } = await context.validate()
    assert.ok(issues.some((i) => i.code === 'ENG_UNKNOWN_MEMBER_COLUMN' && i.file === 'roles/model.yaml'))
  })
})

describe('resolveMembershipsTable', () => {
  it('throws the coded problem when the memberships table cannot be resolved', async () => {
    const validated = await project([...head, ...role('staff', ITEM)])
    const item = validated.roleModels[0]!.roles[0]!.items[0]!
    assert.throws(
      () => resolveMembershipsTable(validated, item, () => []),
      (error: unknown) => isProvisioError(error) && error.code === 'ENG_NO_MEMBERSHIPS_TABLE',
    )
    assert.throws(
      () => resolveMembershipsTable(validated, { ...item, system: 'gone' }),
      (error: unknown) => isProvisioError(error) && error.code === 'ENG_ROLE_MODEL_UNRESOLVED',
    )
  })
})
