/**
 * End to end: roles on the SQL target (issue 6 item 7), through the `provisio` command on a copy of
 * examples/hr500, on the embedded vault and (when available) on PostgreSQL. The copy's job
 * directory_accounts creates one DEPGRP_<unit> group per department and, last, plans the
 * directory's memberships from the active role model (roles/role-model.yaml): one role per
 * department, whose members are the people with a current contract there.
 *
 * The tests build on each other, in order, like a directory living through HR's changes: the first
 * run creates the missing groups, the second fills them; someone adds a member by hand; an employee
 * moves to another department, gets a second contract, leaves. What each department group should
 * hold is worked out here from the CSV files on their own (the oracle), and what the directory
 * holds is read from its database directly, not through Provisio.
 */
import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { type CliResult, copyHr500, provisio, projectArgs, jsonOf } from '../support/cli.ts'
import { CsvFile, currentUnits, departmentUnits, isCurrent } from '../support/hr500-csv.ts'
import { VAULT_KINDS, dropVaultSchema } from '../support/vaults.ts'

const JOB = 'directory_accounts'
const LABEL = 'memberships:directory'
/** The group of the seeded directory that no role references. */
const UNMANAGED = 'VPN_USERS'

interface StepJson {
  mapping: string
  function: string
  operations: number
  failed: number
}

interface RunJson {
  planId: number
  steps: StepJson[]
  execution?: { status: string; succeeded: number; failed: number }
}

interface AuditJson {
  mapping: string
  function: string
  after?: { group?: string; member?: string }
  outcome: string
}

/** Group → its members, as `group member` pairs sort and compare. */
type Memberships = Map<string, Set<string>>

const pairsOf = (memberships: Memberships) =>
  [...memberships].flatMap(([group, members]) => [...members].map((m) => `${group} ${m}`)).sort()

for (const kind of VAULT_KINDS) {
  describe(`roles on examples/hr500's SQL directory (${kind} vault)`, () => {
    let project: ReturnType<typeof copyHr500>
    let schema: string | undefined
    let hrDir: string
    /** The seeded members of the unmanaged group: nothing may change them. */
    let unmanagedAtStart: string[]
    /** The employee the tests add by hand, give a second contract and let leave; and the one who moves. */
    let person: { id: string; account: string; unit: string }
    let mover: { id: string; account: string; unit: string }

    function run(...rest: string[]): CliResult {
      return provisio([...rest, ...projectArgs(project.dir, schema)])
    }

    function json<T>(...rest: string[]): T {
      return jsonOf<T>(run(...rest, '--json'), rest)
    }

    function directory<T>(work: (db: Database.Database) => T): T {
      const db = new Database(path.join(project.dir, '.provisio', 'directory.db'))
      try {
        return work(db)
      } finally {
        db.close()
      }
    }

    /** What the directory database holds, by group. */
    function memberships(): Memberships {
      const rows = directory(
        (db) =>
          db.prepare('SELECT group_cn, member FROM group_members').all() as { group_cn: string; member: string }[],
      )
      const byGroup: Memberships = new Map()
      for (const { group_cn, member } of rows) {
        let members = byGroup.get(group_cn)
        if (members === undefined) byGroup.set(group_cn, (members = new Set()))
        members.add(member)
      }
      return byGroup
    }

    /** sAMAccountName by employeeID, from the directory database. */
    function accounts(): Map<string, string> {
      const rows = directory(
        (db) =>
          db.prepare('SELECT employeeID, sAMAccountName FROM users WHERE employeeID IS NOT NULL').all() as {
            employeeID: string
            sAMAccountName: string
          }[],
      )
      return new Map(rows.map((r) => [r.employeeID, r.sAMAccountName]))
    }

    /** The oracle: every department's group holds exactly the accounts of its current employees. */
    function expected(): Memberships {
      const byGroup: Memberships = new Map(departmentUnits(hrDir).map((u) => [`DEPGRP_${u}`, new Set<string>()]))
      const account = accounts()
      for (const [employee, units] of currentUnits(hrDir)) {
        const sam = account.get(employee)
        if (sam === undefined) continue
        for (const unit of units) byGroup.get(`DEPGRP_${unit}`)!.add(sam)
      }
      return byGroup
    }

    /** The department groups only (the managed ones). */
    const managed = (all: Memberships): Memberships =>
      new Map([...all].filter(([group]) => group.startsWith('DEPGRP_')))

    /** Collects both systems, runs the job and checks that nothing failed. */
    function collectAndRun(): RunJson {
      assert.equal(run('collect').status, 0, 'collect')
      const result = json<RunJson>('job', 'run', JOB)
      assert.deepEqual(
        result.steps.filter((s) => s.failed > 0),
        [],
      )
      assert.equal(result.execution?.failed ?? 0, 0, JSON.stringify(result.execution))
      return result
    }

    /** Operations per function of a run (only the steps that planned any). */
    const planned = (result: RunJson) =>
      Object.fromEntries(result.steps.filter((s) => s.operations > 0).map((s) => [s.function, s.operations]))

    /** Membership operations of a run: [adds, removes]. */
    const membershipOps = (result: RunJson) => {
      const of = (fn: string) => result.steps.find((s) => s.mapping === LABEL && s.function === fn)?.operations
      return [of('group_members_add'), of('group_members_remove')]
    }

    /** Current employees with an account and exactly one contract (which runs), not among `except`. */
    function singleContractEmployees(except: readonly string[]): { id: string; account: string; unit: string }[] {
      const contracts = new CsvFile(path.join(hrDir, 'contracts.csv')).rows()
      const account = accounts()
      const byEmployee = new Map<string, typeof contracts>()
      for (const c of contracts) byEmployee.set(c['employee_id']!, [...(byEmployee.get(c['employee_id']!) ?? []), c])
      return [...byEmployee]
        .filter(([id, own]) => own.length === 1 && isCurrent(own[0]!) && account.has(id) && !except.includes(id))
        .map(([id, own]) => ({ id, account: account.get(id)!, unit: own[0]!['organizational_unit']! }))
    }

    before(() => {
      project = copyHr500()
      hrDir = path.join(project.dir, 'files', 'hr500')
      schema = kind === 'postgres' ? `e2e_roles_${process.pid}_${Date.now().toString(36)}` : undefined
      unmanagedAtStart = [...(memberships().get(UNMANAGED) ?? [])].sort()
      assert.ok(unmanagedAtStart.length > 0, 'the seeded directory has members in the unmanaged group')
    })
    after(async () => {
      project.remove()
      await dropVaultSchema(schema)
    })

    it('refuses to plan memberships before a role model is active', () => {
      assert.equal(run('collect').status, 0)
      const result = run('job', 'evaluate', JOB)
      assert.equal(result.status, 1)
      assert.match(result.stderr, /No role model is active.*\[ENG_NO_ACTIVE_ROLE_MODEL\]/)
      assert.match(result.stderr, /provisio roles activate/)
    })

    it('creates the missing department groups, and aligns the groups that exist', () => {
      assert.equal(run('roles', 'activate').status, 0)
      const groupsBefore = directory((db) => db.prepare('SELECT cn FROM groups').all() as { cn: string }[])
      const result = collectAndRun()
      const units = departmentUnits(hrDir)
      const missing = units.filter((u) => !groupsBefore.some((g) => g.cn === `DEPGRP_${u}`))
      assert.ok(missing.length > 0, 'the seeded directory misses some department groups')
      assert.equal(planned(result)['groups_create'], missing.length)
      const groups = directory((db) => db.prepare('SELECT cn, description FROM groups').all() as { cn: string }[])
      assert.deepEqual(
        groups.map((g) => g.cn).sort(),
        [...units.map((u) => `DEPGRP_${u}`), UNMANAGED].sort(),
        'one group per department, and the unmanaged group',
      )
      const [adds, removes] = membershipOps(result)
      assert.ok(adds! > 0 && removes! > 0, `adds ${adds}, removes ${removes}`)
      // The new groups were not in the vault when the memberships step was planned: still empty.
      const now = memberships()
      for (const unit of missing)
        assert.equal(now.get(`DEPGRP_${unit}`), undefined, `DEPGRP_${unit} has no members yet`)
    })

    it('fills the new groups and the new accounts on the next run: each department group holds its current employees', () => {
      const result = collectAndRun()
      assert.deepEqual(Object.keys(planned(result)), ['group_members_add'], 'only adds')
      assert.deepEqual(pairsOf(managed(memberships())), pairsOf(expected()))
      // A person with current contracts in two departments is in both groups.
      const several = [...currentUnits(hrDir)].filter(([id, units]) => units.size > 1 && accounts().has(id))
      assert.ok(several.length > 0, 'HR500 has people with two current contracts')
      for (const [id, units] of several)
        for (const unit of units) assert.ok(memberships().get(`DEPGRP_${unit}`)?.has(accounts().get(id)!), id)
      assert.deepEqual(
        [...(memberships().get(UNMANAGED) ?? [])].sort(),
        unmanagedAtStart,
        'the unmanaged group is untouched',
      )
    })

    it('plans nothing on a rerun, and collecting the directory again finds what the write-back recorded', () => {
      const collected = json<{ collections: { tables: { added: number; changed: number; removed: number }[] }[] }>(
        'collect',
        'directory',
      )
      assert.deepEqual(
        collected.collections[0]!.tables.map((t) => t.added + t.changed + t.removed),
        [0, 0, 0],
      )
      assert.deepEqual(planned(collectAndRun()), {}, 'the rerun plans nothing')
    })

    it('removes a member added by hand to a managed group, and keeps one added to the unmanaged group', () => {
      ;[person, mover] = singleContractEmployees([]) as [typeof person, typeof mover]
      const other = departmentUnits(hrDir).find((u) => u !== person.unit)!
      directory((db) => {
        const add = db.prepare('INSERT INTO group_members (group_cn, member) VALUES (?, ?)')
        add.run(`DEPGRP_${other}`, person.account)
        add.run(UNMANAGED, person.account)
      })
      const result = collectAndRun()
      assert.deepEqual(planned(result), { group_members_remove: 1 })
      const now = memberships()
      assert.ok(!now.get(`DEPGRP_${other}`)!.has(person.account), 'the hand-made member is removed')
      assert.ok(now.get(UNMANAGED)!.has(person.account), 'the unmanaged group keeps its member')
      assert.ok(now.get(`DEPGRP_${person.unit}`)!.has(person.account), 'the granted membership stays')
    })

    it('takes a membership spelled in another case for the one the role grants (caseInsensitive columns)', () => {
      directory((db) => {
        db.prepare('DELETE FROM group_members WHERE group_cn = ? AND member = ?').run(
          `DEPGRP_${mover.unit}`,
          mover.account,
        )
        db.prepare('INSERT INTO group_members (group_cn, member) VALUES (?, ?)').run(
          `depgrp_${mover.unit.toLowerCase()}`,
          mover.account.toUpperCase(),
        )
      })
      assert.deepEqual(planned(collectAndRun()), {}, 'nothing to add or remove')
    })

    it('moves the membership of an employee who changed department, on the next run', () => {
      const target = departmentUnits(hrDir).find((u) => u !== mover.unit && u !== person.unit)!
      new CsvFile(path.join(hrDir, 'contracts.csv')).edit(
        (c) => c['employee_id'] === mover.id,
        (c) => ({ ...c, organizational_unit: target }),
      )
      const result = collectAndRun()
      assert.deepEqual(membershipOps(result), [1, 1])
      assert.equal(planned(result)['users_update'], 1, 'the account shows the new department')
      const now = memberships()
      assert.ok(!now.get(`DEPGRP_${mover.unit}`)!.has(mover.account), 'out of the old department group')
      assert.ok(now.get(`DEPGRP_${target}`)!.has(mover.account), 'in the new department group')
      assert.deepEqual(pairsOf(managed(now)), pairsOf(expected()))
      mover = { ...mover, unit: target }
    })

    it('puts a person who gets a second contract in a second department into both groups', () => {
      const second = departmentUnits(hrDir).find((u) => u !== person.unit && u !== mover.unit)!
      new CsvFile(path.join(hrDir, 'contracts.csv')).append({
        contract_id: 'C9900001',
        employee_id: person.id,
        organizational_unit: second,
        job_title: 'Project Lead',
        start_date: '01-10-2026',
        fte: '0,2',
        contract_type: 'temporary',
      })
      const result = collectAndRun()
      assert.deepEqual(membershipOps(result), [1, 0])
      const now = memberships()
      assert.ok(now.get(`DEPGRP_${person.unit}`)!.has(person.account), 'still in the first department group')
      assert.ok(now.get(`DEPGRP_${second}`)!.has(person.account), 'and in the second')
      assert.deepEqual(pairsOf(managed(now)), pairsOf(expected()))
      const inspected = json<{ roles: { role: string; groups: { name: string }[] }[]; pending: unknown[] }>(
        'roles',
        'inspect',
        '--member',
        person.account,
      )
      assert.deepEqual(
        inspected.roles.map((r) => [r.role, r.groups.map((g) => g.name)]).sort(),
        [
          [`DEP_${person.unit}`, [`DEPGRP_${person.unit}`]],
          [`DEP_${second}`, [`DEPGRP_${second}`]],
        ].sort(),
      )
      assert.deepEqual(inspected.pending, [])
      const text = run('roles', 'inspect', '--member', person.account)
      assert.equal(text.status, 0, text.stderr)
      assert.match(text.stdout, new RegExp(`DEP_${second}\\s+department_roles\\s+\\d+\\s+directory:DEPGRP_${second}`))
    })

    it('a leaver loses every managed membership and keeps the unmanaged one', () => {
      const units = currentUnits(hrDir).get(person.id)!
      assert.equal(units.size, 2)
      new CsvFile(path.join(hrDir, 'contracts.csv')).edit(
        (c) => c['employee_id'] === person.id,
        (c) => ({ ...c, end_date: '30-11-2026' }),
      )
      const result = collectAndRun()
      assert.deepEqual(planned(result), { users_disable: 1, group_members_remove: 2 })
      const now = memberships()
      assert.deepEqual(
        [...now].filter(([group, members]) => group.startsWith('DEPGRP_') && members.has(person.account)),
        [],
        'in no department group',
      )
      assert.ok(now.get(UNMANAGED)!.has(person.account), 'still in the unmanaged group')
      assert.deepEqual(pairsOf(managed(now)), pairsOf(expected()))
      const inspected = json<{ roles: unknown[]; pending: unknown[] }>('roles', 'inspect', '--member', person.account)
      assert.deepEqual([inspected.roles, inspected.pending], [[], []])
    })

    it('plans nothing on the next rerun', () => {
      assert.deepEqual(planned(collectAndRun()), {})
    })

    it('records every membership write in the audit, with the group and the member', () => {
      const audit = json<AuditJson[]>('audit', '--mapping', LABEL, '--limit', '100000')
      assert.ok(audit.length > 0)
      assert.deepEqual(
        audit.filter((a) => a.outcome !== 'succeeded'),
        [],
      )
      const records = (fn: string) =>
        audit.filter((a) => a.function === fn).map((a) => `${a.after?.group} ${a.after?.member}`)
      const plans = json<{ id: number }[]>('plan', 'list', '--limit', '100')
      let adds = 0
      let removes = 0
      for (const { id } of plans) {
        const shown = json<{ steps: StepJson[] }>('plan', 'show', String(id))
        for (const s of shown.steps.filter((s) => s.mapping === LABEL)) {
          if (s.function === 'group_members_add') adds += s.operations
          else removes += s.operations
        }
      }
      assert.equal(records('group_members_add').length, adds)
      assert.equal(records('group_members_remove').length, removes)
      // The leaver's removals and the move, as written.
      assert.ok(records('group_members_remove').includes(`DEPGRP_${person.unit} ${person.account}`))
      assert.ok(records('group_members_add').includes(`DEPGRP_${mover.unit} ${mover.account}`))
    })
  })
}
