import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { brief } from './filter-fixture.ts'
import { removeProject, writeProject, yaml } from './project-fixture.ts'
import { DEFAULT_EXECUTION, executionOf } from './system-execution.ts'
import { validateProject } from './validate-project.ts'

const dirs: string[] = []
after(async () => {
  for (const dir of dirs) await removeProject(dir)
})

/** Validates a one-table system whose document ends with `lines` (from line 7 on). */
async function system(...lines: string[]) {
  const dir = await writeProject({
    'systems/s.yaml': yaml(
      'kind: System', // 1
      'name: s', // 2
      'connector: csv', // 3
      'config: {}', // 4
      'tables:', // 5
      '  users: { primaryKey: id, columns: { id: string } }', // 6
      ...lines,
    ),
  })
  dirs.push(dir)
  return validateProject(dir)
}

describe('System execution block', () => {
  it('gives a system without the block the defaults', async () => {
    const { project, issues } = await system()
    assert.deepEqual(issues, [])
    assert.deepEqual(project.systems[0]?.execution, {
      concurrency: 4,
      maxAttempts: 5,
      retryDelayMs: 1000,
      maxRetryDelayMs: 60_000,
    })
    assert.deepEqual(executionOf({}), DEFAULT_EXECUTION)
  })

  it('resolves durations written with units or as milliseconds, and fills in what is not written', async () => {
    const cases: [string[], object][] = [
      [
        ['  concurrency: 1', '  retryDelay: 250ms', '  maxRetryDelay: 1.5s'],
        { concurrency: 1, retryDelayMs: 250, maxRetryDelayMs: 1500 },
      ],
      [['  maxAttempts: 1', '  retryDelay: 0'], { maxAttempts: 1, retryDelayMs: 0 }],
      [['  retryDelay: 2m', '  maxRetryDelay: 1h'], { retryDelayMs: 120_000, maxRetryDelayMs: 3_600_000 }],
      [['  concurrency: 64', '  maxRetryDelay: 5000'], { concurrency: 64, maxRetryDelayMs: 5000 }],
    ]
    for (const [lines, expected] of cases) {
      const { project, issues } = await system('execution:', ...lines)
      assert.deepEqual(issues, [], lines.join())
      assert.deepEqual(project.systems[0]?.execution, { ...DEFAULT_EXECUTION, ...expected })
    }
  })

  it('reports every wrong value at once, positioned', async () => {
    const { project, issues } = await system(
      'execution:', // 7
      '  concurrency: 65', // 8
      '  maxAttempts: 0', // 9
      '  retryDelay: soon', // 10
      '  maxRetryDelay: -5', // 11
      '  retries: 3', // 12
    )
    assert.deepEqual(brief(issues), [
      'systems/s.yaml:8:16 CFG_INVALID_VALUE Expected a number at most 64, received 65. | Correct the value as the message describes.',
      'systems/s.yaml:9:16 CFG_INVALID_VALUE Expected a number at least 1, received 0. | Correct the value as the message describes.',
      "systems/s.yaml:10:15 CFG_INVALID_VALUE Expected a duration of 0 to 24h: milliseconds (1500) or a number with ms, s, m or h ('1s'), received 'soon'. | Correct the value as the message describes.",
      "systems/s.yaml:11:18 CFG_INVALID_VALUE Expected a duration of 0 to 24h: milliseconds (1500) or a number with ms, s, m or h ('1s'), received -5. | Correct the value as the message describes.",
      "systems/s.yaml:12:3 CFG_UNKNOWN_KEY Unknown key 'retries' in execution. | Remove the key; allowed keys here are concurrency, maxAttempts, retryDelay, maxRetryDelay.",
    ])
    assert.deepEqual(project.systems, [])
  })

  it('requires the first delay to be no longer than the longest', async () => {
    const { issues } = await system('execution:', '  retryDelay: 2s', '  maxRetryDelay: 500ms')
    assert.deepEqual(brief(issues), [
      'systems/s.yaml:9:18 CFG_INVALID_VALUE retryDelay (2000 ms) is longer than maxRetryDelay (500 ms), the longest wait between two tries. | Correct the value as the message describes.',
    ])
    const alone = await system('execution:', '  retryDelay: 2m')
    assert.deepEqual(brief(alone.issues), [
      'systems/s.yaml:8:15 CFG_INVALID_VALUE retryDelay (120000 ms) is longer than maxRetryDelay (60000 ms), the longest wait between two tries. | Correct the value as the message describes.',
    ])
  })
})
