/**
 * End to end: the progress of long work on stderr, as the real `provisio` command writes it off a
 * terminal (a pipe): plain lines, JSON events with --json (stdout keeps its one JSON document),
 * nothing with --quiet.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type CliResult, copyHr500, jsonOf, projectArgs, provisio } from '../support/cli.ts'
import { VAULT_KINDS, dropVaultSchema } from '../support/vaults.ts'

interface ProgressLine {
  event: 'stage.started' | 'progress' | 'stage.finished'
  stage: string
  name: string
  done?: number
  total?: number
  at: string
}

/**
 * The JSON progress events of stderr. `notes` says whether other lines may be there: the warnings
 * a command writes as text (a role granting a group not created yet).
 */
function progressEvents(result: CliResult, notes = false): ProgressLine[] {
  const lines = result.stderr.split('\n').filter((l) => l !== '' && (!notes || l.startsWith('{')))
  return lines.map((line) => {
    const event = JSON.parse(line) as ProgressLine
    assert.ok(['stage.started', 'progress', 'stage.finished'].includes(event.event), line)
    return event
  })
}

/** `started` and `finished` of stage `stage` of `name`, in that order. */
function assertStage(events: readonly ProgressLine[], stage: string, name: string): ProgressLine {
  const of = events.filter((e) => e.stage === stage && e.name === name)
  assert.equal(of[0]?.event, 'stage.started', `${stage} ${name} starts`)
  const end = of.at(-1)
  assert.equal(end?.event, 'stage.finished', `${stage} ${name} ends`)
  return end
}

for (const kind of VAULT_KINDS) {
  describe(`progress of provisio collect and job run (${kind})`, () => {
    let project: ReturnType<typeof copyHr500>
    const schema = kind === 'postgres' ? `cli_progress_${process.pid}_${Date.now().toString(36)}` : undefined
    const run = (...rest: string[]) => provisio([...rest, ...projectArgs(project.dir, schema)])

    before(() => {
      project = copyHr500()
      const activated = run('roles', 'activate', '--quiet')
      assert.equal(activated.status, 0, activated.stderr)
    })
    after(async () => {
      project.remove()
      await dropVaultSchema(schema)
    })

    it('collect --json: JSON progress events on stderr, one JSON document on stdout', () => {
      const result = run('collect', 'hr500', '--json')
      const { collections } = jsonOf<{ collections: { system: string }[] }>(result, ['collect', '--json'])
      assert.deepEqual(
        collections.map((c) => c.system),
        ['hr500'],
      )
      const events = progressEvents(result)
      const end = assertStage(events, 'collect', 'hr500.employees')
      assert.equal(end.done, 585)
      assert.ok(!Number.isNaN(Date.parse(end.at)))
    })

    it('collect off a terminal: plain lines on stderr, without control characters', () => {
      const result = run('collect', 'hr500')
      assert.equal(result.status, 0, result.stderr)
      assert.match(result.stderr, /^collect hr500\.employees: started$/m)
      assert.match(result.stderr, /^collect hr500\.employees: done, 585 rows in .+ \(.+\/s\)$/m)
      assert.doesNotMatch(result.stderr, /[\r\x1b]/)
      assert.match(result.stdout, /Collected hr500/)
    })

    it('collect --quiet: nothing on stderr', () => {
      const result = run('collect', '--quiet')
      assert.equal(result.status, 0, result.stderr)
      assert.equal(result.stderr, '')
    })

    it('job run --json: evaluate and execute stages as JSON events, one JSON document on stdout', () => {
      const result = run('job', 'run', 'directory_accounts', '--json')
      const { execution } = jsonOf<{ execution: { succeeded: number } }>(result, ['job', 'run', '--json'])
      assert.ok(execution.succeeded > 0)
      const events = progressEvents(result, true)
      assertStage(events, 'evaluate', 'directory_accounts step 1')
      const end = assertStage(events, 'execute', 'directory_accounts')
      assert.equal(end.done, execution.succeeded)
      assert.equal(end.total, execution.succeeded)
    })

    it('job run --quiet: nothing on stderr', () => {
      const result = run('job', 'run', 'directory_accounts', '--quiet')
      assert.equal(result.status, 0, result.stderr)
      assert.equal(result.stderr, '')
    })
  })
}
