import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { brief, removeFixtures, validateWith } from './filter-fixture.ts'
import { yaml } from './project-fixture.ts'
import { projectRevision } from './index.ts'

after(removeFixtures)

const OTHERS = [
  yaml('kind: Filter', 'name: staff', 'start: hr.employees AS e'),
  yaml('kind: Mapping', 'name: accounts', 'system: directory', 'table: users', 'function: f', 'filter: staff'),
  yaml('kind: Job', 'name: directory_accounts', 'steps: [accounts]'),
].join('---\n')

const task = (...lines: string[]) => validateWith({ 'others.yaml': OTHERS, 'tasks/t.yaml': yaml(...lines) })

async function issuesOf(...lines: string[]) {
  const { issues } = await task(...lines)
  return brief(issues.filter((i) => i.file === 'tasks/t.yaml'))
}

describe('Task approval', () => {
  it('resolves approval on a sync task that executes', async () => {
    const { project, issues } = await task(
      'kind: Task',
      'name: t',
      'type: sync',
      'evaluate: [directory_accounts]',
      'approval: true',
    )
    assert.deepEqual(brief(issues), [])
    const resolved = project.tasks[0]!
    assert.equal(resolved.type === 'sync' && resolved.approval, true)
  })

  it('refuses approval on a task that does not execute, or on an export, at the key', async () => {
    assert.deepEqual(
      await issuesOf(
        'kind: Task',
        'name: t',
        'type: sync',
        'evaluate: [directory_accounts]',
        'execute: false',
        'approval: true',
      ),
      [
        'tasks/t.yaml:6:1 CFG_INVALID_VALUE `approval` needs a task that executes: there is nothing to approve when the plans are not executed. | Remove `approval`, or remove `execute: false`.',
      ],
    )
    assert.deepEqual(await issuesOf('kind: Task', 'name: t', 'type: sync', 'collect: [hr]', 'approval: true'), [
      'tasks/t.yaml:5:1 CFG_INVALID_VALUE `approval` needs `evaluate`: only evaluated jobs are approved and executed. | List the jobs to run in `evaluate:`, or remove `approval`.',
    ])
    assert.deepEqual(
      await issuesOf('kind: Task', 'name: t', 'type: export', 'filter: staff', 'file: a.csv', 'approval: true'),
      [
        'tasks/t.yaml:6:1 CFG_UNKNOWN_KEY `approval` belongs to sync tasks; this is an export task. | Remove `approval`, or make this a sync task.',
      ],
    )
  })
})

describe('projectRevision', () => {
  it('is equal for equal documents and differs after an edit; it holds sources, not resolved values', async () => {
    const lines = ['kind: Task', 'name: t', 'type: sync', 'evaluate: [directory_accounts]']
    const a = projectRevision((await task(...lines)).project)
    const b = projectRevision((await task(...lines)).project)
    assert.equal(a.hash, b.hash)
    assert.match(a.hash, /^[0-9a-f]{64}$/)
    assert.deepEqual(
      a.documents.map((d) => `${d.file} ${d.kind} ${d.name}`),
      [
        'links/employee_account.yaml Link employee_account',
        'others.yaml Filter staff',
        'others.yaml Job directory_accounts',
        'others.yaml Mapping accounts',
        'systems/directory.yaml System directory',
        'systems/hr.yaml System hr',
        'tasks/t.yaml Task t',
      ],
    )
    const edited = projectRevision((await task(...lines, 'description: changed')).project)
    assert.notEqual(edited.hash, a.hash)
    assert.ok(edited.documents.at(-1)!.source.includes('description: changed'))
  })
})
