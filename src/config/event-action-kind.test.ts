import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { MappingExecutedEvent, ProvisioEvent, TaskFinishedEvent } from '../core/index.ts'
import { eventFilterRow } from '../core/index.ts'
import { compileEventFilter } from './event-action-filter.ts'
import { brief, removeFixtures, validateWith } from './filter-fixture.ts'
import { yaml } from './project-fixture.ts'

after(removeFixtures)

/** What the actions refer to: a mapping with attributes, a job, a task, a mail server and a template. */
const OTHERS = [
  yaml('kind: Filter', 'name: staff', 'start: hr.employees AS e'),
  yaml(
    'kind: Mapping',
    'name: accounts',
    'system: directory',
    'table: users',
    'function: f',
    'filter: staff',
    'attributes: { mail: "e.first_name" }',
  ),
  yaml('kind: Job', 'name: directory_accounts', 'steps: [accounts]'),
  yaml('kind: Task', 'name: nightly_sync', 'type: sync', 'collect: [hr]'),
  yaml('kind: MailServer', 'name: corp_mail', 'host: smtp.example.org', 'from: provisio@example.org'),
  yaml('kind: Template', 'name: sync_report', 'subject: x', 'text: y'),
].join('---\n')

async function action(...lines: string[]) {
  return validateWith({ 'others.yaml': OTHERS, 'events/a.yaml': yaml('kind: EventAction', 'name: a', ...lines) })
}

async function issuesOf(...lines: string[]) {
  const { issues } = await action(...lines)
  return brief(issues.filter((i) => i.file === 'events/a.yaml'))
}

const EMAIL = 'email: { server: corp_mail, template: sync_report, to: [a@example.org] }'

describe('EventAction kind', () => {
  it('resolves an email action with defaults', async () => {
    const { project, issues } = await action(
      'event: task.finished',
      'source: Nightly_Sync',
      'on: failure',
      'filter: "status != \'succeeded\' or counts.failed > 0"',
      "email: { server: Corp_Mail, template: sync_report, to: ['IAM <iam@example.org>'], bcc: [b@example.org] }",
    )
    assert.deepEqual(brief(issues), [])
    const { document: _document, ...resolved } = project.eventActions[0]!
    assert.deepEqual(resolved, {
      name: 'a',
      file: 'events/a.yaml',
      enabled: true,
      event: 'task.finished',
      source: 'nightly_sync',
      on: 'failure',
      filter: { text: "status != 'succeeded' or counts.failed > 0", path: ['filter'] },
      action: {
        type: 'email',
        server: 'corp_mail',
        template: 'sync_report',
        to: ['IAM <iam@example.org>'],
        cc: [],
        bcc: ['b@example.org'],
      },
    })
  })

  it('resolves a webhook action with defaults', async () => {
    const { project, issues } = await action(
      'event: operation.failed',
      'enabled: false',
      "webhook: { url: 'https://hooks.example.org/p', secret: '${env:HOOK_SECRET}', headers: { X-Team: iam } }",
    )
    assert.deepEqual(brief(issues), [])
    const resolved = project.eventActions[0]!
    assert.equal(resolved.enabled, false)
    assert.equal(resolved.on, 'always')
    assert.deepEqual(resolved.action, {
      type: 'webhook',
      url: 'https://hooks.example.org/p',
      secret: '${env:HOOK_SECRET}',
      headers: { 'X-Team': 'iam' },
      timeout: 10_000,
      retries: 3,
    })
  })

  it('reports an `on:` that an event type can never match', async () => {
    assert.deepEqual(await issuesOf('event: collection.rejected', 'on: success', EMAIL), [
      'events/a.yaml:4:5 CFG_INVALID_VALUE `on: success` never matches: every collection.rejected event is a failure. | Remove `on` (or write `on: failure`).',
    ])
    assert.deepEqual(await issuesOf('event: run.awaiting-approval', 'on: failure', EMAIL), [
      'events/a.yaml:4:5 CFG_INVALID_VALUE `on: failure` never matches: every run.awaiting-approval event is a success. | Remove `on` (or write `on: success`).',
    ])
    assert.deepEqual(await issuesOf('event: operation.failed', 'on: failure', EMAIL), [])
    assert.deepEqual(await issuesOf('event: task.finished', 'on: failure', EMAIL), [])
  })

  it('reports an unknown event type and source with did-you-mean', async () => {
    assert.deepEqual(await issuesOf('event: task.finish', EMAIL), [
      "events/a.yaml:3:8 CFG_INVALID_VALUE 'task.finish' is not an event type. | Did you mean 'task.finished'?",
    ])
    assert.deepEqual(await issuesOf('event: task.finished', 'source: nightly_snc', EMAIL), [
      "events/a.yaml:4:9 CFG_UNKNOWN_DOCUMENT There is no task 'nightly_snc' (kind Task) in the project. | Did you mean 'nightly_sync'?",
    ])
    assert.deepEqual(await issuesOf('event: collection.finished', 'source: hrr', EMAIL), [
      "events/a.yaml:4:9 CFG_UNKNOWN_SYSTEM System 'hrr' is not declared in the project. | Did you mean 'hr'?",
    ])
    assert.deepEqual(await issuesOf('event: mapping.executed', 'source: acounts', EMAIL), [
      "events/a.yaml:4:9 CFG_UNKNOWN_DOCUMENT There is no mapping 'acounts' (kind Mapping) in the project. | Did you mean 'accounts'?",
    ])
  })

  it('reports no action, both actions, unknown server and template, bad addresses and no recipient', async () => {
    assert.deepEqual(await issuesOf('event: job.stopped'), [
      'events/a.yaml:3:8 CFG_MISSING_KEY An event action needs an action: `email` or `webhook`. | Add `email: { server: <MailServer>, template: <Template>, to: [<address>] }` or `webhook: { url: https://… }`.',
    ])
    assert.deepEqual(await issuesOf('event: job.stopped', EMAIL, "webhook: { url: 'https://x.org' }"), [
      'events/a.yaml:5:1 CFG_CONFLICTING_KEYS An event action does one thing: `email` or `webhook`, not both. | Keep one of them; write a second EventAction for the other.',
    ])
    assert.deepEqual(
      await issuesOf('event: job.stopped', 'email:', '  server: corpmail', '  template: sync_reprt', '  cc: [nobody]'),
      [
        "events/a.yaml:5:11 CFG_UNKNOWN_DOCUMENT There is no mail server 'corpmail' (kind MailServer) in the project. | Did you mean 'corp_mail'?",
        "events/a.yaml:6:13 CFG_UNKNOWN_DOCUMENT There is no template 'sync_reprt' (kind Template) in the project. | Did you mean 'sync_report'?",
        "events/a.yaml:7:8 CFG_INVALID_VALUE 'nobody' is not a mail address. | Write one address such as iam-team@example.org or IAM team <iam-team@example.org>; list several as separate items.",
      ],
    )
    assert.deepEqual(await issuesOf('event: job.stopped', 'email: { server: corp_mail, template: sync_report }'), [
      'events/a.yaml:4:1 CFG_MISSING_KEY A mail needs at least one recipient in `to`, `cc` or `bcc`. | Add `to: [iam-team@example.org]`.',
    ])
  })

  it('reports a plain webhook secret, http to another machine, and retries out of range', async () => {
    assert.deepEqual(
      await issuesOf('event: job.stopped', 'webhook:', '  url: http://hooks.example.org/p', '  secret: s3cret'),
      [
        "events/a.yaml:5:8 CFG_INSECURE_TRANSPORT The webhook URL 'http://hooks.example.org/p' is plain http to another machine: events and their signature would cross the network in the clear. | Use an https:// URL; http:// is allowed only for 127.0.0.1, ::1 or localhost.",
        "events/a.yaml:6:11 CFG_PLAIN_SECRET 'secret' holds a plain value; a secret must be a reference such as ${env:SECRET}. | Put the value in an environment variable and write `${env:NAME}` instead.",
      ],
    )
    assert.deepEqual(await issuesOf('event: job.stopped', "webhook: { url: 'http://127.0.0.1:8080/h' }"), [])
    const [retries] = await issuesOf('event: job.stopped', "webhook: { url: 'https://x.org', retries: 11 }")
    assert.match(retries ?? '', /^events\/a\.yaml:4:43 CFG_INVALID_VALUE /)
  })

  it('type-checks the filter against the event type: unknown fields with did-you-mean, boolean only', async () => {
    const [unknown] = await issuesOf('event: task.finished', 'filter: "stauts = \'failed\'"', EMAIL)
    assert.match(
      unknown ?? '',
      /^events\/a\.yaml:4:10 EXPR_UNKNOWN_COLUMN There is no column 'stauts'\. \| Did you mean 'status'\?/,
    )
    const [count] = await issuesOf('event: task.finished', 'filter: counts.faild > 0', EMAIL)
    assert.match(count ?? '', /^events\/a\.yaml:4:9 EXPR_UNKNOWN_COLUMN .*'faild'.*Did you mean 'failed'\?/)
    const [notBoolean] = await issuesOf('event: task.finished', 'filter: runId + 1', EMAIL)
    assert.match(notBoolean ?? '', /^events\/a\.yaml:4:9 EXPR_\S+ .*boolean/)
    const [attribute] = await issuesOf(
      'event: mapping.executed',
      'source: accounts',
      'filter: "attributes.mial = \'x\'"',
      EMAIL,
    )
    assert.match(attribute ?? '', /^events\/a\.yaml:5:10 EXPR_UNKNOWN_COLUMN .*Did you mean 'mail'\?/)
    // Without a mapping as the source, any attribute is accepted (as text).
    assert.deepEqual(await issuesOf('event: mapping.executed', 'filter: "attributes.department = \'IT\'"', EMAIL), [])
  })
})

describe('compileEventFilter', () => {
  const taskFinished = (status: string, counts: Record<string, number>): TaskFinishedEvent => ({
    type: 'task.finished',
    name: 'nightly_sync',
    success: status === 'succeeded',
    at: '2026-01-01T02:00:00.000Z',
    runId: 7,
    task: 'nightly_sync',
    taskType: 'sync',
    status,
    counts,
    planIds: [1],
  })
  const executed = (department: string | null, status: 'succeeded' | 'failed'): MappingExecutedEvent => ({
    type: 'mapping.executed',
    name: 'accounts',
    success: status === 'succeeded',
    at: '2026-01-01T02:00:00.000Z',
    mapping: 'accounts',
    planId: 3,
    seq: 1,
    operationId: 'op-1',
    system: 'directory',
    table: 'users',
    function: 'create',
    key: 42,
    attributes: { department, groups: ['a', 'b'] },
    secrets: ['password'],
    status,
  })
  const compiled = async (lines: string[]) => {
    const { project, issues } = await action(...lines, EMAIL)
    assert.deepEqual(brief(issues), [])
    return compileEventFilter(project.eventActions[0]!)
  }

  it('evaluates task.finished fields and counts (a missing count is 0)', async () => {
    const filter = await compiled(['event: task.finished', 'filter: "status != \'succeeded\' or counts.failed > 0"'])
    assert.equal(filter(taskFinished('succeeded', { succeeded: 3 })), false)
    assert.equal(filter(taskFinished('succeeded', { succeeded: 3, failed: 1 })), true)
    assert.equal(filter(taskFinished('stopped', {})), true)
  })

  it('evaluates operation fields and attributes as text', async () => {
    const filter = await compiled([
      'event: mapping.executed',
      "filter: \"attributes.department = 'IT' and status = 'failed' and key = '42' and attributes.groups = 'a|b'\"",
    ])
    assert.equal(filter(executed('IT', 'failed')), true)
    assert.equal(filter(executed('HR', 'failed')), false)
    assert.equal(filter(executed(null, 'failed')), false)
    assert.equal(filter(executed('IT', 'succeeded')), false)
  })

  it('is always true without a filter, and reads the row eventFilterRow builds', async () => {
    const filter = await compiled(['event: collection.rejected'])
    const rejected: ProvisioEvent = {
      type: 'collection.rejected',
      name: 'hr',
      success: false,
      at: '2026-01-01T02:00:00.000Z',
      system: 'hr',
      message: 'guard',
    }
    assert.equal(filter(rejected), true)
    assert.deepEqual(eventFilterRow(rejected), {
      type: 'collection.rejected',
      name: 'hr',
      success: false,
      at: '2026-01-01T02:00:00.000Z',
      runId: null,
      task: null,
      system: 'hr',
      code: null,
      message: 'guard',
    })
  })
})
