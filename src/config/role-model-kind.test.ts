import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { Issue } from '../core/index.ts'
import { brief, removeFixtures, validateWith } from './filter-fixture.ts'
import { yaml } from './project-fixture.ts'
import { ROLE_DIRECTORY_SYSTEM, ROLE_FILTERS } from './role-model-fixture.ts'
import { validateStoredRoleModel } from './role-model-stored.ts'

after(removeFixtures)

/** Validates the fixture project (HR, the role directory, the role filters) plus `files`. */
async function project(files: Readonly<Record<string, string>>) {
  return validateWith({ 'systems/directory.yaml': ROLE_DIRECTORY_SYSTEM, 'filters/roles.yaml': ROLE_FILTERS, ...files })
}

/** Validates the fixture project with `roles/model.yaml` holding `lines`. */
async function model(...lines: string[]) {
  return project({ 'roles/model.yaml': yaml(...lines) })
}

/** Every issue but the fixture's own (its filter `broken` has an error on purpose). */
function ours(issues: readonly Issue[]): Issue[] {
  return issues.filter((i) => i.file !== 'filters/roles.yaml')
}

/** The issues of the model file, as brief lines. */
async function issuesOf(...lines: string[]) {
  const { issues } = await model(...lines)
  return brief(issues.filter((i) => i.file === 'roles/model.yaml'))
}

const head = ['kind: RoleModel', 'name: access'] // lines 1-2

/** One valid item, at line `n` of a role's `items:` list (the role starts at `- name:`). */
const item = (groups: string) =>
  `      - { system: directory, groupTable: groups, groupKey: dn, nameColumn: cn, member: u.dn, ${groups} }`

/** A role whose item is `itemLine`: the role's lines 4-7, its item at line 7. */
const role = (name: string, itemLine: string) => [
  `  - name: ${name}`,
  '    filter: current_staff',
  '    items:',
  itemLine,
]

describe('RoleModel kind', () => {
  it('resolves roles and generators with names as declared, defaults, parameter values and expressions as text', async () => {
    const { project: validated, issues } = await model(
      ...head,
      'description: Who is in which group.', // 3
      'roles:', // 4
      '  - name: all_staff', // 5
      '    description: Everyone.', // 6
      '    filter: Current_Staff', // 7
      "    parameters: { today: '2026-11-30' }", // 8
      '    items:', // 9
      '      - system: Directory', // 10
      '        groupTable: groups', // 11
      '        groupKey: dn', // 12
      '        nameColumn: cn', // 13
      '        member: u.dn', // 14
      '        membershipsTable: memberships', // 15
      '        groups: [ALL_STAFF, 2026]', // 16
      '  - name: admins', // 17
      '    filter: listed_staff', // 18
      '    items:', // 19
      "      - { system: directory, groupTable: groups, groupKey: dn, member: u.dn, match: 'ADM_*' }", // 20
      'generators:', // 21
      '  - name: department_roles', // 22
      '    filter: departments', // 23
      '    roleName: "\'DEP_\' || d.unit"', // 24
      '    members:', // 25
      '      filter: staff_in_unit', // 26
      "      parameters: { today: '2026-12-31' }", // 27
      '      bind: { unit: d.unit }', // 28
      '    items:', // 29
      '      - system: directory', // 30
      '        groupTable: groups', // 31
      '        groupKey: dn', // 32
      '        nameColumn: cn', // 33
      '        member: u.dn', // 34
      '        group: group_name', // 35
      '  - name: quiet', // 36
      '    enabled: false', // 37
      '    filter: departments', // 38
      "    parameters: { prefix: 'X' }", // 39
      '    roleName: d.unit', // 40
      '    members: { filter: staff_in_unit, bind: { unit: d.unit } }', // 41
      '    items:', // 42
      item('groups: [QUIET]'), // 43
    )
    assert.deepEqual(brief(ours(issues)), [])
    assert.equal(validated.roleModels.length, 1)
    const { document, ...resolved } = validated.roleModels[0]!
    assert.equal(document.kind, 'RoleModel')
    const groupsItem = (groups: object, path: (string | number)[], more: object = {}) => ({
      system: 'directory',
      groupTable: 'groups',
      groupKey: 'dn',
      nameColumn: 'cn',
      member: 'u.dn',
      ...more,
      groups,
      path,
    })
    assert.deepEqual(resolved, {
      name: 'access',
      description: 'Who is in which group.',
      roles: [
        {
          name: 'all_staff',
          description: 'Everyone.',
          filter: 'current_staff',
          parameters: { today: '2026-11-30' },
          items: [
            groupsItem({ kind: 'names', names: ['ALL_STAFF', '2026'] }, ['roles', 0, 'items', 0], {
              membershipsTable: 'memberships',
            }),
          ],
          path: ['roles', 0],
        },
        {
          name: 'admins',
          filter: 'listed_staff',
          parameters: {},
          items: [groupsItem({ kind: 'match', pattern: 'ADM_*' }, ['roles', 1, 'items', 0], { nameColumn: 'dn' })],
          path: ['roles', 1],
        },
      ],
      generators: [
        {
          name: 'department_roles',
          enabled: true,
          filter: 'departments',
          parameters: {},
          roleName: { text: "'DEP_' || d.unit", path: ['generators', 0, 'roleName'] },
          members: {
            filter: 'staff_in_unit',
            parameters: { today: '2026-12-31' },
            bind: [
              { parameter: 'unit', expression: { text: 'd.unit', path: ['generators', 0, 'members', 'bind', 'unit'] } },
            ],
          },
          items: [
            groupsItem(
              {
                kind: 'expression',
                expression: { text: 'group_name', path: ['generators', 0, 'items', 0, 'group'] },
              },
              ['generators', 0, 'items', 0],
            ),
          ],
          path: ['generators', 0],
        },
        {
          name: 'quiet',
          enabled: false,
          filter: 'departments',
          parameters: { prefix: 'X' },
          roleName: { text: 'd.unit', path: ['generators', 1, 'roleName'] },
          members: {
            filter: 'staff_in_unit',
            parameters: {},
            bind: [
              { parameter: 'unit', expression: { text: 'd.unit', path: ['generators', 1, 'members', 'bind', 'unit'] } },
            ],
          },
          items: [groupsItem({ kind: 'names', names: ['QUIET'] }, ['generators', 1, 'items', 0])],
          path: ['generators', 1],
        },
      ],
      file: 'roles/model.yaml',
    })
  })

  it('accepts an empty model: it manages no groups', async () => {
    const { project: validated, issues } = await model(...head)
    assert.deepEqual(brief(ours(issues)), [])
    assert.deepEqual(
      validated.roleModels.map((m) => [m.roles.length, m.generators.length]),
      [[0, 0]],
    )
  })

  it('reports schema problems at once, positioned, with did-you-mean for keys', async () => {
    assert.deepEqual(
      await issuesOf(
        ...head,
        'roles:', // 3
        '  - name: r', // 4
        '    filter: current_staff', // 5
        '    items: []', // 6
        '  - name: s', // 7
        '    filter: current_staff', // 8
        '    items:', // 9
        '      - { system: directory, groupTable: groups, groupKye: dn, member: u.dn, groups: [] }', // 10
        'generators:', // 11
        '  - name: g', // 12
        '    filter: departments', // 13
        '    roleName: d.unit', // 14
        '    members: { filter: staff_in_unit, bind: {} }', // 15
        '    items:', // 16
        item('groups: [A]'), // 17
      ),
      [
        'roles/model.yaml:6:12 CFG_INVALID_VALUE Expected a list of at least 1 item. | Correct the value as the message describes.',
        "roles/model.yaml:10:9 CFG_MISSING_KEY Missing required key 'groupKey' in roles[1].items[0]. | Add `groupKey:` in roles[1].items[0].",
        "roles/model.yaml:10:50 CFG_UNKNOWN_KEY Unknown key 'groupKye' in roles[1].items[0]. | Did you mean 'groupKey'?",
        'roles/model.yaml:10:86 CFG_INVALID_VALUE Expected a list of at least 1 item. | Correct the value as the message describes.',
        'roles/model.yaml:15:45 CFG_INVALID_VALUE Expected at least one member-filter parameter bound to an expression over the generation row. | Correct the value as the message describes.',
      ],
    )
  })

  it('reports an unknown filter with did-you-mean, and says nothing more about a filter with errors of its own', async () => {
    const { project: validated, issues } = await model(
      ...head,
      'roles:', // 3
      '  - name: r', // 4
      '    filter: curent_staff', // 5
      '    items:', // 6
      item('groups: [A]'), // 7
      '  - name: s', // 8
      '    filter: broken', // 9
      '    items:', // 10
      item('groups: [B]'), // 11
      'generators:', // 12
      '  - name: g', // 13
      '    filter: departmnts', // 14
      '    roleName: d.unit', // 15
      '    members: { filter: staff_in_units, bind: { unit: d.unit } }', // 16
      '    items:', // 17
      item('groups: [C]'), // 18
    )
    assert.deepEqual(brief(issues.filter((i) => i.file === 'roles/model.yaml')), [
      "roles/model.yaml:5:13 CFG_UNKNOWN_DOCUMENT There is no filter 'curent_staff' (kind Filter) in the project. | Did you mean 'current_staff'?",
      "roles/model.yaml:14:13 CFG_UNKNOWN_DOCUMENT There is no filter 'departmnts' (kind Filter) in the project. | Did you mean 'departments'?",
      "roles/model.yaml:16:24 CFG_UNKNOWN_DOCUMENT There is no filter 'staff_in_units' (kind Filter) in the project. | Did you mean 'staff_in_unit'?",
    ])
    assert.ok(issues.some((i) => i.file === 'filters/roles.yaml' && i.code === 'CFG_UNKNOWN_TABLE'))
    assert.deepEqual(validated.roleModels, [])
  })

  it('reports unknown systems, tables and columns with did-you-mean, at the value', async () => {
    assert.deepEqual(
      await issuesOf(
        ...head,
        'roles:', // 3
        ...role('r', '      - { system: directroy, groupTable: groups, groupKey: dn, member: u.dn, groups: [A] }'), // 4-7
        ...role('s', '      - { system: directory, groupTable: group, groupKey: dn, member: u.dn, groups: [A] }'), // 8-11
        ...role(
          't',
          '      - { system: directory, groupTable: groups, groupKey: DN, nameColumn: cm, member: u.dn, groups: [A] }',
        ), // 12-15
        ...role(
          'u',
          '      - { system: directory, groupTable: groups, groupKey: dn, member: u.dn, membershipsTable: members, groups: [A] }',
        ), // 16-19
      ),
      [
        "roles/model.yaml:7:19 CFG_UNKNOWN_SYSTEM System 'directroy' is not declared in the project. | Did you mean 'directory'?",
        "roles/model.yaml:11:42 CFG_UNKNOWN_TABLE Table 'group' is not declared in system 'directory'. | Did you mean 'groups'?",
        "roles/model.yaml:15:60 CFG_UNKNOWN_COLUMN Column 'DN' is not declared in table 'directory.groups'. | Did you mean 'dn'?",
        "roles/model.yaml:15:76 CFG_UNKNOWN_COLUMN Column 'cm' is not declared in table 'directory.groups'. | Did you mean 'cn'?",
        "roles/model.yaml:19:96 CFG_UNKNOWN_TABLE Table 'members' is not declared in system 'directory'. | Use one of the tables of 'directory': users, groups, memberships.",
      ],
    )
  })

  it("checks the member column against a member filter's output list", async () => {
    assert.deepEqual(
      await issuesOf(
        ...head,
        'roles:', // 3
        '  - name: r', // 4
        '    filter: listed_staff', // 5
        '    items:', // 6
        '      - { system: directory, groupTable: groups, groupKey: dn, member: u.dm, groups: [A] }', // 7
        '      - { system: directory, groupTable: groups, groupKey: dn, member: e.employee_id, groups: [A] }', // 8
      ),
      [
        "roles/model.yaml:7:72 CFG_UNKNOWN_COLUMN Column 'u.dm' is not in the output of filter 'listed_staff'. | Did you mean 'u.dn'?",
      ],
    )
  })

  it('takes exactly one of groups, match and (in generators) group', async () => {
    assert.deepEqual(
      await issuesOf(
        ...head,
        'roles:', // 3
        ...role('both', item("groups: [A], match: 'B*'")), // 4-7
        ...role('none', '      - { system: directory, groupTable: groups, groupKey: dn, member: u.dn }'), // 8-11
        ...role('expression', item('group: "\'G_\' || e.employee_id"')), // 12-15
        'generators:', // 16
        '  - name: g', // 17
        '    filter: departments', // 18
        '    roleName: d.unit', // 19
        '    members: { filter: staff_in_unit, bind: { unit: d.unit } }', // 20
        '    items:', // 21
        item("match: 'A*', group: group_name"), // 22
        item('group: "\'G_\' ||"'), // 23
      ),
      [
        'roles/model.yaml:7:107 CFG_CONFLICTING_KEYS The role item gives both `groups:` and `match:`; it takes exactly one of `groups:` or `match:`. | Keep `groups:` or `match:` and remove the other.',
        "roles/model.yaml:11:11 CFG_MISSING_KEY The role item grants no groups: give one of `groups:` or `match:`. | Add `groups: [NAME, …]` for fixed groups or `match: 'PATTERN*'` for every group whose name matches.",
        "roles/model.yaml:15:94 CFG_UNKNOWN_KEY A role's item names its groups with `groups:` or `match:`; `group:` (an expression over the generation row) is for role generators. | Write `groups: [NAME]` or `match: 'PATTERN*'`, or move the role into a role generator.",
        'roles/model.yaml:22:107 CFG_CONFLICTING_KEYS The role item gives both `match:` and `group:`; it takes exactly one of `groups:`, `match:` or `group:`. | Keep `match:` or `group:` and remove the other.',
        'roles/model.yaml:23:109 EXPR_SYNTAX Expected a value, a column or a function call, found the end of the expression. | ',
      ],
    )
  })

  it('reports duplicate role and generator names, and warns about a group listed twice', async () => {
    const { project: validated, issues } = await model(
      ...head,
      'roles:', // 3
      ...role('staff', item('groups: [A, B, a]')), // 4-7
      ...role('Staff', item('groups: [A]')), // 8-11
      'generators:', // 12
      '  - { name: g, filter: departments, roleName: d.unit, members: { filter: staff_in_unit, bind: { unit: d.unit } }, items: [{ system: directory, groupTable: groups, groupKey: dn, member: u.dn, groups: [A] }] }', // 13
      '  - { name: g, filter: departments, roleName: d.unit, members: { filter: staff_in_unit, bind: { unit: d.unit } }, items: [{ system: directory, groupTable: groups, groupKey: dn, member: u.dn, groups: [A] }] }', // 14
    )
    assert.deepEqual(brief(issues.filter((i) => i.file === 'roles/model.yaml')), [
      "roles/model.yaml:7:109 CFG_DUPLICATE_GROUP Group 'a' is already listed as 'A' at groups[0] (names are compared without case). | Remove the repeated name; group names are compared without case.",
      "roles/model.yaml:8:11 CFG_DUPLICATE_ROLE Role 'Staff' is already defined as 'staff' at roles[0] (names are compared without case). | Rename one of them; role and generator names are unique regardless of case.",
      "roles/model.yaml:14:13 CFG_DUPLICATE_ROLE Role generator 'g' is already defined at generators[0] (names are compared without case). | Rename one of them; role and generator names are unique regardless of case.",
    ])
    assert.equal(issues.find((i) => i.code === 'CFG_DUPLICATE_GROUP')?.severity, 'warning')
    assert.deepEqual(validated.roleModels, [])
  })

  it("checks parameter values and bindings against the filters' parameters", async () => {
    assert.deepEqual(
      await issuesOf(
        ...head,
        'roles:', // 3
        '  - name: r', // 4
        '    filter: current_staff', // 5
        '    parameters: { tody: 2026-12-01, }', // 6
        '    items:', // 7
        item('groups: [A]'), // 8
        '  - name: s', // 9
        '    filter: staff_in_unit', // 10
        "    parameters: { today: 'soon' }", // 11
        '    items:', // 12
        item('groups: [A]'), // 13
        'generators:', // 14
        '  - name: g', // 15
        '    filter: departments', // 16
        '    roleName: d.unit', // 17
        '    members:', // 18
        '      filter: staff_in_unit', // 19
        '      parameters: { unit: EN }', // 20
        '      bind: { unit: d.unit, units: d.unit }', // 21
        '    items:', // 22
        item('groups: [A]'), // 23
        '  - name: h', // 24
        '    filter: departments', // 25
        '    roleName: d.unit', // 26
        '    members: { filter: current_staff, bind: { today: d.unit } }', // 27
        '    items:', // 28
        item('groups: [A]'), // 29
      ),
      [
        "roles/model.yaml:6:19 CFG_UNKNOWN_KEY Filter 'current_staff' has no parameter 'tody'. | Did you mean 'today'?",
        "roles/model.yaml:11:5 CFG_MISSING_KEY Filter 'staff_in_unit' needs a value for parameter 'unit' (string, no default); role 's' gives none. | Add `unit: <value>` under `parameters:`.",
        "roles/model.yaml:11:26 CFG_INVALID_VALUE Parameter 'today' of filter 'staff_in_unit' is date: expected a date written 'YYYY-MM-DD' that exists. | Write a value of type date, as the filter's parameter defaults are written (docs/configuration.md, Kind Filter).",
        "roles/model.yaml:20:21 CFG_CONFLICTING_KEYS Parameter 'unit' of filter 'staff_in_unit' is bound from the generation row (`bind:`) and also given a fixed value. | Remove 'unit' from `parameters:` or from `bind:`.",
        "roles/model.yaml:21:29 CFG_UNKNOWN_KEY Filter 'staff_in_unit' has no parameter 'units'. | Did you mean 'unit'?",
      ],
    )
  })

  it('reports a syntax error in a generator expression, positioned in the file', async () => {
    const issues = await issuesOf(
      ...head,
      'generators:', // 3
      '  - name: g', // 4
      '    filter: departments', // 5
      '    roleName: "\'DEP_\' ||"', // 6
      '    members: { filter: staff_in_unit, bind: { unit: d.unit = } }', // 7
      '    items:', // 8
      item('groups: [A]'), // 9
    )
    assert.deepEqual(
      issues.map((line) => line.split(' ').slice(0, 2).join(' ')),
      ['roles/model.yaml:6:25 EXPR_SYNTAX', 'roles/model.yaml:7:61 EXPR_SYNTAX'],
    )
  })

  it('reports a second RoleModel document at its name, naming the first', async () => {
    const { project: validated, issues } = await project({
      'roles/a.yaml': yaml(...head),
      'roles/b.yaml': yaml('kind: RoleModel', 'name: other', 'roles:', ...role('r', item('groups: [A]'))),
    })
    assert.deepEqual(brief(ours(issues)), [
      "roles/b.yaml:2:7 CFG_DUPLICATE_ROLE_MODEL RoleModel 'other' is a second role model; the project's role model is 'access' in roles/a.yaml:2:7. | A project has one development role model: move the roles and generators of 'other' into 'access' and remove this document.",
    ])
    assert.deepEqual(
      validated.roleModels.map((m) => m.name),
      ['access'],
    )
  })

  it('explains that a RoleGenerator is written inside the RoleModel', async () => {
    const { issues } = await project({ 'roles/g.yaml': yaml('kind: RoleGenerator', 'name: department_roles') })
    assert.deepEqual(brief(ours(issues)), [
      "roles/g.yaml:1:7 CFG_UNKNOWN_KIND Kind 'RoleGenerator' is not a document of its own. | Role generators are written inside the RoleModel document, in its `generators:` list (docs/roles.md); move this one there as `- name: …` without `kind:`.",
    ])
  })
})

describe('validateStoredRoleModel', () => {
  const stored = (...lines: string[]) => yaml(...head, 'roles:', ...lines)

  it('resolves a stored model against the project, labelled with where it came from', async () => {
    const { project: validated } = await project({})
    const { value, issues } = validateStoredRoleModel(
      stored(...role('r', item('groups: [A]'))),
      'role model 3 (active)',
      validated,
    )
    assert.deepEqual(issues, [])
    assert.equal(value?.file, 'role model 3 (active)')
    assert.deepEqual(
      value?.roles.map((r) => [r.name, r.filter, r.items[0]?.groups]),
      [['r', 'current_staff', { kind: 'names', names: ['A'] }]],
    )
  })

  it("reports what no longer fits today's project, positioned in the stored text", async () => {
    const { project: validated } = await project({})
    const { value, issues } = validateStoredRoleModel(
      stored('  - name: r', '    filter: former_staff', '    items:', item('groups: [A]')),
      'role model 3 (active)',
      validated,
    )
    assert.equal(value, undefined)
    assert.deepEqual(
      issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.code}`),
      ['role model 3 (active):5:13 CFG_UNKNOWN_DOCUMENT'],
    )
  })

  it('refuses text that is not one RoleModel document', async () => {
    const { project: validated } = await project({})
    const codes = (source: string) => validateStoredRoleModel(source, 'stored', validated).issues.map((i) => i.code)
    assert.deepEqual(codes(''), ['CFG_NOT_A_MAPPING'])
    assert.deepEqual(codes(`${stored()}---\n${stored()}`), ['CFG_DUPLICATE_ROLE_MODEL'])
    assert.deepEqual(codes(yaml('kind: Job', 'name: j')), ['CFG_UNKNOWN_KIND'])
    assert.deepEqual(codes('kind: RoleModel\nname: [x'), ['CFG_YAML_SYNTAX'])
  })
})
