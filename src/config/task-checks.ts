/**
 * Checks of a Task document: the keys of the other type are errors, a sync task has at least one
 * stage and `execute` only with `evaluate`, the systems, jobs and filter it names exist, the
 * schedule's cron pattern and time zone are valid, and an export's file stays inside the project
 * folder as a `.csv` file with known placeholders.
 */
import path from 'node:path'
import { closestMatch } from '../core/index.ts'
import { resolveDocument } from './document-references.ts'
import { checkParameterValues } from './filter-parameter-values.ts'
import { type Findings, resolveSystem } from './filter-references.ts'
import { issueAt } from './issues.ts'
import { cronPatternProblem, isTimeZone, timeZoneNames } from './task-schedule.ts'
import type { ExportTaskConfig, SyncTaskConfig, TaskConfig, TaskSchedule } from './task-model.ts'
import type { TaskDocument } from './task-schema.ts'

const SYNC_KEYS = ['collect', 'evaluate', 'execute', 'approval'] as const
const EXPORT_KEYS = ['filter', 'parameters', 'file', 'keep', 'delimiter'] as const

/** The placeholders a file pattern may hold. */
export const FILE_PLACEHOLDERS = ['date', 'datetime', 'task'] as const

/** Checks a schema-valid Task document; returns the resolved task when it has no errors. */
export function checkTask(findings: Findings, task: TaskDocument): TaskConfig | undefined {
  const other = task.type === 'sync' ? EXPORT_KEYS : SYNC_KEYS
  const otherType = task.type === 'sync' ? 'an export' : 'a sync'
  for (const key of other) {
    if (task[key] === undefined) continue
    findings.add(
      issueAt(
        findings.document,
        'CFG_UNKNOWN_KEY',
        `\`${key}\` belongs to ${task.type === 'sync' ? 'export' : 'sync'} tasks; this is ${task.type === 'sync' ? 'a sync' : 'an export'} task.`,
        [key],
        {
          at: 'key',
          hint: `Remove \`${key}\`, or make this ${otherType} task.`,
        },
      ),
    )
  }
  const schedule = task.schedule === undefined ? undefined : checkSchedule(findings, task.schedule)
  const base = {
    name: task.name,
    ...(task.description === undefined ? {} : { description: task.description }),
    enabled: task.enabled ?? true,
    ...(schedule === undefined ? {} : { schedule }),
    ...(task.maxDuration === undefined ? {} : { maxDuration: task.maxDuration }),
    file: findings.document.file,
    document: findings.document,
  }
  const resolved = task.type === 'sync' ? checkSync(findings, task, base) : checkExport(findings, task, base)
  return findings.isResolvable ? resolved : undefined
}

type Base = Omit<SyncTaskConfig, 'type' | 'collect' | 'evaluate' | 'execute' | 'approval'>

function checkSchedule(findings: Findings, schedule: NonNullable<TaskDocument['schedule']>): TaskSchedule {
  const problem = cronPatternProblem(schedule.cron)
  if (problem !== undefined) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        `'${schedule.cron}' is not a valid cron pattern: ${problem}.`,
        ['schedule', 'cron'],
        {
          value: schedule.cron,
          hint: "Write five fields (minute hour day-of-month month day-of-week), for example '0 2 * * *' for 02:00 every day.",
        },
      ),
    )
  }
  if (schedule.timeZone !== undefined && !isTimeZone(schedule.timeZone)) {
    const match = closestMatch(schedule.timeZone, timeZoneNames())
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        `'${schedule.timeZone}' is not a known IANA time zone.`,
        ['schedule', 'timeZone'],
        {
          value: schedule.timeZone,
          hint:
            match !== undefined ? `Did you mean '${match}'?` : 'Write an IANA name such as Europe/Amsterdam or UTC.',
        },
      ),
    )
  }
  return { cron: schedule.cron, ...(schedule.timeZone === undefined ? {} : { timeZone: schedule.timeZone }) }
}

function checkSync(findings: Findings, task: TaskDocument, base: Base): SyncTaskConfig | undefined {
  const collect = (task.collect ?? []).map(
    (name, i) => resolveSystem(findings, name, ['collect', i], name)?.name ?? name,
  )
  const evaluate = (task.evaluate ?? []).map(
    (name, i) =>
      resolveDocument(findings, { kind: 'Job', noun: 'job', valid: findings.context.jobs }, name, ['evaluate', i])
        ?.name ?? name,
  )
  if (task.execute !== undefined && task.evaluate === undefined) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        '`execute` needs `evaluate`: only evaluated jobs are executed.',
        ['execute'],
        {
          at: 'key',
          hint: 'List the jobs to run in `evaluate:`, or remove `execute`.',
        },
      ),
    )
  }
  if (collect.length === 0 && evaluate.length === 0) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_MISSING_KEY',
        'A sync task needs at least one stage: `collect` or `evaluate`.',
        ['evaluate'],
        {
          anchor: ['type'],
          hint: 'Add `collect: [<system>, …]` to read systems into the vault, `evaluate: [<job>, …]` to run jobs, or both.',
        },
      ),
    )
  }
  const execute = evaluate.length > 0 && (task.execute ?? true)
  if (task.approval === true && !execute && task.evaluate !== undefined) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        '`approval` needs a task that executes: there is nothing to approve when the plans are not executed.',
        ['approval'],
        { at: 'key', hint: 'Remove `approval`, or remove `execute: false`.' },
      ),
    )
  } else if (task.approval === true && task.evaluate === undefined) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        '`approval` needs `evaluate`: only evaluated jobs are approved and executed.',
        ['approval'],
        { at: 'key', hint: 'List the jobs to run in `evaluate:`, or remove `approval`.' },
      ),
    )
  }
  return { ...base, type: 'sync', collect, evaluate, execute, approval: execute && task.approval === true }
}

function checkExport(findings: Findings, task: TaskDocument, base: Base): ExportTaskConfig | undefined {
  for (const key of ['filter', 'file'] as const) {
    if (task[key] !== undefined) continue
    findings.add(
      issueAt(findings.document, 'CFG_MISSING_KEY', `An export task needs \`${key}\`.`, [key], {
        anchor: ['type'],
        hint:
          key === 'filter'
            ? 'Add `filter: <filter name>`: the filter whose rows are written.'
            : 'Add `file: exports/<name>-{date}.csv`: the CSV file, relative to the project folder.',
      }),
    )
  }
  const filter =
    task.filter === undefined
      ? undefined
      : resolveDocument(findings, { kind: 'Filter', noun: 'filter', valid: findings.context.filters }, task.filter, [
          'filter',
        ])
  const parameters =
    filter === undefined
      ? {}
      : checkParameterValues(findings, filter, task.parameters, {
          path: ['parameters'],
          filterPath: ['filter'],
          owner: 'the task',
        })
  if (task.file !== undefined) checkFilePattern(findings, task.file)
  if (task.delimiter !== undefined && ['"', '\r', '\n'].includes(task.delimiter)) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        'The delimiter cannot be a quote or a line break: CSV uses those itself.',
        ['delimiter'],
        {
          value: task.delimiter,
          hint: "Use ',' (the default), ';' or a tab.",
        },
      ),
    )
  }
  if (filter === undefined || task.file === undefined) return undefined
  return {
    ...base,
    type: 'export',
    filter: filter.name,
    parameters,
    filePattern: task.file,
    ...(task.keep === undefined ? {} : { keep: task.keep }),
    delimiter: task.delimiter ?? ',',
  }
}

function checkFilePattern(findings: Findings, pattern: string): void {
  const problem = (message: string, hint: string) =>
    findings.add(issueAt(findings.document, 'CFG_INVALID_VALUE', message, ['file'], { value: pattern, hint }))
  const normalized = path.posix.normalize(pattern.replaceAll('\\', '/'))
  if (path.posix.isAbsolute(normalized) || path.win32.isAbsolute(pattern) || normalized.split('/')[0] === '..') {
    return problem(
      `The export file '${pattern}' is outside the project folder.`,
      'Write a path relative to the project folder, such as exports/staff-{date}.csv.',
    )
  }
  if (!normalized.toLowerCase().endsWith('.csv')) {
    return problem(`The export file '${pattern}' does not end in .csv.`, 'End the file name in .csv.')
  }
  for (const match of pattern.matchAll(/\{([^}]*)\}/g)) {
    const name = match[1]!
    if (!(FILE_PLACEHOLDERS as readonly string[]).includes(name)) {
      const near = closestMatch(name, [...FILE_PLACEHOLDERS])
      return problem(
        `The export file '${pattern}' holds the unknown placeholder {${name}}.`,
        near !== undefined ? `Did you mean {${near}}?` : 'Use {date}, {datetime} or {task}.',
      )
    }
  }
  if (path.posix.dirname(normalized).includes('{')) {
    return problem(
      `The export file '${pattern}' has a placeholder in its folder; rotation looks for files in one folder.`,
      'Put the placeholders in the file name: exports/staff-{date}.csv.',
    )
  }
}
