/**
 * Roles end to end in the engine: a role model resolved against a real vault, its memberships
 * planned against a real SQL target's memberships table (collected through the SQL connector),
 * executed, collected again. Proves the rules of DESIGN.md §8 "roles": desired pairs against the
 * collected ones, managed groups owned completely, unmanaged groups untouched, a generator's member
 * filter lifted over all its roles, only the active model planned, thresholds on removes.
 */
import assert from 'node:assert/strict'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Issue, Row } from '../../core/index.ts'
import { type ValidatedProject, validateProject } from '../../config/index.ts'
import { collectSystem } from '../../connectors/index.ts'
import { evaluateJob, runJob } from '../../jobs/index.ts'
import {
  type SqlExecutor,
  type StoredOperation,
  markRunning,
  streamOperations,
  writeCollection,
} from '../../vault/index.ts'
import { createSqlTarget, type SqlTarget } from '../../../test/support/sql-targets.ts'
import { rejects } from '../../../test/support/errors.ts'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../../test/support/vaults.ts'
import { checkRoleModels } from '../check-roles.ts'
import { activateDevelopmentModel } from './activate-model.ts'
import { resolveModel } from './resolve-model.ts'
import { inspectRoles } from './inspect-roles.ts'
import { diffRoleModels } from './model-diff.ts'

const DDL = `
CREATE TABLE users (login TEXT PRIMARY KEY NOT NULL COLLATE NOCASE, employee_id TEXT);
CREATE TABLE groups (cn TEXT PRIMARY KEY NOT NULL COLLATE NOCASE, description TEXT);
CREATE TABLE group_members (group_cn TEXT NOT NULL COLLATE NOCASE, member TEXT NOT NULL COLLATE NOCASE, PRIMARY KEY (group_cn, member));
`

const SYSTEMS = (config: Record<string, unknown>) => `kind: System
name: hr
connector: csv
config: {}
tables:
  people:
    primaryKey: id
    columns: { id: string, name: string }
  contracts:
    primaryKey: contract_id
    columns: { contract_id: string, person: string, unit: string, ended: boolean }
  units:
    primaryKey: code
    columns: { code: string, name: string }
relations:
  - from: contracts.person
    to: people.id
---
kind: System
name: dir
connector: sql
config: ${JSON.stringify(config)}
tables:
  users:
    primaryKey: login
    columns:
      login: { type: string, caseInsensitive: true }
      employee_id: string
  groups:
    primaryKey: cn
    columns:
      cn: { type: string, caseInsensitive: true }
      description: string
  group_members:
    options:
      memberships: { group: group_cn, member: member }
    columns:
      group_cn: { type: string, caseInsensitive: true }
      member: { type: string, caseInsensitive: true }
---
kind: Link
name: person_account
left: hr.people.id
right: dir.users.employee_id
---
kind: Filter
name: units
start: hr.units AS d
---
kind: Filter
name: unit_members
parameters:
  unit: string
start: hr.people AS p
joins:
  - table: hr.contracts AS c
    mode: any
    where: c.unit = :unit and not c.ended
  - table: dir.users AS u
    mode: any
    via: person_account
output: [p.id, u.login]
---
kind: Filter
name: staff
start: hr.people AS p
joins:
  - table: hr.contracts AS c
    mode: any
    where: not c.ended
  - table: dir.users AS u
    mode: any
    via: person_account
output: [p.id, u.login]
---
kind: Job
name: memberships
steps:
  - memberships: dir
`

const MODEL = (extra = '') => `kind: RoleModel
name: access
roles:
  - name: all_staff
    filter: staff
    items:
      - system: dir
        groupTable: groups
        groupKey: cn
        member: u.login
        groups: [ALL_STAFF]
generators:
  - name: departments
    filter: units
    roleName: "'DEP_' || d.code"
    members:
      filter: unit_members
      bind: { unit: d.code }
    items:
      - system: dir
        groupTable: groups
        groupKey: cn
        member: u.login
        group: "'DEPGRP_' || d.code"
${extra}`

async function operationsOf(db: SqlExecutor, planId: number): Promise<StoredOperation[]> {
  const all: StoredOperation[] = []
  for await (const page of streamOperations(db, planId)) all.push(...page)
  return all
}

interface Contract {
  readonly contract_id: string
  readonly person: string
  readonly unit: string
  readonly ended?: boolean
}

class RolesBed {
  project!: ValidatedProject

  private constructor(
    readonly vault: TestVault,
    readonly target: SqlTarget,
  ) {}

  static async create(kind: 'sqlite' | 'postgres'): Promise<RolesBed> {
    const target = await createSqlTarget('sqlite')
    await target.ddl(DDL)
    await mkdir(path.join(target.projectDir, 'roles'), { recursive: true })
    await writeFile(path.join(target.projectDir, 'systems.yaml'), SYSTEMS(target.config))
    const bed = new RolesBed(await createTestVault(kind, target.projectDir), target)
    await bed.model(MODEL())
    return bed
  }

  /** Writes the development model and validates the project; throws on errors. */
  async model(text: string): Promise<ValidatedProject> {
    await writeFile(path.join(this.target.projectDir, 'roles', 'model.yaml'), text)
    const { project, issues } = await validateProject(this.target.projectDir)
    const errors = [...issues, ...checkRoleModels(project, project.roleModels)].filter(
      (i: Issue) => i.severity !== 'warning',
    )
    if (errors.length > 0) throw new Error(errors.map((i) => `${i.file}:${i.line} ${i.code} ${i.message}`).join('\n'))
    this.project = project
    return project
  }

  async hr(people: readonly string[], contracts: readonly Contract[], units: readonly string[]): Promise<void> {
    const rows: Record<string, Row[]> = {
      people: people.map((id) => ({ id, name: `Person ${id}` })),
      contracts: contracts.map((c) => ({ ...c, ended: c.ended ?? false })),
      units: units.map((code) => ({ code, name: `Unit ${code}` })),
    }
    const hr = this.project.systems.find((s) => s.name === 'hr')!
    await writeCollection(this.vault.driver, {
      system: 'hr',
      tables: hr.tables.map((schema) => ({
        schema,
        read: async function* () {
          yield { rows: rows[schema.name] ?? [] }
        },
      })),
    })
  }

  async sql(statement: string, params: readonly (string | number)[] = []): Promise<void> {
    await this.target.admin.run(statement, [...params])
  }

  async collect(): Promise<void> {
    const dir = this.project.systems.find((s) => s.name === 'dir')!
    await collectSystem({ driver: this.vault.driver, system: dir, projectDir: this.target.projectDir })
  }

  /** The target's memberships as `GROUP:member`, sorted. */
  async members(): Promise<string[]> {
    const rows = await this.target.admin.query<{ group_cn: string; member: string }>(
      'SELECT group_cn, member FROM group_members',
    )
    return rows.map((r) => `${r.group_cn}:${r.member}`).sort()
  }

  async close(): Promise<void> {
    await this.vault.close()
    await this.target.close()
  }
}

for (const kind of VAULT_KINDS) {
  describe(`roles (${kind} vault, SQLite target)`, () => {
    let bed: RolesBed

    before(async () => {
      bed = await RolesBed.create(kind)
      for (const login of ['ann', 'bob', 'cy', 'dee'])
        await bed.sql('INSERT INTO users VALUES (?, ?)', [login, login.toUpperCase()])
      for (const cn of ['ALL_STAFF', 'DEPGRP_EN', 'DEPGRP_FI', 'DEPGRP_HR', 'OTHER', 'NESTED'])
        await bed.sql('INSERT INTO groups VALUES (?, ?)', [cn, `Group ${cn}`])
      // Before Provisio: ann in EN (right), bob in FI (wrong: he works in EN), a manual member in a
      // managed group, a nested group in a managed group, and someone in an unmanaged group.
      for (const [g, m] of [
        ['DEPGRP_EN', 'ann'],
        ['DEPGRP_FI', 'bob'],
        ['DEPGRP_HR', 'manual'],
        ['DEPGRP_EN', 'NESTED'],
        ['OTHER', 'bob'],
        ['all_staff', 'ANN'],
      ])
        await bed.sql('INSERT INTO group_members VALUES (?, ?)', [g!, m!])
      await bed.hr(
        ['ANN', 'BOB', 'CY', 'DEE', 'NOACCOUNT'],
        [
          { contract_id: 'c1', person: 'ANN', unit: 'EN' },
          { contract_id: 'c2', person: 'BOB', unit: 'EN' },
          { contract_id: 'c3', person: 'CY', unit: 'EN' },
          { contract_id: 'c4', person: 'CY', unit: 'FI' }, // two contracts: two departments
          { contract_id: 'c5', person: 'DEE', unit: 'HR', ended: true }, // a leaver
          { contract_id: 'c6', person: 'NOACCOUNT', unit: 'HR' },
        ],
        ['EN', 'FI', 'HR', 'QA'], // QA has no group yet
      )
      await bed.collect()
    })
    after(() => bed.close())

    it('refuses to plan memberships before a model is active', async () => {
      await rejects(evaluateJob(bed.vault.driver, bed.project, 'memberships'), 'ENG_NO_ACTIVE_ROLE_MODEL')
    })

    it('resolves written and generated roles, with groups not found as notices', async () => {
      const resolved = await resolveModel(bed.vault.driver, bed.project, bed.project.roleModels[0]!)
      const roles = Object.fromEntries(
        resolved.roles.map((r) => [
          r.name,
          {
            groups: r.items.flatMap((i) => i.groups.map((g) => g.key)),
            members: r.items.flatMap((i) => [...i.members]).sort(),
          },
        ]),
      )
      assert.deepEqual(roles, {
        all_staff: { groups: ['ALL_STAFF'], members: ['ann', 'bob', 'cy'] },
        DEP_EN: { groups: ['DEPGRP_EN'], members: ['ann', 'bob', 'cy'] },
        DEP_FI: { groups: ['DEPGRP_FI'], members: ['cy'] },
        DEP_HR: { groups: ['DEPGRP_HR'], members: [] },
        DEP_QA: { groups: [], members: [] },
      })
      assert.ok(resolved.notices.some((n) => n.code === 'ROLE_GROUP_NOT_FOUND' && n.role === 'DEP_QA'))
    })

    it('plans adds and removes against the collected memberships, leaving unmanaged groups alone', async () => {
      const activation = await activateDevelopmentModel(bed.vault.driver, bed.project)
      assert.equal(activation.unchanged, false)
      const evaluation = await evaluateJob(bed.vault.driver, bed.project, 'memberships')
      assert.deepEqual(
        evaluation.steps.map((s) => [s.mapping, s.function, s.semantics, s.operations, s.source]),
        [
          ['memberships:dir', 'group_members_add', 'membership-add', 5, 0],
          ['memberships:dir', 'group_members_remove', 'membership-remove', 3, 0],
        ],
      )
      const operations = await operationsOf(bed.vault.driver, evaluation.planId)
      const described = operations.map(
        (o) =>
          `${o.semantics === 'membership-add' ? '+' : '-'}${String(o.attributes['group'])}:${String(o.attributes['member'])}`,
      )
      assert.deepEqual(described, [
        '+ALL_STAFF:bob',
        '+ALL_STAFF:cy',
        '+DEPGRP_EN:bob',
        '+DEPGRP_EN:cy',
        '+DEPGRP_FI:cy',
        '-DEPGRP_EN:NESTED', // a nested group is a member like any other: not granted, removed
        '-DEPGRP_FI:bob',
        '-DEPGRP_HR:manual', // owned completely: a manual add goes
      ])
      // all_staff:ANN matched ALL_STAFF:ann case-insensitively: no operation for it.
    })

    it('stops at the default remove threshold (10% of the memberships table)', async () => {
      const evaluation = await evaluateJob(bed.vault.driver, bed.project, 'memberships')
      assert.equal(evaluation.stopped, true)
      assert.equal(evaluation.exceeded[0]?.semantics, 'membership-remove')
    })

    it('executes (forced), writes exactly the difference, and plans nothing the next time', async () => {
      const run = await runJob(bed.vault.driver, bed.project, 'memberships', { force: true })
      assert.equal(run.execution?.failed, 0)
      assert.deepEqual(
        await bed.members(),
        [
          'ALL_STAFF:bob',
          'ALL_STAFF:cy',
          'all_staff:ANN',
          'DEPGRP_EN:ann',
          'DEPGRP_EN:bob',
          'DEPGRP_EN:cy',
          'DEPGRP_FI:cy',
          'OTHER:bob',
        ].sort(),
      )
      const again = await evaluateJob(bed.vault.driver, bed.project, 'memberships')
      assert.deepEqual(
        again.steps.map((s) => s.operations),
        [0, 0],
      )
      await bed.collect()
      const collected = await evaluateJob(bed.vault.driver, bed.project, 'memberships')
      assert.deepEqual(
        collected.steps.map((s) => s.operations),
        [0, 0],
      )
    })

    it('plans only the active model: development changes wait for activation', async () => {
      await bed.model(MODEL().replace('groups: [ALL_STAFF]', 'groups: [ALL_STAFF, OTHER]'))
      const before = await evaluateJob(bed.vault.driver, bed.project, 'memberships')
      assert.deepEqual(
        before.steps.map((s) => s.operations),
        [0, 0],
      )
      const development = await resolveModel(bed.vault.driver, bed.project, bed.project.roleModels[0]!)
      const activeModel = await resolveModel(bed.vault.driver, bed.project, before.roleModel!.model.config)
      const diff = diffRoleModels(development, activeModel)
      assert.deepEqual(
        diff.changed.map((c) => [c.role, c.groupsAdded]),
        [['all_staff', ['dir:OTHER']]],
      )
      await activateDevelopmentModel(bed.vault.driver, bed.project)
      const after = await evaluateJob(bed.vault.driver, bed.project, 'memberships')
      const operations = await operationsOf(bed.vault.driver, after.planId)
      // OTHER becomes managed: ann and cy join it; bob stays (now granted).
      assert.deepEqual(
        operations.map((o) => `${o.semantics}:${String(o.attributes['group'])}:${String(o.attributes['member'])}`),
        ['membership-add:OTHER:ann', 'membership-add:OTHER:cy'],
      )
      await bed.model(MODEL())
      await activateDevelopmentModel(bed.vault.driver, bed.project)
    })

    it('moves a membership when a person changes department, and a leaver loses all managed ones', async () => {
      await bed.hr(
        ['ANN', 'BOB', 'CY', 'DEE', 'NOACCOUNT'],
        [
          { contract_id: 'c1', person: 'ANN', unit: 'EN', ended: true },
          { contract_id: 'c2', person: 'BOB', unit: 'FI' },
          { contract_id: 'c3', person: 'CY', unit: 'EN' },
          { contract_id: 'c4', person: 'CY', unit: 'FI' },
          { contract_id: 'c6', person: 'NOACCOUNT', unit: 'HR' },
        ],
        ['EN', 'FI', 'HR', 'QA'],
      )
      const run = await runJob(bed.vault.driver, bed.project, 'memberships', { force: true })
      assert.equal(run.execution?.failed, 0)
      assert.deepEqual(await bed.members(), [
        'ALL_STAFF:bob',
        'ALL_STAFF:cy',
        'DEPGRP_EN:cy',
        'DEPGRP_FI:bob',
        'DEPGRP_FI:cy',
        'OTHER:bob',
      ])
    })

    it('inspects a member, a group and a role', async () => {
      const resolved = await resolveModel(bed.vault.driver, bed.project, bed.project.roleModels[0]!)
      const member = await inspectRoles(bed.vault.driver, resolved, { member: 'CY' })
      assert.deepEqual(member.roles.map((r) => r.role).sort(), ['DEP_EN', 'DEP_FI', 'all_staff'])
      assert.deepEqual(member.current.map((m) => `${m.group}:${m.granted}`).sort(), [
        'ALL_STAFF:true',
        'DEPGRP_EN:true',
        'DEPGRP_FI:true',
      ])
      await bed.sql('INSERT INTO group_members VALUES (?, ?)', ['DEPGRP_HR', 'cy'])
      await bed.collect()
      const group = await inspectRoles(bed.vault.driver, resolved, { group: 'depgrp_hr' })
      assert.deepEqual(
        group.roles.map((r) => r.role),
        ['DEP_HR'],
      )
      assert.deepEqual(group.pending, [
        { system: 'dir', table: 'group_members', change: 'remove', group: 'DEPGRP_HR', member: 'cy' },
      ])
      const role = await inspectRoles(bed.vault.driver, resolved, { role: 'dep_fi' })
      assert.deepEqual(role.roles[0]?.members.map((m) => m.key).sort(), ['bob', 'cy'])
    })
  })
}

const CONTRACT_UNITS_FILTER = `---
kind: Filter
name: contract_units
description: One row per current contract (so a unit comes once per contract).
start: hr.contracts AS c
where: not c.ended
`

for (const kind of VAULT_KINDS) {
  describe(`roles: guards, patterns and generators (${kind} vault)`, () => {
    let bed: RolesBed

    before(async () => {
      bed = await RolesBed.create(kind)
      for (const login of ['ann', 'bob', 'cy'])
        await bed.sql('INSERT INTO users VALUES (?, ?)', [login, login.toUpperCase()])
      for (const cn of ['ALL_STAFF', 'DEPGRP_EN', 'DEPGRP_FI', 'BIG'])
        await bed.sql('INSERT INTO groups VALUES (?, ?)', [cn, cn])
      // A big unmanaged group: its 200 memberships must not dilute the remove threshold of managed groups.
      for (let i = 0; i < 200; i++) await bed.sql('INSERT INTO group_members VALUES (?, ?)', ['BIG', `someone${i}`])
      await bed.hr(
        ['ANN', 'BOB', 'CY'],
        [
          { contract_id: 'c1', person: 'ANN', unit: 'EN' },
          { contract_id: 'c2', person: 'BOB', unit: 'EN' },
          { contract_id: 'c3', person: 'CY', unit: 'FI' },
        ],
        ['EN', 'FI'],
      )
      await bed.collect()
    })
    after(() => bed.close())

    it('gives a generation row repeated per contract one role, and matches groups by pattern', async () => {
      const model = MODEL(`  - name: disabled
    enabled: false
    filter: units
    roleName: "'OFF_' || d.code"
    members:
      filter: unit_members
      bind: { unit: d.code }
    items:
      - system: dir
        groupTable: groups
        groupKey: cn
        member: u.login
        groups: [BIG]
`)
        .replace('filter: units\n    roleName', 'filter: contract_units\n    roleName')
        .replace("'DEP_' || d.code", "'DEP_' || c.unit")
        .replace(
          'bind: { unit: d.code }\n    items:\n      - system: dir\n        groupTable: groups\n        groupKey: cn\n        member: u.login\n        group: "\'DEPGRP_\' || d.code"',
          'bind: { unit: c.unit }\n    items:\n      - system: dir\n        groupTable: groups\n        groupKey: cn\n        member: u.login\n        group: "\'DEPGRP_\' || c.unit"',
        )
        .replace('groups: [ALL_STAFF]', "match: 'depgrp_*'")
      await bed.model(model + CONTRACT_UNITS_FILTER)
      const resolved = await resolveModel(bed.vault.driver, bed.project, bed.project.roleModels[0]!)
      const en = resolved.roles.filter((r) => r.name === 'DEP_EN')
      assert.equal(en.length, 1)
      assert.equal(en[0]!.items.length, 1, 'two contracts in EN give one role with one item')
      assert.deepEqual([...en[0]!.items[0]!.members].sort(), ['ann', 'bob'])
      assert.ok(!resolved.notices.some((n) => n.code === 'ROLE_DUPLICATE_NAME'))
      const staff = resolved.roles.find((r) => r.name === 'all_staff')!
      assert.deepEqual(staff.items[0]!.groups.map((g) => g.key).sort(), ['DEPGRP_EN', 'DEPGRP_FI'])
      // A disabled generator makes no roles: BIG stays unmanaged.
      assert.ok(!resolved.roles.some((r) => r.name.startsWith('OFF_')))
      await bed.model(MODEL())
    })

    it('counts a remove threshold against the managed memberships only, and says when a group would be emptied', async () => {
      await activateDevelopmentModel(bed.vault.driver, bed.project)
      await runJob(bed.vault.driver, bed.project, 'memberships', { force: true })
      await bed.collect()
      // Every contract ends: every managed membership would go (5 of 205 rows, but 100% of the managed ones).
      await bed.hr(
        ['ANN', 'BOB', 'CY'],
        [
          { contract_id: 'c1', person: 'ANN', unit: 'EN', ended: true },
          { contract_id: 'c2', person: 'BOB', unit: 'EN', ended: true },
          { contract_id: 'c3', person: 'CY', unit: 'FI', ended: true },
        ],
        ['EN', 'FI'],
      )
      const evaluation = await evaluateJob(bed.vault.driver, bed.project, 'memberships')
      const removes = evaluation.steps.find((s) => s.semantics === 'membership-remove')!
      assert.equal(removes.operations, 6)
      assert.equal(removes.threshold?.described, '10% of 6 rows = 0')
      assert.equal(evaluation.stopped, true)
      const emptied = (evaluation.roleModel?.notices ?? []).filter((n) => n.code === 'ROLE_GROUP_EMPTIED')
      assert.deepEqual(emptied.map((n) => n.message.split(' ')[1]).sort(), ['ALL_STAFF', 'DEPGRP_EN', 'DEPGRP_FI'])
    })

    it('points out a filter that changed since activation', async () => {
      const systems = path.join(bed.target.projectDir, 'systems.yaml')
      const text = await readFile(systems, 'utf8')
      await writeFile(systems, text.replace('name: staff\n', 'name: staff\ndescription: edited after activation\n'))
      await bed.model(MODEL())
      const evaluation = await evaluateJob(bed.vault.driver, bed.project, 'memberships')
      assert.ok(
        evaluation.roleModel?.notices.some((n) => n.code === 'ROLE_FILTER_CHANGED' && n.message.includes('staff')),
      )
    })

    it('ends where an uninterrupted run ends after a crash left membership operations in doubt', async () => {
      await bed.model(MODEL())
      await activateDevelopmentModel(bed.vault.driver, bed.project)
      await bed.hr(
        ['ANN', 'BOB', 'CY'],
        [
          { contract_id: 'c1', person: 'ANN', unit: 'FI' },
          { contract_id: 'c2', person: 'BOB', unit: 'EN' },
          { contract_id: 'c3', person: 'CY', unit: 'FI' },
        ],
        ['EN', 'FI'],
      )
      await bed.collect()
      const evaluation = await evaluateJob(bed.vault.driver, bed.project, 'memberships', { force: true })
      const operations = await operationsOf(bed.vault.driver, evaluation.planId)
      assert.ok(operations.length > 0)
      // A crash after claiming every operation and applying the first: nothing was recorded.
      await markRunning(
        bed.vault.driver,
        evaluation.planId,
        operations.map((o) => o.seq),
      )
      const first = operations[0]!
      await bed.sql(
        first.semantics === 'membership-add'
          ? 'INSERT INTO group_members VALUES (?, ?)'
          : 'DELETE FROM group_members WHERE group_cn = ? AND member = ?',
        [String(first.attributes['group']), String(first.attributes['member'])],
      )
      const run = await runJob(bed.vault.driver, bed.project, 'memberships', { force: true })
      assert.equal(run.execution?.failed ?? 0, 0)
      assert.deepEqual(
        await bed.members(),
        [
          'ALL_STAFF:ann',
          'ALL_STAFF:bob',
          'ALL_STAFF:cy',
          ...Array.from({ length: 200 }, (_, i) => `BIG:someone${i}`),
          'DEPGRP_EN:bob',
          'DEPGRP_FI:ann',
          'DEPGRP_FI:cy',
        ].sort(),
      )
      const again = await evaluateJob(bed.vault.driver, bed.project, 'memberships')
      assert.deepEqual(
        again.steps.map((s) => s.operations),
        [0, 0],
      )
    })
  })
}
