import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { brief, removeFixtures, validateWith } from './filter-fixture.ts'
import { yaml } from './project-fixture.ts'

after(removeFixtures)

/** Two valid mappings and one with an error of its own (an unknown table). */
const MAPPINGS = [
  yaml('kind: Filter', 'name: everyone', 'start: hr.employees AS e'),
  ...['create_accounts', 'disable_leavers'].map((name) =>
    yaml('kind: Mapping', `name: ${name}`, 'system: directory', 'table: users', 'function: f', 'filter: everyone'),
  ),
  yaml('kind: Mapping', 'name: broken', 'system: directory', 'table: nothing', 'function: f', 'filter: everyone'),
].join('---\n')

/** Validates the fixture project plus the mappings and `jobs/j.yaml` holding `lines`. */
async function job(...lines: string[]) {
  return validateWith({ 'mappings/m.yaml': MAPPINGS, 'jobs/j.yaml': yaml(...lines) })
}

/** The issues of the job file, as brief lines. */
async function issuesOf(...lines: string[]) {
  const { issues } = await job(...lines)
  return brief(issues.filter((i) => i.file === 'jobs/j.yaml'))
}

const head = ['kind: Job', 'name: j'] // lines 1-2

describe('Job kind', () => {
  it('resolves steps in order, the shorthand included, with thresholds as counts or percentages', async () => {
    const { project, issues } = await job(
      ...head,
      'description: The directory.', // 3
      'steps:', // 4
      '  - Create_Accounts', // 5
      '  - mapping: disable_leavers', // 6
      '    enabled: false', // 7
      '    threshold: 12.5%', // 8
      '  - { mapping: create_accounts, threshold: 100 }', // 9: a warning, still valid
    )
    assert.deepEqual(brief(issues.filter((i) => i.file === 'jobs/j.yaml')), [
      "jobs/j.yaml:9:16 CFG_DUPLICATE_STEP Mapping 'create_accounts' is already run by steps[0]; this step plans again after it has written. | Remove one of the steps, unless running the mapping twice is intended.",
    ])
    assert.equal(issues.find((i) => i.file === 'jobs/j.yaml')?.severity, 'warning')
    const { document, ...resolved } = project.jobs[0]!
    assert.equal(document.name, 'j')
    assert.deepEqual(resolved, {
      name: 'j',
      description: 'The directory.',
      steps: [
        { type: 'mapping', mapping: 'create_accounts', enabled: true, path: ['steps', 0] },
        {
          type: 'mapping',
          mapping: 'disable_leavers',
          enabled: false,
          threshold: { kind: 'percent', value: 12.5 },
          path: ['steps', 1],
        },
        {
          type: 'mapping',
          mapping: 'create_accounts',
          enabled: true,
          threshold: { kind: 'count', value: 100 },
          path: ['steps', 2],
        },
      ],
      file: 'jobs/j.yaml',
    })
  })

  it('reports every schema problem at once, positioned', async () => {
    assert.deepEqual(
      await issuesOf(
        ...head,
        'steps:', // 3
        '  - mapping: create_accounts', // 4
        '    treshold: 5', // 5
        '  - { mapping: disable_leavers, threshold: 2.5 }', // 6
        '  - { mapping: disable_leavers, threshold: ten percent, enabled: yes }', // 7
        '  - { mapping: create_accounts, threshold: -1 }', // 8
        '  - 42', // 9
      ),
      [
        "jobs/j.yaml:5:5 CFG_UNKNOWN_KEY Unknown key 'treshold' in steps[0]. | Did you mean 'threshold'?",
        'jobs/j.yaml:6:44 CFG_INVALID_VALUE An operation count must be a whole number of 0 or more, received 2.5. | Correct the value as the message describes.',
        "jobs/j.yaml:7:44 CFG_INVALID_VALUE Expected a number of operations (100) or a percentage of the target table ('10%'), received 'ten percent'. | Correct the value as the message describes.",
        "jobs/j.yaml:7:66 CFG_INVALID_VALUE Expected true or false, received 'yes'. | Write true or false; 'yes' is text in YAML 1.2.",
        'jobs/j.yaml:8:44 CFG_INVALID_VALUE An operation count must be a whole number of 0 or more, received -1. | Correct the value as the message describes.',
        'jobs/j.yaml:9:5 CFG_INVALID_VALUE Expected a mapping name, or a step with `mapping:` or `memberships:`, received 42. | Correct the value as the message describes.',
      ],
    )
    assert.deepEqual(await issuesOf(...head, 'steps: []'), [
      'jobs/j.yaml:3:8 CFG_INVALID_VALUE Expected a list of at least 1 item. | Correct the value as the message describes.',
    ])
  })

  it('reports unknown mappings with did-you-mean, at the name, in both forms', async () => {
    const { project, issues } = await job(
      ...head,
      'steps:', // 3
      '  - create_acounts', // 4
      '  - mapping: nothing_like_it', // 5
    )
    assert.deepEqual(brief(issues.filter((i) => i.file === 'jobs/j.yaml')), [
      "jobs/j.yaml:4:5 CFG_UNKNOWN_DOCUMENT There is no mapping 'create_acounts' (kind Mapping) in the project. | Did you mean 'create_accounts'?",
      "jobs/j.yaml:5:14 CFG_UNKNOWN_DOCUMENT There is no mapping 'nothing_like_it' (kind Mapping) in the project. | Use one of the project's mappings: create_accounts, disable_leavers, broken.",
    ])
    assert.deepEqual(project.jobs, [])
  })

  it('says nothing more about a mapping that has errors of its own, and does not resolve the job', async () => {
    const { project, issues } = await job(...head, 'steps: [create_accounts, broken]')
    assert.deepEqual(
      issues.filter((i) => i.file === 'jobs/j.yaml'),
      [],
    )
    assert.ok(issues.some((i) => i.file === 'mappings/m.yaml' && i.code === 'CFG_UNKNOWN_TABLE'))
    assert.deepEqual(project.jobs, [])
  })

  it('resolves memberships steps: a single threshold applies to adds and removes each', async () => {
    const { project, issues } = await job(
      ...head,
      'steps:', // 3
      '  - create_accounts', // 4
      '  - memberships: Directory', // 5
      '  - { memberships: hr, enabled: false, threshold: 500 }', // 6
      '  - memberships: directory', // 7: a warning, still valid
      '    threshold: { add: 1000, remove: 5% }', // 8
      '  - { memberships: hr, threshold: { remove: 0 } }', // 9: a warning
    )
    assert.deepEqual(brief(issues.filter((i) => i.file === 'jobs/j.yaml')), [
      "jobs/j.yaml:7:18 CFG_DUPLICATE_STEP The memberships of system 'directory' are already applied by steps[1]; this step plans again after it has written. | Remove one of the steps, unless applying the memberships twice is intended.",
      "jobs/j.yaml:9:20 CFG_DUPLICATE_STEP The memberships of system 'hr' are already applied by steps[2]; this step plans again after it has written. | Remove one of the steps, unless applying the memberships twice is intended.",
    ])
    assert.ok(issues.every((i) => i.file !== 'jobs/j.yaml' || i.severity === 'warning'))
    assert.deepEqual(project.jobs[0]?.steps, [
      { type: 'mapping', mapping: 'create_accounts', enabled: true, path: ['steps', 0] },
      { type: 'memberships', system: 'directory', enabled: true, threshold: {}, path: ['steps', 1] },
      {
        type: 'memberships',
        system: 'hr',
        enabled: false,
        threshold: { add: { kind: 'count', value: 500 }, remove: { kind: 'count', value: 500 } },
        path: ['steps', 2],
      },
      {
        type: 'memberships',
        system: 'directory',
        enabled: true,
        threshold: { add: { kind: 'count', value: 1000 }, remove: { kind: 'percent', value: 5 } },
        path: ['steps', 3],
      },
      {
        type: 'memberships',
        system: 'hr',
        enabled: true,
        threshold: { remove: { kind: 'count', value: 0 } },
        path: ['steps', 4],
      },
    ])
  })

  it('reports the problems of memberships steps, positioned, with did-you-mean', async () => {
    const { project, issues } = await job(
      ...head,
      'steps:', // 3
      '  - memberships: directroy', // 4
      '  - { memberships: directory, threshold: { add: 10, remvoe: 5 } }', // 5
      '  - { memberships: directory, threshold: { add: lots } }', // 6
      '  - { memberships: directory, threshold: [1] }', // 7
      '  - { mapping: create_accounts, threshold: { add: 1 } }', // 8
      '  - { mapping: create_accounts, memberships: directory }', // 9
      '  - { enabled: true }', // 10
    )
    assert.deepEqual(brief(issues.filter((i) => i.file === 'jobs/j.yaml')), [
      "jobs/j.yaml:5:53 CFG_UNKNOWN_KEY Unknown key 'remvoe' in steps[1].threshold. | Did you mean 'remove'?",
      "jobs/j.yaml:6:49 CFG_INVALID_VALUE Expected a number of operations (100) or a percentage of the target table ('10%'), received 'lots'. | Correct the value as the message describes.",
      "jobs/j.yaml:7:42 CFG_INVALID_VALUE Expected a number of operations (100), a percentage ('10%') or, for a memberships step, { add, remove }, received a list. | Correct the value as the message describes.",
    ])
    // Once the schema passes, the checks: unknown system, a pair on a mapping step, both or neither key.
    const fixed = await job(
      ...head,
      'steps:', // 3
      '  - memberships: directroy', // 4
      '  - { mapping: create_accounts, threshold: { add: 1 } }', // 5
      '  - { mapping: create_accounts, memberships: directory }', // 6
      '  - { enabled: true }', // 7
    )
    assert.deepEqual(brief(fixed.issues.filter((i) => i.file === 'jobs/j.yaml')), [
      "jobs/j.yaml:4:18 CFG_UNKNOWN_SYSTEM System 'directroy' is not declared in the project. | Did you mean 'directory'?",
      "jobs/j.yaml:5:44 CFG_INVALID_VALUE A mapping step takes one threshold; `{ add, remove }` is for memberships steps. | Write one limit: a number of operations (100) or a percentage of the target table ('10%').",
      'jobs/j.yaml:6:33 CFG_CONFLICTING_KEYS A step runs a mapping or the memberships of a system, not both. | Split it into two steps: `- mapping: …` and `- memberships: …`.',
      'jobs/j.yaml:7:5 CFG_MISSING_KEY Step steps[3] names neither a mapping nor a system. | Add `mapping: <mapping name>` to run a mapping, or `memberships: <system>` to apply the role model to a system.',
    ])
    assert.deepEqual(project.jobs, [])
    assert.deepEqual(fixed.project.jobs, [])
  })
})
