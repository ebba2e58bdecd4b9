import type { Command } from 'commander'
import { renderIssue } from '../../core/index.ts'
import { collectSystem } from '../../connectors/index.ts'
import { compileFilter, countFilter, matchLink } from '../../filters/index.ts'
import { listVaultTables } from '../../vault/index.ts'
import { contextOf } from '../context.ts'
import { formatCount, formatTable } from '../output.ts'
import { endProgress } from '../progress.ts'
import { renderCollection } from './collect.ts'

/**
 * `npm start`: the HR500 demo end to end on the embedded vault. It grows with every issue; today it
 * validates the project, collects every system, shows what the vault holds, matches the links and
 * counts who each filter selects.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Run the HR500 demo: validate the project, collect every system into the vault, and show what it holds.',
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
      out.line('')
      out.line(
        'Next: `npx provisio filter run needs_account -p examples/hr500`, `npx provisio link match employee_account -p examples/hr500`, or `npx provisio --help`.',
      )
      if (ctx.options.json) out.result({ collections, tables, links, filters }, () => '')
    })
}
