import type { Command } from 'commander'
import { renderIssue } from '../../core/index.ts'
import { hasErrors } from '../../config/index.ts'
import { contextOf } from '../context.ts'
import { secretStoreIssues } from './secret-warnings.ts'

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'Check every document of the project and report all problems at once (exit code 1 when there is any error).',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ provisio validate --project examples/hr500
  $ provisio validate --json | jq '.issues[] | "\\(.file):\\(.line) \\(.message)"'`,
    )
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command)
      const validated = await ctx.validate()
      const { project } = validated
      const issues = [...validated.issues, ...(await secretStoreIssues(ctx, project))]
      const errors = issues.filter((i) => i.severity !== 'warning').length
      const summary = {
        valid: !hasErrors(issues),
        project: ctx.projectDir,
        documents: project.documents.length,
        systems: project.systems.map((s) => ({
          name: s.name,
          connector: s.connector,
          tables: s.tables.length,
          relations: s.relations.length,
        })),
        errors,
        warnings: issues.length - errors,
        issues,
      }
      ctx.out.result(summary, (s) => {
        const lines = issues.map(renderIssue)
        const files = new Set(issues.map((i) => i.file)).size
        lines.push(
          s.valid
            ? `${s.project}: valid — ${s.documents} document(s), ${s.systems.length} system(s), ${s.systems.reduce((n, x) => n + x.tables, 0)} table(s)${s.warnings > 0 ? `, ${s.warnings} warning(s)` : ''}`
            : `${s.errors} error(s)${s.warnings > 0 ? ` and ${s.warnings} warning(s)` : ''} in ${files} file(s)`,
        )
        return lines.join('\n')
      })
      if (!summary.valid) process.exitCode = 1
    })
}
