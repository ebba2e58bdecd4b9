/**
 * `provisio roles restore ID`: a stored model's YAML source becomes the development model again. The
 * project's RoleModel document is replaced where it stands (the other documents of its file are kept
 * byte for byte); a project without one gets a new file. Restoring never activates: the restored
 * model is reviewed with `provisio roles diff` and activated like any other edit.
 *
 * Only the documents' envelopes are read, not the whole project validated: a development model that
 * no longer validates is exactly what one restores over.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { loadProject, replaceDocumentInFile, writeFileAtomically } from '../../config/index.ts'
import { type SqlDriver, type StoredRoleModel, getRoleModel } from '../../vault/index.ts'
import type { CliContext } from '../context.ts'
import { cliError } from '../errors.ts'

/** Where a project without a RoleModel document gets the restored one. */
export const DEFAULT_MODEL_FILE = 'roles/role-model.yaml'

export interface RestoreResult {
  readonly restored: Omit<StoredRoleModel, 'source'>
  /** The file written, relative to the project folder. */
  readonly file: string
  /** What happened to it: the RoleModel document replaced, a document added to the file, or a new file. */
  readonly change: 'replaced' | 'appended' | 'created'
  /** The name of the RoleModel document replaced. */
  readonly replaced?: string | undefined
}

/** `--file`: relative to the project folder, a *.yaml or *.yml file the project loads. */
function targetFile(projectDir: string, file: string): string {
  const absolute = path.resolve(projectDir, file)
  const relative = path.relative(projectDir, absolute)
  const hidden = relative.split(path.sep).some((part) => part.startsWith('.') || part === 'node_modules')
  if (relative.startsWith('..') || path.isAbsolute(relative) || hidden || !/\.ya?ml$/i.test(relative)) {
    throw cliError('CLI_USAGE', `--file must name a .yaml or .yml file inside the project folder, got '${file}'.`, {
      hint: `A path relative to the project folder, outside dot-folders and node_modules (default ${DEFAULT_MODEL_FILE}).`,
    })
  }
  return relative.split(path.sep).join('/')
}

/** Adds `source` as a new document at the end of an existing file, or creates the file. */
async function writeNewDocument(absolute: string, source: string): Promise<'appended' | 'created'> {
  const body = source.endsWith('\n') ? source : `${source}\n`
  if (!existsSync(absolute)) {
    mkdirSync(path.dirname(absolute), { recursive: true })
    await writeFileAtomically(absolute, body)
    return 'created'
  }
  const text = readFileSync(absolute, 'utf8')
  const newline = text.includes('\r\n') ? '\r\n' : '\n'
  const separator = text === '' || text.endsWith('\n') ? '' : newline
  const marker = /^\s*---/.test(source) ? '' : `---${newline}`
  await writeFileAtomically(absolute, `${text}${separator}${marker}${body.replace(/\r?\n/g, newline)}`)
  return 'appended'
}

/** Writes stored model `id` into the project as its development model. */
export async function restoreModel(
  ctx: CliContext,
  db: SqlDriver,
  id: number,
  file: string | undefined,
): Promise<RestoreResult> {
  const { source, ...restored } = await getRoleModel(db, id)
  const loaded = await loadProject(ctx.projectDir)
  const documents = loaded.documents.filter((d) => d.kind === 'RoleModel')
  const current = documents[0]
  if (documents.length > 1) {
    ctx.out.note(
      `warning: the project has ${documents.length} RoleModel documents; the first, '${current!.name}' in ${current!.file}, is replaced.`,
    )
  }
  if (current !== undefined) {
    if (file !== undefined && targetFile(ctx.projectDir, file) !== current.file) {
      throw cliError(
        'CLI_USAGE',
        `The development model '${current.name}' is in ${current.file}; restore replaces it there.`,
        { hint: 'Leave out --file (it only says where to write when the project has no RoleModel document).' },
      )
    }
    await replaceDocumentInFile(path.join(ctx.projectDir, current.file), current.index, source, { kind: 'RoleModel' })
    return { restored, file: current.file, change: 'replaced', replaced: current.name }
  }
  const relative = targetFile(ctx.projectDir, file ?? DEFAULT_MODEL_FILE)
  const change = await writeNewDocument(path.join(ctx.projectDir, relative), source)
  return { restored, file: relative, change }
}

export function renderRestore(result: RestoreResult): string {
  const { restored, file, change } = result
  const what =
    change === 'replaced'
      ? `${file} (replacing the RoleModel document '${result.replaced ?? ''}')`
      : change === 'appended'
        ? `${file} (added as a new document)`
        : `${file} (a new file)`
  return [
    `Restored role model ${restored.id} '${restored.name}' (activated ${restored.activatedAt} by ${restored.activatedBy}) into ${what}.`,
    'It is the development model now, not active: review it with `provisio roles diff`, then `provisio roles activate`.',
  ].join('\n')
}
