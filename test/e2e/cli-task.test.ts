/**
 * End to end: `provisio task list|run` on a copy of examples/hr500 with two tasks added — a sync
 * task (collect both systems, evaluate and execute the directory job) and a disabled export task.
 */
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { type CliResult, copyHr500, provisio, projectArgs } from '../support/cli.ts'
import { VAULT_KINDS, dropVaultSchema } from '../support/vaults.ts'

const TASKS = `kind: Task
name: nightly_sync
type: sync
schedule: { cron: '0 2 * * *', timeZone: Europe/Amsterdam }
collect: [hr500, directory]
evaluate: [directory_accounts]
---
kind: Task
name: staff_export
type: export
enabled: false
filter: current_employees
file: exports/staff-{task}.csv
delimiter: ';'
`

for (const kind of VAULT_KINDS) {
  describe(`provisio task on examples/hr500 (${kind})`, () => {
    let project: ReturnType<typeof copyHr500>
    const schema = kind === 'postgres' ? `cli_task_${process.pid}_${Date.now().toString(36)}` : undefined

    function run(...rest: string[]): CliResult {
      return provisio([...rest, ...projectArgs(project.dir, schema)])
    }

    before(() => {
      project = copyHr500()
      // The demo's own task and its report: this test lists and runs only the tasks it writes.
      for (const dir of ['tasks', 'notifications'])
        rmSync(path.join(project.dir, dir), { recursive: true, force: true })
      mkdirSync(path.join(project.dir, 'tasks'))
      writeFileSync(path.join(project.dir, 'tasks', 'tasks.yaml'), TASKS)
      const activated = run('roles', 'activate')
      assert.equal(activated.status, 0, activated.stderr)
    })
    after(async () => {
      project.remove()
      await dropVaultSchema(schema)
    })

    it('lists the tasks with their schedules and next run times', () => {
      const result = run('task', 'list', '--json')
      assert.equal(result.status, 0, result.stderr)
      const { tasks } = JSON.parse(result.stdout) as {
        tasks: { name: string; type: string; enabled: boolean; nextRun: string | null; nextRunText: string }[]
      }
      assert.deepEqual(
        tasks.map((t) => [t.name, t.type, t.enabled]),
        [
          ['nightly_sync', 'sync', true],
          ['staff_export', 'export', false],
        ],
      )
      assert.match(tasks[0]!.nextRunText, /^\d{4}-\d{2}-\d{2} 02:00 Europe\/Amsterdam$/)
      assert.equal(tasks[1]!.nextRun, null, 'a task without a schedule has no next run')
    })

    it('evaluates only with --evaluate-only, writing nothing to the directory', () => {
      const result = run('task', 'run', 'nightly_sync', '--evaluate-only')
      assert.equal(result.status, 0, result.stderr)
      assert.match(result.stdout, /Collected hr500 in/)
      assert.match(result.stdout, /Collected directory in/)
      assert.match(result.stdout, /Task nightly_sync succeeded \(evaluated only\)/)
      assert.doesNotMatch(result.stdout, /Executed plan/)
    })

    it('runs the sync task: collects, evaluates and executes', () => {
      const db = new Database(path.join(project.dir, '.provisio', 'directory.db'), { readonly: true })
      const users = () => (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n
      try {
        const before = users()
        const result = run('task', 'run', 'nightly_sync', '--json')
        assert.equal(result.status, 0, result.stderr)
        const runJson = JSON.parse(result.stdout) as {
          status: string
          counts: Record<string, number>
          executions: { job: string; succeeded: number; failed: number }[]
        }
        assert.equal(runJson.status, 'succeeded')
        assert.equal(runJson.counts['collected'], 2)
        assert.equal(runJson.executions[0]?.job, 'directory_accounts')
        assert.ok(runJson.executions[0].succeeded > 0)
        assert.equal(runJson.counts['succeeded'], runJson.executions[0].succeeded)
        assert.ok(users() > before, 'accounts were created')
      } finally {
        db.close()
      }
    })

    it('runs a disabled export task when asked, saying so', () => {
      const result = run('task', 'run', 'staff_export')
      assert.equal(result.status, 0, result.stderr)
      assert.match(result.stderr, /task staff_export is disabled/)
      assert.match(result.stdout, /Exported \d+ row\(s\) to exports\/staff-staff_export\.csv\./)
      assert.deepEqual(readdirSync(path.join(project.dir, 'exports')), ['staff-staff_export.csv'])
      const [header] = readFileSync(path.join(project.dir, 'exports', 'staff-staff_export.csv'), 'utf8').split('\r\n')
      assert.equal(
        header,
        'e.employee_id;e.first_name;e.middle_name;e.last_name;c.job_title;d.organizational_unit;d.name',
      )
    })

    it('exits 1 with a did-you-mean for an unknown task', () => {
      const result = run('task', 'run', 'nightly_snyc')
      assert.equal(result.status, 1)
      assert.match(result.stderr, /JOB_UNKNOWN_TASK/)
      assert.match(result.stderr, /Did you mean 'nightly_sync'\?/)
    })
  })
}
