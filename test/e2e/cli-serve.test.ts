/**
 * End to end: `provisio serve --json` on a copy of examples/hr500 with a task that collects hr500
 * every second. It refuses to start with configuration errors; it runs the task on its schedule,
 * stops on SIGTERM with exit code 0 leaving no run `running`; and a task whose last run was
 * interrupted runs again at once when serve starts. (Interrupting a run half-way is tested at the
 * jobs level, src/jobs/resume-runs.test.ts, where it does not depend on timing.)
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createRun, finishRun, openVaultDriver } from '../../src/vault/index.ts'
import { ROOT, copyHr500, jsonOf, projectArgs, provisio } from '../support/cli.ts'

const TASKS = `kind: Task
name: every_second
type: sync
schedule: { cron: '* * * * * *', timeZone: Europe/Amsterdam }
collect: [hr500]
---
kind: Task
name: yearly
type: sync
schedule: { cron: '0 0 1 1 *', timeZone: UTC }
collect: [hr500]
`

interface ServeEvent {
  readonly event: string
  readonly task?: string
  readonly reason?: string
  readonly status?: string
  readonly runId?: number
}

/** `provisio serve --json` running in the background, its stdout read as JSON lines. */
class Serve {
  readonly child: ChildProcess
  readonly events: ServeEvent[] = []
  stderr = ''
  readonly exited: Promise<number | null>

  constructor(dir: string) {
    this.child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin', 'provisio.mjs'), 'serve', '--json', '--no-api', ...projectArgs(dir, undefined)],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let buffered = ''
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const line of lines) if (line.trim() !== '') this.events.push(JSON.parse(line) as ServeEvent)
    })
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk))
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)))
  }

  /** Waits (up to a minute) until an event matches. */
  async waitFor(match: (e: ServeEvent) => boolean, what: string): Promise<ServeEvent> {
    for (let waited = 0; waited < 60_000; waited += 50) {
      const found = this.events.find(match)
      if (found !== undefined) return found
      if (this.child.exitCode !== null) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    assert.fail(`serve never reported ${what}; events: ${JSON.stringify(this.events)}; stderr: ${this.stderr}`)
  }

  async stop(): Promise<number | null> {
    this.child.kill('SIGTERM')
    return this.exited
  }
}

describe('provisio serve on examples/hr500 (sqlite)', () => {
  let project: ReturnType<typeof copyHr500>
  const running: Serve[] = []

  function serve(): Serve {
    const s = new Serve(project.dir)
    running.push(s)
    return s
  }

  function runs(): { id: number; name: string; actor: string; status: string }[] {
    const command = ['runs', '--json', '--limit', '100', ...projectArgs(project.dir, undefined)]
    return jsonOf(provisio(command), command)
  }

  before(() => {
    project = copyHr500()
    mkdirSync(path.join(project.dir, 'tasks'), { recursive: true })
    writeFileSync(path.join(project.dir, 'tasks', 'tasks.yaml'), TASKS)
  })
  after(() => {
    for (const s of running) if (s.child.exitCode === null) s.child.kill('SIGKILL')
    project.remove()
  })

  it('refuses to start when the project has configuration errors, listing them', () => {
    const broken = path.join(project.dir, 'tasks', 'broken.yaml')
    writeFileSync(broken, "kind: Task\nname: broken\ntype: sync\ncollect: [hr500]\nschedule: { cron: '61 * * * *' }\n")
    try {
      const result = provisio(['serve', ...projectArgs(project.dir, undefined)])
      assert.equal(result.status, 1)
      assert.match(result.stderr, /CFG_INVALID/)
      assert.match(result.stderr, /broken\.yaml/)
    } finally {
      rmSync(broken)
    }
  })

  it('runs the task on its schedule and stops on SIGTERM with exit code 0, leaving no run running', async () => {
    const s = serve()
    const serving = await s.waitFor((e) => e.event === 'serving', 'that it serves')
    assert.deepEqual(serving, { ...serving, resumed: [] })
    const finished = await s.waitFor((e) => e.event === 'finished' && e.task === 'every_second', 'a finished run')
    assert.equal(finished.status, 'succeeded')
    const recorded = runs().find((r) => r.id === finished.runId)
    assert.deepEqual(recorded && [recorded.name, recorded.actor, recorded.status], [
      'every_second',
      'scheduler',
      'succeeded',
    ])

    assert.equal(await s.stop(), 0, s.stderr)
    // After the signal nothing starts; a run in flight ends (interrupted, or done) before serve stops.
    const afterSignal = s.events.slice(s.events.findIndex((e) => e.event === 'signal'))
    assert.deepEqual(
      afterSignal.filter((e) => e.event !== 'finished').map((e) => e.event),
      ['signal', 'stopping', 'stopped'],
    )
    for (const e of afterSignal.filter((e) => e.event === 'finished'))
      assert.ok(['interrupted', 'succeeded'].includes(e.status!), JSON.stringify(e))
    assert.deepEqual(
      runs().filter((r) => r.status === 'running'),
      [],
    )
    assert.equal(s.events.filter((e) => e.task === 'yearly' && e.event === 'started').length, 0)
  })

  it('runs a task whose last run was interrupted again at once, when it starts', async () => {
    const db = await openVaultDriver({ projectDir: project.dir })
    try {
      const runId = await createRun(db, { kind: 'task', name: 'yearly', actor: 'scheduler' })
      await finishRun(db, runId, { status: 'interrupted' })
    } finally {
      await db.close()
    }
    const s = serve()
    const started = await s.waitFor((e) => e.event === 'started' && e.task === 'yearly', 'the resumed run')
    assert.equal(started.reason, 'resume')
    const finished = await s.waitFor((e) => e.event === 'finished' && e.task === 'yearly', 'the resumed run ending')
    assert.equal(finished.status, 'succeeded')
    assert.equal(await s.stop(), 0, s.stderr)
    const yearly = runs().filter((r) => r.name === 'yearly')
    assert.deepEqual(
      yearly.map((r) => [r.status, r.actor]),
      [
        ['succeeded', 'scheduler'],
        ['interrupted', 'scheduler'],
      ],
    )
  })
})
