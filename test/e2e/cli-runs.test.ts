/**
 * End to end: `provisio runs` and `provisio runs show` through the real command on a copy of
 * examples/hr500 — the demo's task run (whose plan ran as a plan run) and its second job run, then a plan execution that skips an operation whose
 * directory row changed after planning — on the embedded vault and (when available) PostgreSQL.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { type CliResult, copyHr500, provisio, projectArgs, jsonOf } from '../support/cli.ts'
import { VAULT_KINDS, dropVaultSchema } from '../support/vaults.ts'

interface RunJson {
  id: number
  kind: string
  name: string
  status: string
  actor: string
  planId?: number
  counts: Record<string, number>
  durationMs?: number
}

interface ShowJson {
  run: RunJson
  plan?: { id: number; status: string; steps: { mapping: string; function: string; operations: number }[] }
  operations: { seq: number; status: string; key?: { value: string }; errorCode?: string; message?: string }[]
}

for (const kind of VAULT_KINDS) {
  describe(`provisio runs on examples/hr500 (${kind})`, () => {
    let project: ReturnType<typeof copyHr500>
    let schema: string | undefined

    function run(...rest: string[]): CliResult {
      return provisio([...rest, ...projectArgs(project.dir, schema)])
    }

    function json<T>(...rest: string[]): T {
      return jsonOf<T>(run(...rest, '--json'), rest)
    }

    before(() => {
      project = copyHr500()
      schema = kind === 'postgres' ? `e2e_runs_${process.pid}_${Date.now().toString(36)}` : undefined
    })
    after(async () => {
      project.remove()
      await dropVaultSchema(schema)
    })

    it('says how to record a run when there is none', () => {
      const empty = run('runs')
      assert.equal(empty.status, 0, empty.stderr)
      assert.match(empty.stdout, /No runs match/)
      assert.deepEqual(json<RunJson[]>('runs'), [])
    })

    it("lists the demo's runs newest first, with their plans and counts", () => {
      assert.equal(run('demo').status, 0)
      const runs = json<RunJson[]>('runs')
      assert.deepEqual(
        runs.map((r) => [r.kind, r.name, r.status, r.actor, r.counts['succeeded']]),
        [
          ['job', 'directory_accounts', 'succeeded', 'demo', 166],
          ['plan', String(runs[1]!.planId), 'succeeded', 'demo', 222],
          ['task', 'daily_sync', 'succeeded', 'demo', 222],
        ],
      )
      assert.ok(runs[0]!.id > runs[1]!.id && runs[1]!.id > runs[2]!.id)
      assert.ok(runs.slice(0, 2).every((r) => typeof r.planId === 'number' && typeof r.durationMs === 'number'))
      assert.deepEqual(
        json<RunJson[]>('runs', '--job', 'directory_accounts').map((r) => r.id),
        [runs[0]!.id],
      )
      assert.deepEqual(
        json<RunJson[]>('runs', '--task', 'daily_sync').map((r) => r.id),
        [runs[2]!.id],
      )
      assert.deepEqual(json<RunJson[]>('runs', '--job', "x'; DROP TABLE runs; --"), [])
      assert.deepEqual(json<RunJson[]>('runs', '--task', 'nightly'), [])
      assert.deepEqual(json<RunJson[]>('runs', '--status', 'failed'), [])
      assert.equal(json<RunJson[]>('runs', '--limit', '1').length, 1)
      const text = run('runs')
      assert.equal(text.status, 0, text.stderr)
      assert.match(text.stdout, /run\s+kind\s+name\s+status\s+started\s+duration\s+actor\s+counts\s+plan/)
      assert.match(text.stdout, new RegExp(`${runs[0]!.id}\\s+job\\s+directory_accounts\\s+succeeded\\s+\\S+`))
    })

    it("shows a plan run: its plan's steps and its operations", () => {
      const first = json<RunJson[]>('runs').find((r) => r.kind === 'plan')!
      const shown = json<ShowJson>('runs', 'show', String(first.id))
      assert.deepEqual([shown.run.id, shown.run.status, shown.plan?.id], [first.id, 'succeeded', first.planId])
      assert.deepEqual(
        shown.plan?.steps.map((s) => [s.mapping, s.operations]),
        [
          ['create_department_groups', 6],
          ['create_accounts', 50],
          ['update_accounts', 23],
          ['disable_leavers', 27],
          ['memberships:directory', 62],
          ['memberships:directory', 54],
        ],
      )
      assert.equal(shown.operations.length, 222, '--json shows every operation')
      assert.ok(shown.operations.every((o) => o.status === 'succeeded'))
      const text = run('runs', 'show', String(first.id))
      assert.equal(text.status, 0, text.stderr)
      assert.match(text.stdout, new RegExp(`Run ${first.id} \\(plan ${first.planId}\\): succeeded`))
      assert.match(text.stdout, /create_accounts\s+directory\.users_create\s+50\s+0\s+0\s+100/)
      assert.match(text.stdout, /… 172 more \(`provisio runs show \d+ --all` lists them all\)/)
      assert.equal(run('runs', 'show', String(first.id), '--limit', '5').stdout.match(/succeeded {2}/g)?.length, 5)
    })

    it('shows the skipped operation of a plan run first, with its error code and key', () => {
      const accounts = json<{ rows: Record<string, string>[] }>(
        'filter',
        'run',
        'accounts_of_current_employees',
        '--limit',
        '2',
      ).rows.map((r) => [r['e.employee_id']!, r['u.objectGUID']!] as const)
      const file = path.join(project.dir, 'files', 'hr500', 'employees.csv')
      const lines = readFileSync(file, 'utf8').split('\r\n')
      const header = lines[0]!.replace(/^\uFEFF/, '').split(';')
      const names = new Map(accounts.map(([id], i) => [id, `Runs-${i}`]))
      const edited = lines.map((line, i) => {
        const fields = line.split(';')
        const name = i === 0 ? undefined : names.get(fields[header.indexOf('employee_id')] ?? '')
        if (name !== undefined) fields[header.indexOf('last_name')] = name
        return fields.join(';')
      })
      writeFileSync(file, edited.join('\r\n'))
      assert.equal(run('collect', 'hr500').status, 0)
      const { planId } = json<{ planId: number }>('mapping', 'evaluate', 'update_accounts')
      // The second account changes in the directory after planning: its operation is skipped.
      const skippedGuid = accounts[1]![1]
      const directory = new Database(path.join(project.dir, '.provisio', 'directory.db'))
      directory.prepare("UPDATE users SET department = 'ELSEWHERE' WHERE objectGUID = ?").run(skippedGuid)
      directory.close()
      assert.equal(run('collect', 'directory').status, 0)
      assert.equal(run('plan', 'execute', String(planId)).status, 0)

      const latest = json<RunJson[]>('runs', '--limit', '1')[0]!
      assert.deepEqual(
        [latest.kind, latest.name, latest.planId, latest.status, latest.actor],
        ['plan', String(planId), planId, 'succeeded', 'cli'],
      )
      const shown = json<ShowJson>('runs', 'show', String(latest.id))
      assert.deepEqual(
        shown.operations.map((o) => [o.status, o.key?.value, o.errorCode ?? null]),
        [
          ['skipped', skippedGuid, 'ENG_TARGET_CHANGED'],
          ['succeeded', accounts[0]![1], null],
        ],
      )
      const text = run('runs', 'show', String(latest.id))
      assert.equal(text.status, 0, text.stderr)
      assert.match(text.stdout, new RegExp(`skipped\\s+ENG_TARGET_CHANGED: .*sn: ".*" → "Runs-1"`))
      assert.ok(text.stdout.indexOf('skipped') < text.stdout.indexOf('Runs-0'), 'the skipped operation comes first')
    })

    it('refuses an unknown run id with a hint, and a wrong status with a did-you-mean', () => {
      const unknown = run('runs', 'show', '9999')
      assert.equal(unknown.status, 1)
      assert.match(unknown.stderr, /There is no run 9999\. \[VLT_UNKNOWN_RUN\]/)
      assert.match(unknown.stderr, /`provisio runs` lists the recorded runs/)
      const asJson = run('runs', 'show', '9999', '--json')
      assert.equal(asJson.status, 1)
      assert.match(asJson.stdout + asJson.stderr, /VLT_UNKNOWN_RUN/)
      const status = run('runs', '--status', 'faild')
      assert.equal(status.status, 1)
      assert.match(status.stderr, /Did you mean 'failed'\?/)
    })
  })
}
