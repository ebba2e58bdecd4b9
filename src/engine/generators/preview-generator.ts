/**
 * A generator's preview: what a NameGenerator gives for some rows of a filter (its own, or another),
 * with its uniqueness checks against the vault, and for a PasswordGenerator a sample password.
 * Shared by `provisio generator preview` and POST /api/generators/:name/preview. Nothing is stored
 * or handed out: the names are checked against the vault, not reserved, and a sample password is
 * made for this preview only.
 */
import { type Row, closestMatch } from '../../core/index.ts'
import type {
  FilterConfig,
  NameGeneratorConfig,
  PasswordGeneratorConfig,
  ValidatedProject,
} from '../../config/index.ts'
import { compileFilter, runFilter } from '../../filters/index.ts'
import type { SqlDriver } from '../../vault/index.ts'
import { engineError } from '../errors.ts'
import { filterRowShape, generatedTypes, parameterTypes } from '../filter-row-scope.ts'
import { createNameGenerator } from './name-generator.ts'
import { HandedOutNames } from './name-uniqueness.ts'
import { createPasswordGenerator } from './password-generator.ts'
import { preloadUniqueness, uniqueInColumns } from './preload-uniqueness.ts'

export interface FoundGenerator {
  readonly names: NameGeneratorConfig | undefined
  readonly passwords: PasswordGeneratorConfig | undefined
}

/** The name and/or password generator called `name` (any case); ENG_UNKNOWN_GENERATOR with a did-you-mean. */
export function findGenerator(project: ValidatedProject, name: string): FoundGenerator {
  const names = project.nameGenerators.find((g) => g.name.toLowerCase() === name.toLowerCase())
  const passwords = project.passwordGenerators.find((g) => g.name.toLowerCase() === name.toLowerCase())
  if (names === undefined && passwords === undefined) {
    const all = [...project.nameGenerators, ...project.passwordGenerators].map((g) => g.name)
    const suggestion = closestMatch(name, all)
    throw engineError('ENG_UNKNOWN_GENERATOR', `The project has no name or password generator '${name}'.`, {
      hint: `${suggestion === undefined ? '' : `Did you mean '${suggestion}'? `}Generators: ${all.join(', ') || '(none)'}.`,
    })
  }
  return { names, passwords }
}

export interface PreviewGeneratorOptions {
  /** Rows to preview, from the first. @default 10 */
  readonly limit?: number | undefined
  /** Only the filter row whose identity (its first column) is this value. */
  readonly key?: string | undefined
  /** A row given directly (the filter's columns by name) instead of rows of the vault. */
  readonly row?: Readonly<Record<string, unknown>> | undefined
}

export interface PreviewedRow {
  /** The row's identity: its first column. */
  readonly row: string
  /** The generated names by name; empty when the row failed. */
  readonly values: Readonly<Record<string, unknown>>
  readonly error?: { readonly code: string; readonly message: string } | undefined
  /** A sample password: made for this preview only, never stored or logged. */
  readonly password?: string | undefined
}

export interface GeneratorPreview {
  readonly generator: string
  readonly filter: string
  /** The names the NameGenerator produces, in order (none for a password generator alone). */
  readonly names: readonly string[]
  readonly rows: readonly PreviewedRow[]
}

/** The filter rows to preview: the row given, the one with identity `key`, or the first `limit`. */
async function* rowsToPreview(
  db: SqlDriver,
  compiled: ReturnType<typeof compileFilter>,
  options: PreviewGeneratorOptions,
): AsyncGenerator<Row> {
  if (options.row !== undefined) {
    yield options.row as Row
    return
  }
  const limit = options.limit ?? 10
  let given = 0
  // By key, the filter's rows are read until the one is found; a preview reads no more than that.
  for await (const page of runFilter(db, compiled, options.key === undefined ? { limit } : {})) {
    for (const row of page) {
      if (options.key !== undefined && String(Object.values(row)[0] ?? '') !== options.key) continue
      yield row
      if (++given >= limit || options.key !== undefined) return
    }
  }
}

/**
 * Previews generator `name` on rows of `filter` (the caller resolves which: the NameGenerator's own
 * filter unless another is given, see findGenerator).
 */
export async function previewGenerator(
  db: SqlDriver,
  project: ValidatedProject,
  found: FoundGenerator,
  filter: FilterConfig,
  options: PreviewGeneratorOptions = {},
): Promise<GeneratorPreview> {
  const { names, passwords } = found
  const compiled = compileFilter(filter, project, db.dialect.name)
  const shape = filterRowShape(compiled.columns, {
    generated: generatedTypes(names?.names ?? []),
    parameters: parameterTypes(filter),
  })
  const nameGenerator =
    names === undefined
      ? undefined
      : createNameGenerator(names, shape.scope, {
          uniqueness: await preloadUniqueness(db, uniqueInColumns([names])),
          handedOut: new HandedOutNames(),
          compile: { paramValues: compiled.parameters },
        })
  const passwordGenerator =
    passwords === undefined
      ? undefined
      : createPasswordGenerator(passwords, shape.scope, { paramValues: compiled.parameters })
  const rows: PreviewedRow[] = []
  for await (const row of rowsToPreview(db, compiled, options)) {
    const identity = String(Object.values(row)[0] ?? '')
    const outcome = nameGenerator?.generate(shape.toEvalRow(row), { identity })
    const values = outcome?.ok === true ? { ...outcome.values } : {}
    rows.push({
      row: identity,
      values,
      ...(outcome?.ok === false ? { error: { code: outcome.error.code, message: outcome.error.message } } : {}),
      ...(passwordGenerator === undefined
        ? {}
        : { password: passwordGenerator.generate(shape.toEvalRow(row, values)) }),
    })
  }
  return {
    generator: (names ?? passwords)!.name,
    filter: filter.name,
    names: names?.names.map((n) => n.name) ?? [],
    rows,
  }
}
