/**
 * What every command needs: the global options, the output, the project (validated, all problems
 * at once) and the vault. Commands get it from `contextOf(command)`.
 */
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import type { Issue, ProgressListener } from '../core/index.ts'
import { type ValidatedProject, configError, hasErrors } from '../config/index.ts'
import { checkProject } from '../engine/index.ts'
import { type SqlDriver, openVaultDriver } from '../vault/index.ts'
import { cliError } from './errors.ts'
import { Output } from './output.ts'
import { progressPrinter } from './progress.ts'

export interface GlobalOptions {
  readonly project: string
  readonly database?: string | undefined
  readonly json: boolean
  readonly quiet: boolean
}

export class CliContext {
  readonly out: Output
  private driver: SqlDriver | undefined

  constructor(readonly options: GlobalOptions) {
    this.out = new Output({ json: options.json, quiet: options.quiet })
  }

  get projectDir(): string {
    return path.resolve(this.options.project)
  }

  private requireProjectDir(): string {
    const dir = this.projectDir
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw cliError('CLI_PROJECT_NOT_FOUND', `The project folder ${dir} does not exist.`)
    }
    return dir
  }

  /**
   * Validates the whole project, connector configurations, mappings and the role model against
   * their functions included; never throws for bad input.
   */
  async validate(): Promise<{ project: ValidatedProject; issues: Issue[] }> {
    return checkProject(this.requireProjectDir())
  }

  /** The project, or CFG_INVALID with every issue when it has errors. */
  async project(): Promise<ValidatedProject> {
    const { project, issues } = await this.validate()
    if (hasErrors(issues)) {
      const errors = issues.filter((i) => i.severity !== 'warning').length
      throw configError(
        'CFG_INVALID',
        `The project in ${this.options.project} has ${errors} configuration error${errors === 1 ? '' : 's'}.`,
        {
          issues,
          hint: 'Fix the problems listed (`provisio validate` shows them too), then run the command again.',
        },
      )
    }
    return project
  }

  async vault(): Promise<SqlDriver> {
    this.driver ??= await openVaultDriver({ projectDir: this.requireProjectDir(), database: this.options.database })
    return this.driver
  }

  progress(): ProgressListener {
    return this.options.json || this.options.quiet ? () => {} : progressPrinter(process.stderr)
  }

  async close(): Promise<void> {
    await this.driver?.close()
    this.driver = undefined
  }
}

/** The context of a command, built from the global options wherever they were given. */
export function contextOf(command: Command): CliContext {
  let root = command
  while (root.parent !== null) root = root.parent
  const existing = (root as Command & { provisioContext?: CliContext }).provisioContext
  if (existing !== undefined) return existing
  const options = command.optsWithGlobals<GlobalOptions>()
  const context = new CliContext({
    project: options.project,
    database: options.database,
    json: options.json === true,
    quiet: options.quiet === true,
  })
  ;(root as Command & { provisioContext?: CliContext }).provisioContext = context
  return context
}
