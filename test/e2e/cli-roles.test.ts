/**
 * End to end: `provisio roles` on a copy of examples/hr500 whose RoleModel is replaced by the
 * test's own (a written role and a role generator over the directory's group_members table), on the
 * embedded vault and (when available) on PostgreSQL. The tests build on each other, in order, like a
 * person working with role models: diff, activate, edit, diff again, activate again, look at the
 * history, restore the first model, inspect members, groups and roles, and evaluate a job's
 * memberships step.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { getRoleModel, openVaultDriver } from '../../src/vault/index.ts'
import { type CliResult, copyHr500, provisio, projectArgs, jsonOf } from '../support/cli.ts'
import { PG_URL, VAULT_KINDS, dropVaultSchema } from '../support/vaults.ts'

const FILTERS = `# The test's filters (names of their own, so the example's may change freely).
kind: Filter
name: rt_departments
start: hr500.departments AS d
output: [d.organizational_unit, d.name]
---
kind: Filter
name: rt_unit_members
start: hr500.employees AS e
parameters:
  unit: string
  today: { type: date, default: '2026-12-01' }
joins:
  - table: hr500.contracts AS c
    mode: any
    where: c.organizational_unit = :unit and c.start_date <= :today and (c.end_date is null or c.end_date >= :today)
  - table: directory.users AS u
    mode: any
    via: employee_account
output: [e.employee_id, u.sAMAccountName]
---
kind: Job
name: rt_memberships
steps:
  - memberships: directory
    threshold: { add: 1000, remove: 1000 }
---
kind: Job
name: rt_memberships_strict
steps:
  - memberships: directory
    threshold: 1
`

const item = (groups: string) => `      - system: directory
        groupTable: groups
        groupKey: cn
        member: u.sAMAccountName
        ${groups}`

/** The first model: engineering's people in DEPGRP_EN, and one role per department. */
const MODEL_1 = `# The test's role model, first version.
kind: RoleModel
name: access
description: Group memberships for the roles test.
roles:
  - name: engineering
    filter: rt_unit_members
    parameters: { unit: EN }
    items:
${item('groups: [DEPGRP_EN]')}
generators:
  - name: department_roles
    filter: rt_departments
    roleName: "'DEP_' || d.organizational_unit"
    members:
      filter: rt_unit_members
      bind: { unit: d.organizational_unit }
    items:
${item(`group: "'DEPGRP_' || d.organizational_unit"`)}
`

/** The second: engineering becomes software development in two groups, and a board role with a group that does not exist. */
const MODEL_2 = MODEL_1.replace('first version', 'second version')
  .replace('parameters: { unit: EN }', 'parameters: { unit: EN_DEV }')
  .replace('groups: [DEPGRP_EN]', 'groups: [DEPGRP_EN, DEPGRP_HQ]')
  .replace(
    'generators:',
    `  - name: board
    filter: rt_unit_members
    parameters: { unit: HQ }
    items:
${item('groups: [DEPGRP_HQ, NO_SUCH_GROUP]')}
generators:`,
  )

interface StoredJson {
  id: number
  state: string
  name: string
  file: string
  activatedBy: string
  retiredAt?: string
  roles: number
  generators: number
}

interface DiffJson {
  active: { id: number } | null
  rolesAdded: { role: string; groups: string[]; members: number }[]
  rolesRemoved: { role: string; groups: string[]; members: number }[]
  changed: {
    role: string
    groupsAdded: string[]
    groupsRemoved: string[]
    membersAdded: string[]
    membersRemoved: string[]
  }[]
  unchanged: number
  notices: { development: { code: string; role: string }[] }
}

interface InspectJson {
  model: { state: string; id?: number }
  roles: { role: string; generator?: string; groups: { system: string; name: string }[]; members: { key: string }[] }[]
  current: { group: string; member: string; managed: boolean; granted: boolean }[]
  pending: { change: string; group: string; member: string }[]
}

/** Removes every RoleModel document of the copy: the test brings its own. */
function removeRoleModels(dir: string): void {
  const walk = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((e) =>
      e.name.startsWith('.')
        ? []
        : e.isDirectory()
          ? walk(path.join(folder, e.name))
          : /\.ya?ml$/.test(e.name)
            ? [path.join(folder, e.name)]
            : [],
    )
  for (const file of walk(dir)) if (/^kind: RoleModel$/m.test(readFileSync(file, 'utf8'))) rmSync(file)
}

for (const kind of VAULT_KINDS) {
  describe(`provisio roles on examples/hr500 (${kind})`, () => {
    let project: ReturnType<typeof copyHr500>
    let schema: string | undefined
    let modelFile: string

    function run(...rest: string[]): CliResult {
      return provisio([...rest, ...projectArgs(project.dir, schema)])
    }

    function json<T>(...rest: string[]): T {
      return jsonOf<T>(run(...rest, '--json'), rest)
    }

    function ok(...rest: string[]): CliResult {
      const result = run(...rest)
      assert.equal(result.status, 0, `${rest.join(' ')}: ${result.stderr}`)
      return result
    }

    async function storedSource(id: number): Promise<string> {
      const db = await openVaultDriver({
        projectDir: project.dir,
        database: schema === undefined ? undefined : PG_URL,
        schema,
      })
      try {
        return (await getRoleModel(db, id)).source
      } finally {
        await db.close()
      }
    }

    before(() => {
      project = copyHr500()
      schema = kind === 'postgres' ? `e2e_roles_${process.pid}_${Date.now().toString(36)}` : undefined
      removeRoleModels(project.dir)
      mkdirSync(path.join(project.dir, 'roles'), { recursive: true })
      modelFile = path.join(project.dir, 'roles', 'role-model.yaml')
      writeFileSync(modelFile, MODEL_1)
      writeFileSync(path.join(project.dir, 'filters', 'rt-roles.yaml'), FILTERS)
      ok('collect')
    })

    after(async () => {
      project.remove()
      await dropVaultSchema(schema)
    })

    it('has no history before the first activation, and diffs everything as added', () => {
      assert.match(ok('roles', 'history').stdout, /No role model was activated yet/)
      assert.deepEqual(json('roles', 'history'), [])
      const diff = json<DiffJson>('roles', 'diff')
      assert.equal(diff.active, null)
      assert.ok(diff.rolesAdded.length > 30, 'one role per department, and engineering')
      const engineering = diff.rolesAdded.find((r) => r.role === 'engineering')
      assert.deepEqual(engineering?.groups, ['directory:DEPGRP_EN'])
      assert.deepEqual([diff.rolesRemoved, diff.changed, diff.unchanged], [[], [], 0])
      const text = ok('roles', 'diff', '--limit', '3')
      assert.match(
        text.stdout,
        /No role model is active: every role of the development model 'access' \(roles\/role-model.yaml\) is new/,
      )
      assert.match(text.stdout, /… and \d+ more roles/)
    })

    it('activates the development model once: activating it again stores nothing', () => {
      const first = json<{ active: StoredJson; previous: StoredJson | null; unchanged: boolean }>('roles', 'activate')
      assert.equal(first.unchanged, false)
      assert.equal(first.previous, null)
      assert.deepEqual(
        [first.active.id, first.active.state, first.active.name, first.active.file],
        [1, 'active', 'access', 'roles/role-model.yaml'],
      )
      assert.deepEqual([first.active.roles, first.active.generators], [1, 1])
      assert.match(ok('roles', 'activate').stdout, /Unchanged: the development model equals active model 1/)
      const history = json<StoredJson[]>('roles', 'history')
      assert.deepEqual(
        history.map((m) => [m.id, m.state, m.activatedBy]),
        [[1, 'active', 'cli']],
      )
      assert.match(ok('roles', 'diff').stdout, /No difference: both give the same roles, groups and members/)
    })

    it('diffs an edited development model against the active one, with its notices as warnings', () => {
      writeFileSync(modelFile, MODEL_2)
      const diff = json<DiffJson>('roles', 'diff')
      assert.equal(diff.active?.id, 1)
      assert.deepEqual(
        diff.rolesAdded.map((r) => [r.role, r.groups]),
        [['board', ['directory:DEPGRP_HQ']]],
      )
      assert.deepEqual(
        diff.changed.map((c) => [c.role, c.groupsAdded, c.groupsRemoved]),
        [['engineering', ['directory:DEPGRP_HQ'], []]],
      )
      const [engineering] = diff.changed
      assert.ok(engineering!.membersAdded.length > 20, 'software development has more people than engineering')
      assert.ok(engineering!.membersAdded.every((m) => m.startsWith('directory:')))
      assert.equal(diff.unchanged, 33)
      assert.deepEqual(
        diff.notices.development.filter((n) => n.role === 'board').map((n) => n.code),
        ['ROLE_GROUP_NOT_FOUND'],
      )
      const text = ok('roles', 'diff', '--limit', '2')
      assert.match(text.stdout, /1 role\(s\) added, 0 removed, 1 changed, 33 unchanged/)
      assert.match(text.stdout, /\+\s+board/)
      assert.match(text.stdout, /~ engineering/)
      assert.match(text.stdout, /groups added\s+1: directory:DEPGRP_HQ/)
      assert.match(text.stdout, /members added\s+\d+: directory:\w+, directory:\w+ … and \d+ more/)
      assert.match(text.stderr, /warning: Role 'board': no group of directory.groups has cn 'NO_SUCH_GROUP'/)
    })

    it('activates the edited model: the first one moves to history', () => {
      const second = json<{ active: StoredJson; previous: StoredJson | null }>('roles', 'activate')
      assert.deepEqual([second.active.id, second.previous?.id], [2, 1])
      const history = json<StoredJson[]>('roles', 'history')
      assert.deepEqual(
        history.map((m) => [m.id, m.state, m.roles]),
        [
          [2, 'active', 2],
          [1, 'history', 1],
        ],
      )
      assert.ok(history[1]!.retiredAt !== undefined && history[0]!.retiredAt === undefined)
      assert.match(
        ok('roles', 'history').stdout,
        /id\s+state\s+name\s+activated\s+by\s+retired\s+roles\s+generators\s+file/,
      )
    })

    it('restores the first model into the development model, without activating it', async () => {
      const result = json<{ restored: { id: number }; file: string; change: string }>('roles', 'restore', '1')
      assert.deepEqual([result.restored.id, result.file, result.change], [1, 'roles/role-model.yaml', 'replaced'])
      assert.equal(readFileSync(modelFile, 'utf8'), await storedSource(1))
      const diff = json<DiffJson>('roles', 'diff')
      assert.equal(diff.active?.id, 2, 'restoring does not activate')
      assert.deepEqual(
        diff.rolesRemoved.map((r) => r.role),
        ['board'],
      )
      const text = ok('roles', 'restore', '2')
      assert.match(
        text.stdout,
        /Restored role model 2 'access' .* into roles\/role-model.yaml \(replacing the RoleModel document 'access'\)/,
      )
      assert.match(text.stdout, /provisio roles diff/)
      assert.equal(readFileSync(modelFile, 'utf8'), await storedSource(2))
    })

    it('restores into a new file when the project has no RoleModel document', async () => {
      rmSync(modelFile)
      const result = json<{ file: string; change: string }>('roles', 'restore', '2', '--file', 'models/access.yaml')
      assert.deepEqual([result.file, result.change], ['models/access.yaml', 'created'])
      const created = path.join(project.dir, 'models', 'access.yaml')
      assert.equal(readFileSync(created, 'utf8'), await storedSource(2))
      // The restored model is the development model again: it equals the active one.
      assert.match(ok('roles', 'activate').stdout, /Unchanged: the development model equals active model 2/)
      const refused = run('roles', 'restore', '1', '--file', 'roles/other.yaml')
      assert.equal(refused.status, 1)
      assert.match(
        refused.stderr,
        /The development model 'access' is in models\/access.yaml; restore replaces it there/,
      )
      assert.ok(!existsSync(path.join(project.dir, 'roles', 'other.yaml')))
    })

    it('inspects a role: its groups, all its members, the memberships held and the pending changes', () => {
      const inspected = json<InspectJson>('roles', 'inspect', '--role', 'ENGINEERING')
      assert.deepEqual([inspected.model.state, inspected.model.id], ['active', 2])
      assert.equal(inspected.roles.length, 1)
      const [role] = inspected.roles
      assert.deepEqual(
        role!.groups.map((g) => `${g.system}:${g.name}`),
        ['directory:DEPGRP_EN', 'directory:DEPGRP_HQ'],
      )
      assert.ok(role!.members.length > 20)
      assert.ok(inspected.current.every((m) => ['DEPGRP_EN', 'DEPGRP_HQ'].includes(m.group.toUpperCase())))
      for (const change of inspected.pending) assert.ok(['DEPGRP_EN', 'DEPGRP_HQ'].includes(change.group.toUpperCase()))
      const text = ok('roles', 'inspect', '--role', 'engineering', '--limit', '2')
      assert.match(text.stdout, /Role 'engineering' under the active model 2 'access':/)
      assert.match(text.stdout, /Members the roles grant \(\d+\): directory:\w+, directory:\w+ … and \d+ more/)
    })

    it('inspects a member and a group, with what the model does to each membership', () => {
      const role = json<InspectJson>('roles', 'inspect', '--role', 'DEP_EN_DOC').roles[0]!
      const member = role.members[0]!.key
      const byMember = json<InspectJson>('roles', 'inspect', '--member', member)
      assert.ok(byMember.roles.some((r) => r.role === 'DEP_EN_DOC' && r.generator === 'department_roles'))
      for (const m of byMember.current) assert.equal(m.member.toLowerCase(), member.toLowerCase())
      const byGroup = json<InspectJson>('roles', 'inspect', '--group', 'depgrp_en_doc')
      assert.deepEqual(
        byGroup.roles.map((r) => r.role),
        ['DEP_EN_DOC'],
      )
      assert.ok(byGroup.current.length > 0)
      // Every membership the vault holds that the model does not grant is pending removal, and only those.
      const removals = byGroup.current
        .filter((m) => m.managed && !m.granted)
        .map((m) => m.member)
        .sort()
      assert.deepEqual(
        byGroup.pending
          .filter((p) => p.change === 'remove')
          .map((p) => p.member)
          .sort(),
        removals,
      )
      const text = ok('roles', 'inspect', '--group', 'DEPGRP_EN_DOC', '--all')
      assert.match(text.stdout, /Group 'DEPGRP_EN_DOC' under the active model 2 'access':/)
      assert.match(text.stdout, /Memberships the vault holds \(\d+\):/)
      if (removals.length > 0) {
        assert.match(text.stdout, /not granted: removed on the next run/)
        assert.match(
          text.stdout,
          new RegExp(`remove ${removals[0]} from DEPGRP_EN_DOC \\(directory.group_members\\)`, 'i'),
        )
      }
      const development = json<InspectJson>('roles', 'inspect', '--group', 'DEPGRP_EN_DOC', '--model', 'development')
      assert.equal(development.model.state, 'development')
      assert.equal(
        json<InspectJson>('roles', 'inspect', '--role', 'engineering', '--model', '1').roles[0]!.groups.length,
        1,
      )
    })

    it('explains an unknown role and a wrong command line', () => {
      const unknown = run('roles', 'inspect', '--role', 'enginering')
      assert.equal(unknown.status, 1)
      assert.match(unknown.stderr, /has no role 'enginering'.*\[ENG_UNKNOWN_ROLE\]/)
      assert.match(unknown.stderr, /Did you mean 'engineering'\?/)
      const asJson = run('roles', 'inspect', '--role', 'enginering', '--json')
      assert.equal((JSON.parse(asJson.stdout) as { error: { code: string } }).error.code, 'ENG_UNKNOWN_ROLE')
      for (const args of [[], ['--role', 'a', '--member', 'b']]) {
        const usage = run('roles', 'inspect', ...args)
        assert.equal(usage.status, 2)
        assert.match(usage.stderr, /give exactly one of --member KEY, --group NAME or --role NAME/)
      }
      const model = run('roles', 'inspect', '--role', 'engineering', '--model', 'newest')
      assert.equal(model.status, 2)
      assert.match(model.stderr, /expected active, development or a model id/)
      const missing = run('roles', 'restore', '99')
      assert.equal(missing.status, 1)
      assert.match(missing.stderr, /VLT_UNKNOWN_ROLE_MODEL/)
    })

    it("prints a job's memberships step as adds and removes, numbered as the job's step", () => {
      const evaluated = ok('job', 'evaluate', 'rt_memberships', '--all')
      assert.match(evaluated.stdout, /\n\s+1\s+memberships:directory\s+directory.group_members_add\s+[\d,]+ adds?\s/)
      assert.match(
        evaluated.stdout,
        /\n\s+1\s+memberships:directory\s+directory.group_members_remove\s+[\d,]+ removes?\s/,
      )
      assert.match(evaluated.stdout, /group_members_(add|remove)\s+planned\s+(add \S+ to|remove \S+ from) DEPGRP_\w+/)
      assert.match(evaluated.stderr, /warning: Role 'board': no group of directory.groups has cn 'NO_SUCH_GROUP'/)
      const plan = json<{ planId: number; steps: { source: number; semantics: string }[]; roleModel: { id: number } }>(
        'job',
        'evaluate',
        'rt_memberships',
      )
      assert.deepEqual(
        plan.steps.map((s) => [s.source, s.semantics]),
        [
          [0, 'membership-add'],
          [0, 'membership-remove'],
        ],
      )
      assert.equal(plan.roleModel.id, 2)
      assert.match(ok('plan', 'show', String(plan.planId)).stdout, /(add \S+ to|remove \S+ from) DEPGRP_\w+/)
      const strict = run('job', 'evaluate', 'rt_memberships_strict')
      assert.equal(strict.status, 1)
      assert.match(
        strict.stderr,
        /step 1 \(memberships:directory, group_members_(add|remove)\) plans [\d,]+ (adds|removes), more than its threshold of 1.*\[JOB_THRESHOLD_EXCEEDED\]/,
      )
    })
  })
}
