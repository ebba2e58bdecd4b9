/**
 * What `provisio validate` adds when it can reach the vault: a warning for each `${secret:NAME}`
 * that the secret store does not hold, at the line of the reference. A warning, not an error: the
 * project is valid, it only cannot be opened on this machine until the secret is set. Without a
 * vault (a fresh checkout, or a PostgreSQL vault that does not answer) the check is skipped.
 */
import { existsSync } from 'node:fs'
import { type Issue, secretReferenceNames } from '../../core/index.ts'
import { type ValidatedProject, issueAt } from '../../config/index.ts'
import { defaultVaultPath, listSecrets } from '../../vault/index.ts'
import type { CliContext } from '../context.ts'

type Path = (string | number)[]

/** Every string under `value` with the path to it. */
function* strings(value: unknown, at: Path): Generator<[string, Path]> {
  if (typeof value === 'string') yield [value, at]
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* strings(item, [...at, i])
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) yield* strings(item, [...at, key])
}

/** Warnings for the secret references of `project` whose names are not in `stored`. */
export function unstoredSecretIssues(project: ValidatedProject, stored: ReadonlySet<string>): Issue[] {
  const issues: Issue[] = []
  for (const system of project.systems) {
    for (const [text, at] of strings(system.config, ['config'])) {
      for (const name of secretReferenceNames(text)) {
        if (stored.has(name)) continue
        issues.push(
          issueAt(
            system.document,
            'CFG_SECRET_UNRESOLVED',
            `Secret ${name} is not in the secret store: system '${system.name}' cannot be opened until it is set.`,
            at,
            { severity: 'warning', hint: `Set it with: provisio secrets set ${name} (docs/secrets.md).` },
          ),
        )
      }
    }
  }
  return issues
}

/** The warnings, when the project refers to secrets and its vault exists; none otherwise. */
export async function secretStoreIssues(ctx: CliContext, project: ValidatedProject): Promise<Issue[]> {
  if (secretReferenceNames(project.systems.map((s) => s.config)).length === 0) return []
  const configured = ctx.options.database ?? process.env['PROVISIO_DATABASE_URL']
  // Never create an embedded vault just to validate: a fresh checkout has none, and that is fine.
  if (configured === undefined && !existsSync(defaultVaultPath(ctx.projectDir))) return []
  let names: string[]
  try {
    names = (await listSecrets(await ctx.vault())).map((s) => s.name)
  } catch {
    return [] // no vault access (unreachable, or not a vault): validation of the files stands alone
  }
  return unstoredSecretIssues(project, new Set(names))
}
