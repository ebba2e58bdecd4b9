import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { renderIssue } from '../../core/index.ts'
import { collectSystem } from '../../connectors/index.ts'
import { compileFilter, countFilter, matchLink } from '../../filters/index.ts'
import type { ValidatedProject } from '../../config/index.ts'
import { type JobRun, plannedOperations, runJob, runTask } from '../../jobs/index.ts'
import { type SqlDriver, listVaultTables } from '../../vault/index.ts'
import { type CliContext, contextOf } from '../context.ts'
import { type CliEvents, cliEvents } from '../events.ts'
import { formatCount, formatTable } from '../output.ts'
import { type ProgressReporter, progressReporter, taskProgress } from '../progress.ts'
import { positiveInteger } from '../parse-options.ts'
import { renderCollection } from './collect.ts'
import { demoServes, serveDemo } from './demo-serve.ts'
import { DIRECTORY_DATABASE, seedDirectoryDatabase } from './demo-directory.ts'
import {
  type DemoRoleModel,
  describeMemberships,
  describeNotices,
  describeRoleModel,
  ensureActiveRoleModel,
  membershipFigures,
} from './demo-roles.ts'
import { readOperations, renderOperations, renderSteps } from './plan-output.ts'

interface DemoOptions {
  readonly serve?: boolean
  readonly once?: boolean
  /** @default 8443 */
  readonly port: number
  /** @default 127.0.0.1 */
  readonly host: string
}

/** The job the demo runs, when the project has it. */
const DEMO_JOB = 'directory_accounts'

/** The sync task that runs it, when the project has it: collect, evaluate, execute, mail a report. */
const DEMO_TASK = 'daily_sync'

/**
 * `npm start`: the HR500 demo end to end on the embedded vault. It grows with every issue; today it
 * validates the project, creates the directory database on its first run, collects every system,
 * shows what the vault holds, matches the links, counts who each filter selects, makes sure a role
 * model is active (activating the project's when none is), and runs the sync task `daily_sync` once:
 * it collects HR500 and the directory again, runs the directory job (department groups, accounts for
 * new employees, names and departments brought in line, leavers disabled, and group memberships as
 * the role model grants them) and mails its report (into a pickup folder: no mail server needed).
 * Groups and accounts a run creates get their memberships on the next run (a job plans every step
 * before it writes), so the demo runs the job a second time when the first created any. Run again,
 * it finds nothing to do and says so.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Run the HR500 demo: validate, collect every system, show the vault, activate the role model when none is active, and provision HR500 into the directory database (groups, accounts, memberships).',
    )
    .option('--serve', 'then serve the API, the Studio and the scheduler until Ctrl+C (what npm start does)')
    .option('--once', 'with --serve: end after the demo steps all the same (also PROVISIO_DEMO_NO_SERVE=1)')
    .option('--port <n>', 'with --serve: the port of the HTTPS API (0: any free port)', positiveInteger, 8443)
    .option('--host <address>', 'with --serve: the address the API listens on', '127.0.0.1')
    .addHelpText(
      'after',
      `
With --serve, a vault without users gets the user admin with a one-time password, printed once
with the URL (https://127.0.0.1:8443/) and the certificate's fingerprint; it must be changed at the
first login. With users already, reset the admin's password with \`provisio users passwd admin\`.

Examples:
  $ npm start                                  # the same as:
  $ provisio demo --serve --project examples/hr500
  $ provisio demo --project examples/hr500     # the demo steps only, then end`,
    )
    .action(async (options: DemoOptions, command: Command) => {
      const ctx = contextOf(command)
      const out = ctx.out
      out.line(`Provisio demo: ${ctx.projectDir}`)
      out.line('')
      out.line('1. Validate the project')
      const { issues } = await ctx.validate()
      for (const issue of issues) out.line(renderIssue(issue))
      const project = await ctx.project()
      out.line(
        `   valid: ${project.systems.map((s) => `${s.name} (${s.connector}, ${s.tables.length} tables)`).join(', ')}`,
      )
      if (project.jobs.some((j) => j.name === DEMO_JOB)) {
        const seeded = seedDirectoryDatabase(ctx.projectDir)
        out.line(
          seeded === 'created'
            ? `   created the directory database ${DIRECTORY_DATABASE} from the export in files/directory`
            : `   the directory database ${DIRECTORY_DATABASE} exists: it keeps what earlier runs wrote`,
        )
        if (seeded === 'upgraded')
          out.line('   (an earlier demo made it without memberships: it now has group_members, from the export)')
      }
      out.line('')
      out.line('2. Collect every system into the vault')
      const driver = await ctx.vault()
      const collections = []
      const progress = progressReporter(ctx.options)
      for (const system of project.systems) {
        const result = await progress.track(
          collectSystem({
            driver,
            system,
            projectDir: ctx.projectDir,
            onProgress: progress.listener(),
          }),
        )
        collections.push(result)
        out.line(renderCollection(result).replace(/^/gm, '   '))
      }
      out.line('')
      out.line(`3. The vault (${driver.location})`)
      const tables = await listVaultTables(driver)
      out.line(
        formatTable(
          ['table', 'rows', 'columns'],
          tables.map((t) => [`${t.system}.${t.table}`, formatCount(t.rows), t.columns]),
          ['left', 'right', 'right'],
        ).replace(/^/gm, '   '),
      )
      const context = { systems: project.systems, links: project.links }
      const links = []
      for (const link of project.links)
        links.push({ link: link.name, ...(await matchLink(driver, link, context, { samples: 0 })) })
      if (links.length > 0) {
        out.line('')
        out.line('4. Links between systems (only left / common / only right)')
        for (const l of links)
          out.line(
            `   ${l.link}: ${formatCount(l.left.only)} / ${formatCount(l.common.count)} / ${formatCount(l.right.only)}`,
          )
      }
      const filters = []
      for (const filter of project.filters) {
        if (filter.parameters.some((p) => p.default === undefined)) continue // needs a value only a run can give
        const rows = await countFilter(driver, compileFilter(filter, context, driver.dialect.name))
        filters.push({ filter: filter.name, description: filter.description ?? '', rows })
      }
      if (filters.length > 0) {
        out.line('')
        out.line('5. Filters: who is in scope')
        const table = formatTable(
          ['filter', 'rows', 'description'],
          filters.map((f) => [f.filter, formatCount(f.rows), f.description]),
          ['left', 'right', 'left'],
          90,
        )
        out.line(table.replace(/^/gm, '   '))
      }
      const dir = path.relative(process.cwd(), project.dir) || '.'
      let roleModel: DemoRoleModel | undefined
      const jobs: JobRun[] = []
      if (project.jobs.some((j) => j.name === DEMO_JOB)) {
        if (hasMembershipsStep(project)) {
          out.line('')
          out.line('6. Roles: the active role model')
          roleModel = await ensureActiveRoleModel(driver, project)
          for (const line of describeRoleModel(roleModel, dir)) out.line(`   ${line}`)
        }
        out.line('')
        const task = project.tasks.find((t) => t.name === DEMO_TASK)
        out.line(
          `${roleModel === undefined ? 6 : 7}. Provision: ${task === undefined ? `job ${DEMO_JOB} (evaluate, check thresholds, execute)` : `task ${DEMO_TASK} (collect ${task.type === 'sync' ? task.collect.join(' and ') : ''}, evaluate ${DEMO_JOB}, execute, mail the report)`}`,
        )
        const notify = cliEvents(ctx, driver, project)
        const first = await provision(ctx, driver, project, progress, task === undefined ? undefined : notify)
        const mailed = (await notify.finish()).sent > 0 ? newestMail(project) : undefined
        if (mailed !== undefined)
          out.line(`   Mailed the report (pickup folder, open it with any mail program): ${mailed}`)
        jobs.push(first)
        const creates = first.evaluation.steps.filter((s) => s.semantics === 'create' && s.operations > 0)
        if (roleModel !== undefined && first.execution?.status === 'executed' && creates.length > 0) {
          // Plans are evaluated whole before anything is written: the groups and accounts this run
          // created were not in the vault when its memberships step was planned.
          const created = creates.map((s) => `${s.mapping} ${formatCount(s.operations)}`).join(', ')
          out.line('')
          out.line(`   This run created groups or accounts (${created}). A job plans every step before it writes`)
          out.line('   anything, so their memberships come on the next run: the demo runs the job once more.')
          jobs.push(await provision(ctx, driver, project, progress))
        }
      }
      const job = jobs[0]
      out.line('')
      out.line(
        `Next: ${job === undefined ? '' : `\`npx provisio plan show ${job.evaluation.planId} -p ${dir} --all\`, `}\`npx provisio audit -p ${dir}\`, \`npx provisio job evaluate ${DEMO_JOB} -p ${dir}\`, ${roleModel === undefined ? '' : `\`npx provisio roles inspect --group DEPGRP_EN_DOC -p ${dir}\`, `}or \`npx provisio --help\`.`,
      )
      const summary = (r: (typeof jobs)[number]) => ({
        runId: r.runId,
        planId: r.evaluation.planId,
        steps: r.evaluation.steps,
        execution: r.execution,
        memberships: membershipFigures(r.evaluation),
        notices: r.evaluation.roleModel?.notices,
      })
      if (ctx.options.json)
        out.result(
          {
            collections,
            tables,
            links,
            filters,
            roleModel,
            job: job === undefined ? undefined : summary(job),
            ...(jobs[1] === undefined ? {} : { rerun: summary(jobs[1]) }),
          },
          () => '',
        )
      if (demoServes(options)) await serveDemo(ctx, { port: options.port, host: options.host, api: true })
    })
}

/** Whether the demo job has a memberships step (then it needs an active role model). */
function hasMembershipsStep(project: ValidatedProject): boolean {
  return project.jobs.some((j) => j.name === DEMO_JOB && j.steps.some((s) => s.type === 'memberships' && s.enabled))
}

/**
 * Runs the demo job once, through the demo task when `notify` is given (its events mail the
 * report), and prints its plan, a few operations of every step, and the outcome.
 */
async function provision(
  ctx: CliContext,
  driver: SqlDriver,
  project: ValidatedProject,
  progress: ProgressReporter,
  notify?: CliEvents,
): Promise<JobRun> {
  const out = ctx.out
  const run =
    notify === undefined
      ? await progress.track(
          runJob(driver, project, DEMO_JOB, {
            actor: 'demo',
            onEvaluateProgress: (step, rows) => progress.evaluated(DEMO_JOB, step, rows),
            onExecuteProgress: (done, total) => progress.executed(DEMO_JOB, done, total),
          }),
        )
      : await provisionByTask(driver, project, progress, notify)
  const { evaluation, execution } = run
  out.line(renderSteps(evaluation.steps).replace(/^/gm, '   '))
  const planned = plannedOperations(evaluation)
  if (planned === 0) {
    out.line('   Nothing to do: the directory already matches HR500 and the role model.')
  } else {
    // A few operations of every step, so that each kind of change shows.
    const operations = []
    for (const step of evaluation.steps.filter((s) => s.operations > 0))
      operations.push(...(await readOperations(driver, evaluation.planId, 3, step.index)))
    out.line(renderOperations(operations, planned).replace(/^/gm, '   '))
  }
  const memberships = membershipFigures(evaluation)
  if (memberships !== undefined) out.line(`   ${describeMemberships(memberships)}`)
  for (const line of describeNotices(evaluation.roleModel?.notices ?? [])) out.line(`   ${line}`)
  if (evaluation.stopped)
    out.line(`   Stopped: a threshold was exceeded; nothing was written (plan ${evaluation.planId}).`)
  if (execution !== undefined) {
    out.line(
      `   Executed plan ${execution.planId}: ${formatCount(execution.succeeded)} succeeded, ${formatCount(execution.failed)} failed, ${formatCount(execution.skipped)} skipped.`,
    )
    if (execution.failed > 0) process.exitCode = 1
  }
  return run
}

/** The demo task's run, as the job run it contains (the demo prints the job's plan and outcome). */
async function provisionByTask(
  driver: SqlDriver,
  project: ValidatedProject,
  progress: ProgressReporter,
  notify: CliEvents,
): Promise<JobRun> {
  const run = await progress.track(
    runTask(driver, project, DEMO_TASK, {
      actor: 'demo',
      events: notify.events,
      ...taskProgress(progress),
    }),
  )
  progress.end(run.error !== undefined)
  if (run.error !== undefined) throw run.error
  const evaluation = run.evaluations.find((e) => e.job === DEMO_JOB)
  if (evaluation === undefined) throw new Error(`The demo task ${DEMO_TASK} does not evaluate the job ${DEMO_JOB}.`)
  const execution = run.executions.find((e) => e.job === DEMO_JOB)
  return { runId: run.runId, evaluation, ...(execution === undefined ? {} : { execution }) }
}

/** The newest message of the project's pickup folder, relative to the working directory. */
function newestMail(project: ValidatedProject): string | undefined {
  const pickup = project.mailServers.find((s) => s.transport === 'pickup' && s.directory !== undefined)
  if (pickup === undefined) return undefined
  const dir = path.resolve(project.dir, pickup.directory!)
  let files: string[]
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.eml'))
  } catch {
    return undefined
  }
  const newest = files
    .map((f) => ({ f, at: statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at || b.f.localeCompare(a.f))[0]
  return newest === undefined ? undefined : path.relative(process.cwd(), path.join(dir, newest.f))
}
