import type { Command } from 'commander'
import { findSystem, openSystem } from '../../connectors/index.ts'
import { silentLogger } from '../../core/index.ts'
import type { CliContext } from '../context.ts'
import { contextOf } from '../context.ts'
import { discoveredYaml } from './discovered-yaml.ts'

async function withSystem<T>(
  ctx: CliContext,
  name: string,
  work: (connection: Awaited<ReturnType<typeof openSystem>>['connection']) => Promise<T>,
): Promise<T> {
  const project = await ctx.project()
  const system = findSystem(project, name)
  const { connection } = await openSystem(system, {
    projectDir: ctx.projectDir,
    env: process.env,
    logger: silentLogger,
    vault: await ctx.vault(),
  })
  try {
    return await work(connection)
  } finally {
    await connection.close()
  }
}

export function registerSystem(program: Command): void {
  const system = program.command('system').description('Check and discover a configured system.')
  system
    .command('check')
    .argument('<name>', 'system name')
    .description('Prove that the system is reachable and its credentials work; explains what is wrong otherwise.')
    .addHelpText('after', '\nExamples:\n  $ provisio system check hr500')
    .action(async (name: string, _o, command: Command) => {
      const ctx = contextOf(command)
      await withSystem(ctx, name, (c) => c.check())
      ctx.out.result({ system: name, ok: true }, () => `${name}: reachable`)
    })
  system
    .command('discover')
    .argument('<name>', 'system name')
    .description('List the tables and columns the system offers, to help write its data model.')
    .addHelpText('after', '\nExamples:\n  $ provisio system discover hr500 --json')
    .action(async (name: string, _o, command: Command) => {
      const ctx = contextOf(command)
      const tables = await withSystem(ctx, name, (c) => c.discover())
      ctx.out.result({ system: name, tables }, (r) => discoveredYaml(r.system, r.tables))
    })
}
