import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { brief, removeFixtures, validateWith } from './filter-fixture.ts'
import { yaml } from './project-fixture.ts'

after(removeFixtures)

/** A filter with a parameter, a mapping and a job for the tasks to name. */
const OTHERS = [
  yaml(
    'kind: Filter',
    'name: staff',
    'start: hr.employees AS e',
    "parameters: { today: { type: date, default: '2026-01-01' } }",
  ),
  yaml('kind: Mapping', 'name: accounts', 'system: directory', 'table: users', 'function: f', 'filter: staff'),
  yaml('kind: Job', 'name: directory_accounts', 'steps: [accounts]'),
].join('---\n')

async function task(...lines: string[]) {
  return validateWith({ 'others.yaml': OTHERS, 'tasks/t.yaml': yaml(...lines) })
}

async function issuesOf(...lines: string[]) {
  const { issues } = await task(...lines)
  return brief(issues.filter((i) => i.file === 'tasks/t.yaml'))
}

describe('Task kind', () => {
  it('resolves a sync task with a schedule and a maximum duration', async () => {
    const { project, issues } = await task(
      'kind: Task',
      'name: nightly',
      'type: sync',
      "schedule: { cron: '0 2 * * *', timeZone: Europe/Amsterdam }",
      'maxDuration: 2h',
      'collect: [HR, directory]',
      'evaluate: [Directory_Accounts]',
    )
    assert.deepEqual(brief(issues), [])
    const { document, ...resolved } = project.tasks[0]!
    assert.equal(document.name, 'nightly')
    assert.deepEqual(resolved, {
      name: 'nightly',
      enabled: true,
      schedule: { cron: '0 2 * * *', timeZone: 'Europe/Amsterdam' },
      maxDuration: 7_200_000,
      file: 'tasks/t.yaml',
      type: 'sync',
      collect: ['hr', 'directory'],
      evaluate: ['directory_accounts'],
      execute: true,
      approval: false,
    })
  })

  it('resolves an export task with parameters, rotation and a delimiter', async () => {
    const { project, issues } = await task(
      'kind: Task',
      'name: export',
      'type: export',
      'enabled: false',
      'filter: staff',
      "parameters: { today: '2026-12-01' }",
      'file: exports/staff-{date}.csv',
      'keep: 7',
      "delimiter: ';'",
    )
    assert.deepEqual(brief(issues), [])
    const { document: _document, ...resolved } = project.tasks[0]!
    assert.equal(resolved.type, 'export')
    assert.deepEqual(resolved, {
      name: 'export',
      enabled: false,
      file: 'tasks/t.yaml',
      type: 'export',
      filter: 'staff',
      parameters: { today: '2026-12-01' },
      filePattern: 'exports/staff-{date}.csv',
      keep: 7,
      delimiter: ';',
    })
  })

  it('reports unknown systems, jobs and filters with did-you-mean, at their values', async () => {
    assert.deepEqual(
      await issuesOf('kind: Task', 'name: t', 'type: sync', 'collect: [hrr]', 'evaluate: [directory_acounts]'),
      [
        "tasks/t.yaml:4:11 CFG_UNKNOWN_SYSTEM System 'hrr' is not declared in the project. | Did you mean 'hr'?",
        "tasks/t.yaml:5:12 CFG_UNKNOWN_DOCUMENT There is no job 'directory_acounts' (kind Job) in the project. | Did you mean 'directory_accounts'?",
      ],
    )
    assert.deepEqual(await issuesOf('kind: Task', 'name: t', 'type: export', 'filter: staf', 'file: a.csv'), [
      "tasks/t.yaml:4:9 CFG_UNKNOWN_DOCUMENT There is no filter 'staf' (kind Filter) in the project. | Did you mean 'staff'?",
    ])
  })

  it('reports a sync task without stages, execute without evaluate, and keys of the other type', async () => {
    assert.deepEqual(await issuesOf('kind: Task', 'name: t', 'type: sync'), [
      'tasks/t.yaml:3:7 CFG_MISSING_KEY A sync task needs at least one stage: `collect` or `evaluate`. | Add `collect: [<system>, …]` to read systems into the vault, `evaluate: [<job>, …]` to run jobs, or both.',
    ])
    assert.deepEqual(
      await issuesOf('kind: Task', 'name: t', 'type: sync', 'collect: [hr]', 'execute: true', 'file: x.csv'),
      [
        'tasks/t.yaml:5:1 CFG_INVALID_VALUE `execute` needs `evaluate`: only evaluated jobs are executed. | List the jobs to run in `evaluate:`, or remove `execute`.',
        'tasks/t.yaml:6:1 CFG_UNKNOWN_KEY `file` belongs to export tasks; this is a sync task. | Remove `file`, or make this an export task.',
      ],
    )
    assert.deepEqual(
      await issuesOf('kind: Task', 'name: t', 'type: export', 'filter: staff', 'file: a.csv', 'collect: [hr]'),
      [
        'tasks/t.yaml:6:1 CFG_UNKNOWN_KEY `collect` belongs to sync tasks; this is an export task. | Remove `collect`, or make this a sync task.',
      ],
    )
  })

  it('reports an invalid cron pattern and an unknown time zone with did-you-mean', async () => {
    assert.deepEqual(
      await issuesOf(
        'kind: Task',
        'name: t',
        'type: sync',
        'collect: [hr]',
        "schedule: { cron: '0 25 * * *', timeZone: Europe/Amsterdm }",
      ),
      [
        "tasks/t.yaml:5:19 CFG_INVALID_VALUE '0 25 * * *' is not a valid cron pattern: Invalid value for hour: 25. | Write five fields (minute hour day-of-month month day-of-week), for example '0 2 * * *' for 02:00 every day.",
        "tasks/t.yaml:5:43 CFG_INVALID_VALUE 'Europe/Amsterdm' is not a known IANA time zone. | Did you mean 'Europe/Amsterdam'?",
      ],
    )
  })

  it('reports an export file outside the project, not .csv, or with an unknown placeholder', async () => {
    const exportWith = (file: string) =>
      issuesOf('kind: Task', 'name: t', 'type: export', 'filter: staff', `file: '${file}'`)
    assert.deepEqual(await exportWith('../out.csv'), [
      "tasks/t.yaml:5:7 CFG_INVALID_VALUE The export file '../out.csv' is outside the project folder. | Write a path relative to the project folder, such as exports/staff-{date}.csv.",
    ])
    assert.deepEqual(await exportWith('exports/a/../../../b.csv'), [
      "tasks/t.yaml:5:7 CFG_INVALID_VALUE The export file 'exports/a/../../../b.csv' is outside the project folder. | Write a path relative to the project folder, such as exports/staff-{date}.csv.",
    ])
    assert.deepEqual(await exportWith('/tmp/b.csv'), [
      "tasks/t.yaml:5:7 CFG_INVALID_VALUE The export file '/tmp/b.csv' is outside the project folder. | Write a path relative to the project folder, such as exports/staff-{date}.csv.",
    ])
    assert.deepEqual(await exportWith('staff.txt'), [
      "tasks/t.yaml:5:7 CFG_INVALID_VALUE The export file 'staff.txt' does not end in .csv. | End the file name in .csv.",
    ])
    assert.deepEqual(await exportWith('staff-{dat}.csv'), [
      "tasks/t.yaml:5:7 CFG_INVALID_VALUE The export file 'staff-{dat}.csv' holds the unknown placeholder {dat}. | Did you mean {date}?",
    ])
    assert.deepEqual(
      await issuesOf('kind: Task', 'name: t', 'type: export', 'filter: staff', 'file: a.csv', `delimiter: '"'`),
      [
        "tasks/t.yaml:6:12 CFG_INVALID_VALUE The delimiter cannot be a quote or a line break: CSV uses those itself. | Use ',' (the default), ';' or a tab.",
      ],
    )
    assert.deepEqual(await exportWith('{date}/staff.csv'), [
      "tasks/t.yaml:5:7 CFG_INVALID_VALUE The export file '{date}/staff.csv' has a placeholder in its folder; rotation looks for files in one folder. | Put the placeholders in the file name: exports/staff-{date}.csv.",
    ])
  })

  it('reports a missing filter and file, and an unknown filter parameter', async () => {
    assert.deepEqual(await issuesOf('kind: Task', 'name: t', 'type: export'), [
      'tasks/t.yaml:3:7 CFG_MISSING_KEY An export task needs `filter`. | Add `filter: <filter name>`: the filter whose rows are written.',
      'tasks/t.yaml:3:7 CFG_MISSING_KEY An export task needs `file`. | Add `file: exports/<name>-{date}.csv`: the CSV file, relative to the project folder.',
    ])
    const [unknown] = await issuesOf(
      'kind: Task',
      'name: t',
      'type: export',
      'filter: staff',
      'file: a.csv',
      "parameters: { todya: '2026-12-01' }",
    )
    assert.match(unknown ?? '', /^tasks\/t\.yaml:6:15 \S+ .*todya/)
  })
})
