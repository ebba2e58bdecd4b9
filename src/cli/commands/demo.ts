import path from 'node:path'
import type { Command } from 'commander'
import { renderIssue } from '../../core/index.ts'
import { collectSystem } from '../../connectors/index.ts'
import { compileFilter, countFilter, matchLink } from '../../filters/index.ts'
import { runJob } from '../../jobs/index.ts'
import { listVaultTables } from '../../vault/index.ts'
import { contextOf } from '../context.ts'
import { formatCount, formatTable } from '../output.ts'
import { endProgress } from '../progress.ts'
import { renderCollection } from './collect.ts'
import { DIRECTORY_DATABASE, seedDirectoryDatabase } from './demo-directory.ts'
import { readOperations, renderOperations, renderSteps } from './plan-output.ts'
import { executionProgress } from './plan-printing.ts'

/** The job the demo runs, when the project has it. */
const DEMO_JOB = 'directory_accounts'

/**
 * `npm start`: the HR500 demo end to end on the embedded vault. It grows with every issue; today it
 * validates the project, creates the directory database on its first run, collects every system,
 * shows what the vault holds, matches the links, counts who each filter selects, and runs the
 * directory job: accounts for new employees, names and departments brought in line, leavers
 * disabled. Run again, it finds nothing to do and says so.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Run the HR500 demo: validate, collect every system, show the vault, and provision HR500 into the directory database.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ npm start                                  # the same as:\n  $ provisio demo --project examples/hr500',
    )
    .action(async (_o, command: Command) => {
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
        const created = seedDirectoryDatabase(ctx.projectDir)
        out.line(
          created
            ? `   created the directory database ${DIRECTORY_DATABASE} from the export in files/directory`
            : `   the directory database ${DIRECTORY_DATABASE} exists: it keeps what earlier runs wrote`,
        )
      }
      out.line('')
      out.line('2. Collect every system into the vault')
      const driver = await ctx.vault()
      const collections = []
      for (const system of project.systems) {
        try {
          const result = await collectSystem({ driver, system, projectDir: ctx.projectDir, onProgress: ctx.progress() })
          collections.push(result)
          endProgress(process.stderr)
          out.line(renderCollection(result).replace(/^/gm, '   '))
        } finally {
          endProgress(process.stderr)
        }
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
      let job
      if (project.jobs.some((j) => j.name === DEMO_JOB)) {
        out.line('')
        out.line(`6. Provision: job ${DEMO_JOB} (evaluate, check thresholds, execute)`)
        const run = await runJob(driver, project, DEMO_JOB, {
          actor: 'demo',
          onExecuteProgress: executionProgress(ctx),
        })
        endProgress(process.stderr)
        const { evaluation, execution } = run
        out.line(renderSteps(evaluation.steps).replace(/^/gm, '   '))
        const planned = evaluation.steps.reduce((n, s) => n + s.operations, 0)
        if (planned === 0) {
          out.line('   Nothing to do: the directory already matches HR500.')
        } else {
          // A few operations of every step, so that each kind of change shows.
          const operations = []
          for (const step of evaluation.steps.filter((s) => s.operations > 0))
            operations.push(...(await readOperations(driver, evaluation.planId, 3, step.index)))
          out.line(renderOperations(operations, planned).replace(/^/gm, '   '))
        }
        if (evaluation.stopped)
          out.line(`   Stopped: a threshold was exceeded; nothing was written (plan ${evaluation.planId}).`)
        if (execution !== undefined) {
          out.line(
            `   Executed plan ${execution.planId}: ${formatCount(execution.succeeded)} succeeded, ${formatCount(execution.failed)} failed, ${formatCount(execution.skipped)} skipped.`,
          )
          if (execution.failed > 0) process.exitCode = 1
        }
        job = { runId: run.runId, planId: evaluation.planId, steps: evaluation.steps, execution }
      }
      const dir = path.relative(process.cwd(), project.dir) || '.'
      out.line('')
      out.line(
        `Next: ${job === undefined ? '' : `\`npx provisio plan show ${job.planId} -p ${dir} --all\`, `}\`npx provisio audit -p ${dir}\`, \`npx provisio job evaluate directory_accounts -p ${dir}\`, or \`npx provisio --help\`.`,
      )
      if (ctx.options.json) out.result({ collections, tables, links, filters, job }, () => '')
    })
}
