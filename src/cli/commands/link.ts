import type { Command } from 'commander'
import { findLink, matchLink } from '../../filters/index.ts'
import { contextOf } from '../context.ts'
import { formatCount, formatTable } from '../output.ts'
import { positiveInteger } from '../parse-options.ts'

export function registerLink(program: Command): void {
  const link = program.command('link').description('Inspect links between systems.')
  link
    .command('match')
    .argument('<name>', 'link name')
    .option('--samples <n>', 'sample rows per side', positiveInteger, 10)
    .description(
      "Show how many rows are only on the left, in common, and only on the right of a link, with samples (NIM's Match).",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ provisio link match employee_account\n  $ provisio link match employee_account --samples 3 --json',
    )
    .action(async (name: string, options: { samples: number }, command: Command) => {
      const ctx = contextOf(command)
      const project = await ctx.project()
      const found = findLink(project, name)
      const match = await matchLink(
        await ctx.vault(),
        found,
        { systems: project.systems, links: project.links },
        { samples: options.samples },
      )
      const left = `${found.left.system}.${found.left.table}.${found.left.column}`
      const right = `${found.right.system}.${found.right.table}.${found.right.column}`
      ctx.out.result({ link: found.name, leftColumn: left, rightColumn: right, ...match }, (m) =>
        [
          `${found.name}: ${left} ↔ ${right}`,
          formatTable(
            ['', 'rows'],
            [
              ['only left', formatCount(m.left.only)],
              ['common', formatCount(m.common.count)],
              ['only right', formatCount(m.right.only)],
            ],
            ['left', 'right'],
          ),
          ...(m.duplicates.left + m.duplicates.right > 0
            ? [
                `warning: duplicate values (left ${m.duplicates.left}, right ${m.duplicates.right}) make matches multiply`,
              ]
            : []),
          m.left.samples.length === 0
            ? ''
            : `\nonly left (sample):\n${formatTable(
                Object.keys(m.left.samples[0]!),
                m.left.samples.map((r) => Object.values(r)),
              )}`,
          m.right.samples.length === 0
            ? ''
            : `\nonly right (sample):\n${formatTable(
                Object.keys(m.right.samples[0]!),
                m.right.samples.map((r) => Object.values(r)),
              )}`,
        ]
          .filter((l) => l !== '')
          .join('\n'),
      )
    })
}
