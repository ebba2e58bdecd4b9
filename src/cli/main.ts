/**
 * The `provisio` command. Every subcommand takes --project DIR (default: the current folder), and
 * every one that prints data takes --json. Exit codes: 0 success, 1 a problem was found or an
 * operation failed, 2 the command line itself is wrong.
 */
import { Command, CommanderError } from 'commander'
import { registerAudit } from './commands/audit.ts'
import { registerCollect } from './commands/collect.ts'
import { registerCollections } from './commands/collections.ts'
import { registerDataset } from './commands/dataset.ts'
import { registerDemo } from './commands/demo.ts'
import { registerFilter } from './commands/filter.ts'
import { registerGenerator } from './commands/generator.ts'
import { registerJob } from './commands/job.ts'
import { registerMapping } from './commands/mapping.ts'
import { registerPlan } from './commands/plan.ts'
import { registerRoles } from './commands/roles.ts'
import { registerRuns } from './commands/runs.ts'
import { registerServe } from './commands/serve.ts'
import { registerUsers } from './commands/users.ts'
import { registerLink } from './commands/link.ts'
import { registerSecrets } from './commands/secrets.ts'
import { registerSystem } from './commands/system.ts'
import { registerTask } from './commands/task.ts'
import { registerValidate } from './commands/validate.ts'
import { registerVault } from './commands/vault.ts'
import { Output } from './output.ts'

export function buildProgram(): Command {
  const program = new Command('provisio')
    .description(
      'Provisio: collect identity data into the vault, describe who should have which account, and write only the differences.',
    )
    .version('0.1.0')
    .option('-p, --project <dir>', 'the project folder with the YAML documents', process.env['PROVISIO_PROJECT'] ?? '.')
    .option(
      '--database <url>',
      'the vault: a postgres:// URL or a SQLite file (default: PROVISIO_DATABASE_URL, else <project>/.provisio/vault.db)',
    )
    .option('--json', 'print the result as JSON on stdout, for scripts (progress: JSON events on stderr)')
    .option('-q, --quiet', 'print nothing but errors: no progress, no notes (--json still prints its document)')
    .showHelpAfterError('(add --help for usage and examples)')
    .configureHelp({ sortSubcommands: false })
    .addHelpText(
      'after',
      `
Examples:
  $ provisio validate --project examples/hr500
  $ provisio collect --project examples/hr500
  $ provisio vault query hr500.employees --where "last_name like 'O''%'" --limit 5
  $ provisio dataset hr --employees 100000 --out /tmp/hr100k
  $ provisio job run directory_accounts --quiet   # in cron: only errors

Long work (collect, evaluate, execute) shows its progress on stderr: a bar on a terminal, a plain
line now and then in a log, JSON events with --json, nothing with --quiet (docs/cli.md).

Documentation: docs/README.md. Error codes: docs/errors.md.`,
    )
  // Before the commands are added, so that they inherit it: usage errors throw instead of exiting.
  program.exitOverride()
  registerValidate(program)
  registerCollect(program)
  registerCollections(program)
  registerVault(program)
  registerLink(program)
  registerFilter(program)
  registerGenerator(program)
  registerMapping(program)
  registerJob(program)
  registerTask(program)
  registerServe(program)
  registerUsers(program)
  registerSecrets(program)
  registerPlan(program)
  registerRuns(program)
  registerRoles(program)
  registerAudit(program)
  registerSystem(program)
  registerDataset(program)
  registerDemo(program)
  return program
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync(argv)
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" are successful exits; commander already printed the message.
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
        ? 0
        : 2
    }
    const json = argv.includes('--json')
    new Output({ json, quiet: false }).error(error)
    return 1
  } finally {
    await (program as Command & { provisioContext?: { close(): Promise<void> } }).provisioContext?.close()
  }
}
