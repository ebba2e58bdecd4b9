/**
 * End to end: a sync task with `approval: true` on a copy of examples/hr500, through the real CLI —
 * `task run` stops as awaiting approval and writes nothing; `runs show` shows the plan, the log,
 * the configuration revision and the commands to decide; `runs approve` writes the directory;
 * `runs reject` discards a later run's plan for good.
 */
import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { type CliResult, copyHr500, jsonOf, provisio, projectArgs } from '../support/cli.ts'
import { VAULT_KINDS, dropVaultSchema } from '../support/vaults.ts'

const TASKS = `kind: Task
name: reviewed_sync
type: sync
collect: [hr500, directory]
evaluate: [directory_accounts]
approval: true
`

interface ShowJson {
  run: { id: number; status: string; planIds: number[]; approvedBy?: string; configRevision?: number }
  revision?: { id: number; hash: string }
  plans: { id: number; status: string; steps: { operations: number }[] }[]
  log: { level: string; message: string }[]
  logTotal: number
}

for (const kind of VAULT_KINDS) {
  describe(`provisio task run / runs approve|reject with approval on examples/hr500 (${kind})`, () => {
    let project: ReturnType<typeof copyHr500>
    const schema = kind === 'postgres' ? `cli_approval_${process.pid}_${Date.now().toString(36)}` : undefined
    const run = (...rest: string[]): CliResult => provisio([...rest, ...projectArgs(project.dir, schema)])
    const json = <T>(...rest: string[]) => jsonOf<T>(run(...rest, '--json'), rest)
    const users = () => {
      const db = new Database(path.join(project.dir, '.provisio', 'directory.db'), { readonly: true })
      try {
        return (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n
      } finally {
        db.close()
      }
    }
    let awaitingId = 0

    before(() => {
      project = copyHr500()
      mkdirSync(path.join(project.dir, 'tasks'), { recursive: true })
      writeFileSync(path.join(project.dir, 'tasks', 'tasks.yaml'), TASKS)
      const activated = run('roles', 'activate')
      assert.equal(activated.status, 0, activated.stderr)
    })
    after(async () => {
      project.remove()
      await dropVaultSchema(schema)
    })

    it('task run stops as awaiting approval, writes nothing, and says how to approve', () => {
      const before = users()
      const result = run('task', 'run', 'reviewed_sync')
      assert.equal(result.status, 0, result.stderr)
      const id = /Task reviewed_sync awaiting-approval \(run (\d+)\)/.exec(result.stdout)?.[1]
      assert.ok(id !== undefined, result.stdout)
      awaitingId = Number(id)
      assert.match(result.stdout, new RegExp(`\`provisio runs approve ${id}\``))
      assert.equal(users(), before, 'nothing was written')
      const listed = json<{ id: number; status: string }[]>('runs', '--status', 'awaiting-approval')
      assert.deepEqual(
        listed.map((r) => [r.id, r.status]),
        [[awaitingId, 'awaiting-approval']],
      )
    })

    it('runs show shows the revision, the plan, the log and the commands to decide', () => {
      const shown = json<ShowJson>('runs', 'show', String(awaitingId))
      assert.equal(shown.run.status, 'awaiting-approval')
      assert.equal(shown.revision?.id, shown.run.configRevision)
      assert.match(shown.revision?.hash ?? '', /^[0-9a-f]{64}$/)
      assert.deepEqual(
        shown.plans.map((p) => [p.id, p.status]),
        [[shown.run.planIds[0], 'planned']],
      )
      assert.ok(shown.plans[0]!.steps.some((s) => s.operations > 0))
      assert.ok(shown.log.some((l) => l.message.startsWith('awaiting approval: ')))
      const text = run('runs', 'show', String(awaitingId))
      assert.equal(text.status, 0, text.stderr)
      assert.match(text.stdout, /Configuration: revision \d+ \([0-9a-f]{12}, \d+ document\(s\)\)/)
      assert.match(text.stdout, /Plan \d+ \(job directory_accounts, planned\)/)
      assert.match(text.stdout, /Log:\n.*info +task reviewed_sync \(sync\) started by cli/)
      assert.match(text.stdout, new RegExp(`provisio runs approve ${awaitingId} `))
      assert.match(text.stdout, new RegExp(`provisio runs reject ${awaitingId} \\[--reason TEXT\\]`))
      const short = run('runs', 'show', String(awaitingId), '--log', '2')
      assert.match(short.stdout, /\(the last 2 of \d+ lines; `provisio runs show \d+ --log all` prints them all\)/)
    })

    it('runs approve executes the plan and writes the directory; approving again is refused', () => {
      const before = users()
      const approved = json<{ status: string; executions: { succeeded: number }[] }>(
        'runs',
        'approve',
        String(awaitingId),
      )
      assert.equal(approved.status, 'succeeded')
      assert.ok(approved.executions[0]!.succeeded > 0)
      assert.ok(users() > before, 'accounts were created')
      const shown = json<ShowJson>('runs', 'show', String(awaitingId))
      assert.deepEqual([shown.run.status, shown.run.approvedBy], ['succeeded', 'cli'])
      const again = run('runs', 'approve', String(awaitingId))
      assert.equal(again.status, 1)
      assert.match(again.stderr, /Run \d+ is succeeded, not awaiting approval\. \[JOB_NOT_AWAITING_APPROVAL\]/)
    })

    it('runs reject discards a run: its plan is rejected and cannot be approved', () => {
      // Make the directory differ from HR again, so the next evaluation plans something.
      const db = new Database(path.join(project.dir, '.provisio', 'directory.db'))
      try {
        db.prepare('DELETE FROM users WHERE rowid IN (SELECT rowid FROM users ORDER BY rowid DESC LIMIT 3)').run()
      } finally {
        db.close()
      }
      const started = json<{ runId: number; status: string }>('task', 'run', 'reviewed_sync')
      assert.equal(started.status, 'awaiting-approval')
      const rejected = run('runs', 'reject', String(started.runId), '--reason', 'not today')
      assert.equal(rejected.status, 0, rejected.stderr)
      assert.match(rejected.stdout, new RegExp(`Run ${started.runId} \\(task reviewed_sync\\) rejected: not today\\.`))
      const shown = json<ShowJson>('runs', 'show', String(started.runId))
      assert.deepEqual([shown.run.status, shown.plans[0]?.status], ['rejected', 'rejected'])
      const approve = run('runs', 'approve', String(started.runId))
      assert.equal(approve.status, 1)
      assert.match(approve.stderr, /JOB_NOT_AWAITING_APPROVAL/)
    })
  })
}
