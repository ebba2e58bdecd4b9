/**
 * End to end: the soll-ist engine through the `provisio` command on a copy of examples/hr500, whose
 * directory is a real SQL target (a SQLite file), on the embedded vault and (when available) on
 * PostgreSQL. The tests build on each other, in order, like a person working through the demo:
 * provision, run again, review a plan, execute it while the directory changes underneath, search
 * the audit, hit a threshold.
 *
 * The copy's password generator starts every password with `pw-<employee id>-`, so that the tests
 * can prove no password lands in any output, the vault or the directory (which holds a hash).
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { type CliResult, copyHr500, provisio, projectArgs, jsonOf } from '../support/cli.ts'
import { VAULT_KINDS, vaultText, dropVaultSchema } from '../support/vaults.ts'

/** What a generated password looks like with the copy's generator. */
const PASSWORD = /pw-\d+-/

interface User {
  objectGUID: string
  sAMAccountName: string
  employeeID: string | null
  sn: string | null
  department: string | null
  enabled: number
  password_hash: string | null
}

interface StepJson {
  mapping: string
  function: string
  operations: number
  unchanged: number
  failed: number
}

interface OperationJson {
  seq: number
  function: string
  key?: { column: string; value: string }
  attributes: Record<string, unknown>
  secrets: string[]
  status: string
  errorCode?: string
}

interface AuditJson {
  function: string
  keyValue?: string
  before?: Record<string, unknown>
  after?: Record<string, unknown>
  outcome: string
  planId?: number
}

for (const kind of VAULT_KINDS) {
  describe(`provisio engine on examples/hr500 (${kind})`, () => {
    let project: ReturnType<typeof copyHr500>
    let schema: string | undefined
    const outputs: string[] = []
    /** Employees whose HR data a test changed: later tests pick others. */
    const edited = new Set<string>()
    /** The account the plan-execute test renamed, for the audit test. */
    let renamed = ''

    /** Runs provisio on the copy, keeping every output to look for passwords in at the end. */
    function run(...rest: string[]): CliResult {
      const result = provisio([...rest, ...projectArgs(project.dir, schema)])
      outputs.push(result.stdout, result.stderr)
      return result
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

    const users = () => directory((db) => db.prepare('SELECT * FROM users ORDER BY objectGUID').all() as User[])

    /** Changes columns of employees in the HR export (semicolon-separated, BOM, CRLF). */
    function editEmployees(changes: Record<string, Record<string, string>>): void {
      const file = path.join(project.dir, 'files', 'hr500', 'employees.csv')
      const lines = readFileSync(file, 'utf8').split('\r\n')
      const header = lines[0]!.replace(/^\uFEFF/, '').split(';')
      const id = header.indexOf('employee_id')
      const changed = lines.map((line, i) => {
        const fields = line.split(';')
        const change = i === 0 ? undefined : changes[fields[id] ?? '']
        if (change === undefined) return line
        for (const [column, value] of Object.entries(change)) fields[header.indexOf(column)] = value
        return fields.join(';')
      })
      writeFileSync(file, changed.join('\r\n'))
      for (const id of Object.keys(changes)) edited.add(id)
    }

    /** `n` current employees with an account whose HR data no test has changed: [employee id, objectGUID]. */
    function employeesWithAccount(n: number): [string, string][] {
      const filtered = json<{ rows: Record<string, string>[] }>(
        'filter',
        'run',
        'accounts_of_current_employees',
        '--limit',
        String(n + edited.size),
      )
      return filtered.rows
        .map((r): [string, string] => [r['e.employee_id']!, r['u.objectGUID']!])
        .filter(([id]) => !edited.has(id))
        .slice(0, n)
    }

    before(() => {
      project = copyHr500()
      schema = kind === 'postgres' ? `e2e_eng_${process.pid}_${Date.now().toString(36)}` : undefined
      const generators = path.join(project.dir, 'mappings', 'generators.yaml')
      writeFileSync(
        generators,
        readFileSync(generators, 'utf8').replace(
          'excludeSimilar: true',
          `excludeSimilar: true\nparts: ["'pw-' || e.employee_id || '-'", random]`,
        ),
      )
    })
    after(async () => {
      project.remove()
      await dropVaultSchema(schema)
    })

    it('provisions HR500 into the directory with provisio demo: 6 groups, 50 created, 23 updated, 27 disabled, memberships', () => {
      const before = users()
      assert.equal(before.length, 538)
      const demo = json<{
        roleModel: { id: number; activated: boolean }
        job: { planId: number; steps: StepJson[]; execution: { status: string; succeeded: number; failed: number } }
        rerun: { steps: StepJson[]; execution: { status: string; succeeded: number; failed: number } }
      }>('demo')
      assert.deepEqual([demo.roleModel.id, demo.roleModel.activated], [1, true], 'the demo activates the role model')
      assert.deepEqual(
        demo.job.steps.map((s) => [s.mapping, s.function, s.operations, s.failed]),
        [
          ['create_department_groups', 'groups_create', 6, 0],
          ['create_accounts', 'users_create', 50, 0],
          ['update_accounts', 'users_update', 23, 0],
          ['disable_leavers', 'users_disable', 27, 0],
          ['memberships:directory', 'group_members_add', 62, 0],
          ['memberships:directory', 'group_members_remove', 54, 0],
        ],
      )
      assert.deepEqual(
        [demo.job.execution.status, demo.job.execution.succeeded, demo.job.execution.failed],
        ['executed', 222, 0],
      )
      // The groups and accounts the first run created get their members on the second.
      assert.deepEqual(
        demo.rerun.steps.filter((s) => s.operations > 0).map((s) => [s.function, s.operations]),
        [['group_members_add', 166]],
      )
      assert.deepEqual([demo.rerun.execution.status, demo.rerun.execution.succeeded], ['executed', 166])
      const after = users()
      assert.equal(after.length, 588)
      const created = after.filter((u) => !before.some((b) => b.objectGUID === u.objectGUID))
      assert.equal(created.length, 50)
      for (const user of created) {
        assert.match(user.password_hash ?? '', /^scrypt\$[^$]+\$[^$]+$/, 'the directory holds a hash')
        assert.equal(user.enabled, 1)
      }
      assert.equal(
        after.filter((u) => u.enabled === 0).length - before.filter((u) => u.enabled === 0).length,
        27,
        '27 leavers disabled',
      )
      // The human output shows the same steps.
      const text = run('plan', 'show', String(demo.job.planId))
      assert.equal(text.status, 0, text.stderr)
      assert.match(text.stdout, /create_accounts\s+directory\.users_create\s+50\s+0\s+0\s+100/)
    })

    it('finds nothing to do on a second job run and writes nothing', () => {
      const before = users()
      const audited = json<AuditJson[]>('audit', '--limit', '10000').length
      const again = run('job', 'run', 'directory_accounts')
      assert.equal(again.status, 0, again.stderr)
      assert.match(again.stdout, /Nothing to do: the target already matches\./)
      assert.deepEqual(users(), before)
      assert.equal(json<AuditJson[]>('audit', '--limit', '10000').length, audited)
    })

    it('collecting the directory after the writes finds no changes: the write-back matches the target', () => {
      const collected = json<{ collections: { tables: { added: number; changed: number; removed: number }[] }[] }>(
        'collect',
        'directory',
      )
      assert.deepEqual(
        collected.collections[0]!.tables.map((t) => t.added + t.changed + t.removed),
        [0, 0, 0],
      )
    })

    it('evaluates a mapping into a plan that is executed as planned', () => {
      const [[employee, guid]] = employeesWithAccount(1) as [[string, string]]
      renamed = guid
      editEmployees({ [employee]: { last_name: 'Évora-Plan' } })
      assert.equal(run('collect', 'hr500').status, 0)
      const evaluated = json<{ planId: number; steps: StepJson[]; operations: OperationJson[] }>(
        'mapping',
        'evaluate',
        'update_accounts',
      )
      assert.deepEqual(
        evaluated.operations.map((o) => [o.function, o.key?.value, o.attributes, o.status]),
        [['users_update', guid, { sn: 'Évora-Plan' }, 'planned']],
      )
      assert.ok(
        directory((db) => db.prepare('SELECT sn FROM users WHERE objectGUID = ?').get(guid) as User).sn !==
          'Évora-Plan',
        'evaluating writes nothing',
      )
      const executed = json<{ status: string; succeeded: number }>('plan', 'execute', String(evaluated.planId))
      assert.deepEqual([executed.status, executed.succeeded], ['executed', 1])
      assert.equal(
        directory((db) => db.prepare('SELECT sn FROM users WHERE objectGUID = ?').get(guid) as User).sn,
        'Évora-Plan',
      )
      const twice = run('plan', 'execute', String(evaluated.planId))
      assert.equal(twice.status, 1)
      assert.match(twice.stderr, /ENG_PLAN_NOT_EXECUTABLE/)
    })

    it('skips an operation whose directory row changed after planning, and runs the rest', () => {
      const [[changedEmployee, changedGuid], [otherEmployee, otherGuid]] = employeesWithAccount(2) as [
        [string, string],
        [string, string],
      ]
      editEmployees({ [changedEmployee]: { last_name: 'Drift' }, [otherEmployee]: { last_name: 'NoDrift' } })
      assert.equal(run('collect', 'hr500').status, 0)
      const { planId } = json<{ planId: number }>('mapping', 'evaluate', 'update_accounts')
      // Someone changes the row in the directory itself before the plan is executed.
      directory((db) =>
        db.prepare("UPDATE users SET department = 'CHANGED_ELSEWHERE' WHERE objectGUID = ?").run(changedGuid),
      )
      assert.equal(run('collect', 'directory').status, 0)
      const executed = run('plan', 'execute', String(planId))
      assert.equal(executed.status, 0, executed.stderr)
      assert.match(executed.stdout, /1 succeeded, 0 failed, 1 skipped/)
      assert.match(executed.stdout, /skipped {2}ENG_TARGET_CHANGED: directory\.users row ".*" changed since the plan/)
      const shown = json<{ status: string; operations: OperationJson[] }>('plan', 'show', String(planId))
      assert.deepEqual(
        shown.operations.map((o) => [o.key?.value, o.status, o.errorCode ?? null]).sort(),
        [
          [changedGuid, 'skipped', 'ENG_TARGET_CHANGED'],
          [otherGuid, 'succeeded', null],
        ].sort(),
      )
      const row = (guid: string) =>
        directory((db) => db.prepare('SELECT sn, department FROM users WHERE objectGUID = ?').get(guid) as User)
      assert.deepEqual(
        [row(changedGuid).sn === 'Drift', row(changedGuid).department],
        [false, 'CHANGED_ELSEWHERE'],
        'the changed row is left as it is',
      )
      assert.equal(row(otherGuid).sn, 'NoDrift')
      // The next evaluation starts from the changed row and plans it anew.
      const again = json<{ operations: OperationJson[] }>('mapping', 'evaluate', 'update_accounts')
      assert.deepEqual(
        again.operations.map((o) => [o.key?.value, o.attributes['sn']]),
        [[changedGuid, 'Drift']],
      )
    })

    it('finds the writes to a directory row in the audit, with before and after values', () => {
      const guid = renamed
      const records = json<AuditJson[]>('audit', '--system', 'directory', '--key', guid)
      assert.ok(records.length >= 1, `audit records for ${guid}`)
      for (const r of records) assert.equal(r.keyValue, guid)
      const update = records.find((r) => r.function === 'users_update' && r.after?.['sn'] === 'Évora-Plan')
      assert.ok(update !== undefined, JSON.stringify(records))
      assert.equal(update.outcome, 'succeeded')
      assert.deepEqual(Object.keys(update.before ?? {}), ['sn'])
      assert.deepEqual(json<AuditJson[]>('audit', '--system', 'directory', '--key', 'no such key'), [])
      const human = run('audit', '--system', 'directory', '--key', guid)
      assert.match(human.stdout, /sn: ".*" → "Évora-Plan"/)
      const created = json<AuditJson[]>('audit', '--mapping', 'create_accounts', '--limit', '100')
      assert.equal(created.length, 50)
      for (const r of created) assert.equal(r.after?.['password'], '(set)')
    })

    it('stops at an exceeded threshold with exit code 1 and a hint, writing nothing; --force goes on', () => {
      const jobs = path.join(project.dir, 'mappings', 'accounts.yaml')
      writeFileSync(
        jobs,
        readFileSync(jobs, 'utf8').replace(/threshold: 10%\s+# of the directory's accounts/, 'threshold: 1'),
      )
      const [[first], [second]] = employeesWithAccount(2) as [[string, string], [string, string]]
      editEmployees({ [first]: { last_name: 'Threshold-One' }, [second]: { last_name: 'Threshold-Two' } })
      assert.equal(run('collect', 'hr500').status, 0)
      const before = users()
      const stopped = run('job', 'run', 'directory_accounts')
      assert.equal(stopped.status, 1)
      assert.match(
        stopped.stderr,
        /Job directory_accounts stopped before writing anything: step 3 \(update_accounts, users_update\) plans \d+ operations, more than its threshold of 1.*\[JOB_THRESHOLD_EXCEEDED\]/,
      )
      assert.match(stopped.stderr, /hint: Review the plan with `provisio plan show \d+`.*--force/)
      assert.deepEqual(users(), before, 'nothing was written')
      const [latest] = json<{ id: number; status: string }[]>('plan', 'list', '--limit', '1')
      assert.equal(latest?.status, 'stopped')
      const forced = json<{ execution: { status: string; succeeded: number } }>(
        'job',
        'run',
        'directory_accounts',
        '--force',
      )
      assert.equal(forced.execution.status, 'executed')
      assert.ok(forced.execution.succeeded >= 2)
      const surnames = users().map((u) => u.sn)
      assert.ok(surnames.includes('Threshold-One') && surnames.includes('Threshold-Two'))
    })

    it('never shows a password: not in any output, the plans, the audit, the vault or the directory', async () => {
      // The demo's plan holds the creates, the only operations that set a password.
      const [demoPlan] = json<{ id: number }[]>('plan', 'list', '--limit', '100').reverse()
      const shown = json<{ operations: OperationJson[] }>('plan', 'show', String(demoPlan!.id), '--all')
      const creates = shown.operations.filter((o) => o.function === 'users_create')
      assert.equal(creates.length, 50)
      for (const o of creates) {
        assert.deepEqual(o.secrets, ['password'])
        assert.ok(!('password' in o.attributes), `operation ${o.seq}`)
      }
      json<AuditJson[]>('audit', '--limit', '10000')
      for (const output of outputs) assert.doesNotMatch(output, PASSWORD)
      assert.doesNotMatch(await vaultText(project.dir, schema), PASSWORD)
      const directoryFile = path.join(project.dir, '.provisio', 'directory.db')
      for (const file of [directoryFile, `${directoryFile}-wal`])
        if (existsSync(file)) assert.doesNotMatch(readFileSync(file).toString('latin1'), PASSWORD)
    })
  })
}
