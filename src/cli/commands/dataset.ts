import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import path from 'node:path'
import {
  DEFAULT_REFERENCE_DATE,
  MAX_EMPLOYEES,
  describeDataset,
  generateDirectoryDataset,
  generateHrDataset,
  isReferenceDate,
} from '../dataset/index.ts'
import { contextOf } from '../context.ts'
import { positiveInteger } from '../parse-options.ts'
import { endProgress } from '../progress.ts'

function employeeCount(value: string): number {
  const n = positiveInteger(value)
  if (n < 1 || n > MAX_EMPLOYEES)
    throw new InvalidArgumentError(`expected 1 to ${MAX_EMPLOYEES.toLocaleString('en-US')} employees, got ${value}.`)
  return n
}

function referenceDate(value: string): string {
  if (!isReferenceDate(value)) throw new InvalidArgumentError(`expected a real date as YYYY-MM-DD, got '${value}'.`)
  return value
}

function seed(value: string): number {
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new InvalidArgumentError(`expected a whole number, got '${value}'.`)
  return Number(value)
}

export function registerDataset(program: Command): void {
  const dataset = program.command('dataset').description('Generate demo and benchmark data.')
  dataset
    .command('hr')
    .requiredOption('--out <dir>', 'folder to write employees.csv, departments.csv and contracts.csv into')
    .option('--employees <n>', 'number of employees', employeeCount, 585)
    .option('--seed <s>', 'random seed: the same seed gives byte-identical files', seed, 500)
    .option(
      '--reference-date <date>',
      'the "today" of the data (leavers end before it, future starters begin after it)',
      referenceDate,
      DEFAULT_REFERENCE_DATE,
    )
    .description('Write an HR500-shaped HR export (semicolon CSV, UTF-8 with BOM) of any size, deterministically.')
    .addHelpText(
      'after',
      `
The data is realistic and awkward on purpose: diacritics, apostrophes and hyphens in names,
duplicate full names, people with several contracts, leavers, future starters and a manager
hierarchy. --employees 585 --seed 500 gives exactly the files of examples/hr500.

Examples:
  $ provisio dataset hr --employees 100000 --seed 7 --out /tmp/hr100k
  $ provisio dataset hr --employees 1000000 --out /tmp/hr1m --json`,
    )
    .action(
      async (options: { out: string; employees: number; seed: number; referenceDate: string }, command: Command) => {
        const ctx = contextOf(command)
        const progress = ctx.progress()
        try {
          const result = await generateHrDataset({
            employees: options.employees,
            seed: options.seed,
            outDir: path.resolve(options.out),
            referenceDate: options.referenceDate,
            onProgress: (done, total) => progress({ task: 'generate employees', done, total, unit: 'employees' }),
          })
          endProgress(process.stderr)
          ctx.out.result(result, describeDataset)
        } finally {
          endProgress(process.stderr)
        }
      },
    )

  dataset
    .command('directory')
    .requiredOption('--hr <dir>', 'the HR dataset (employees.csv, departments.csv) the accounts belong to')
    .requiredOption('--out <dir>', 'folder to write users.csv, groups.csv and group_members.csv into')
    .option('--seed <s>', 'random seed: the same seed gives byte-identical files', seed, 500)
    .description(
      'Write a directory export that goes with an HR dataset: accounts linked by employeeID, department groups and their members.',
    )
    .addHelpText(
      'after',
      `
About 93% of employees have an account (1% of them with an outdated surname), 2% more accounts
have no employee (service accounts), and one department in five has no DEPGRP_ group yet. Most
accounts are members of their department's group (6% are not; 3% are in another department's
group too), some are in VPN_USERS, a group kept by hand, and a few service accounts were added to a
department group.

Examples:
  $ provisio dataset hr --employees 100000 --out /tmp/hr100k
  $ provisio dataset directory --hr /tmp/hr100k --out /tmp/dir100k`,
    )
    .action(async (options: { hr: string; out: string; seed: number }, command: Command) => {
      const ctx = contextOf(command)
      const result = await generateDirectoryDataset({
        hrDir: path.resolve(options.hr),
        outDir: path.resolve(options.out),
        seed: options.seed,
      })
      ctx.out.result(result, (r) =>
        r.files.map((f) => `${f.table}: ${f.rows.toLocaleString('en-US')} rows → ${f.path}`).join('\n'),
      )
    })
}
