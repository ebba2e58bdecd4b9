/**
 * The resolved shapes of the kinds that describe writes (docs/mappings.md): `NameGenerator`,
 * `PasswordGenerator`, `Mapping` and `Job`. The config layer validates the YAML and resolves each
 * document into one of these; the engine checks them against the connectors' functions and the
 * filters' columns, and plans and executes them.
 *
 * Expressions are kept as text with their document path: the engine type-checks them in the scope
 * of the mapping's filter (its output columns, `alias.column` or a computed column's bare name),
 * `generated.<name>` for generated names and the password, and `:parameters`.
 */
import type { Value } from '../core/index.ts'
import type { GuardLimit } from './guards.ts'
import type { LoadedDocument } from './loaded-document.ts'
import type { ColumnRef } from './filter-model.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** An expression as written, with where it sits for positioned issues. */
export interface ExpressionText {
  readonly text: string
  readonly path: DocumentPath
}

/** A limit: at most `value` operations, or at most `value` percent of the target table's current rows. */
export type OperationLimit = GuardLimit

/** One name a NameGenerator produces (`username`, `mail`, `proxyAddresses`). */
export interface GeneratedName {
  readonly name: string
  /**
   * Ordered methods, tried in turn; the first whose value (after transliteration, character
   * filtering and truncation) is non-empty and not taken wins. An expression may use the names
   * generated before it as `generated.<name>`. For a multi-valued name every method gives one value
   * (or several, when it reads a `string[]` column).
   */
  readonly methods: readonly ExpressionText[]
  /**
   * When every method is taken: a counter from `start` to `max`, put into `pattern`. `pattern` is an
   * expression with the parameter `:n` (the counter) and `:base` (the first non-empty method value,
   * shaped but not cut); absent, the counter is appended to that value, which is shortened to keep
   * `maxLength`.
   */
  readonly iteration?:
    { readonly start: number; readonly max: number; readonly pattern?: ExpressionText | undefined } | undefined
  /** Longest name allowed; longer method values are cut. @default no limit */
  readonly maxLength?: number | undefined
  /** Turn letters into ASCII (é → e, ß → ss) before the checks. @default true */
  readonly transliterate: boolean
  /** A regular-expression character class of what a name may hold; other characters are dropped (`[a-z0-9.-]`). @default keep all */
  readonly allowedCharacters?: string | undefined
  /** Lower-case the value. @default false */
  readonly lowercase: boolean
  /** Columns (of any system) the value must not already occur in, compared case-insensitively. */
  readonly uniqueIn: readonly ColumnRef[]
  /** A multi-valued name (proxyAddresses): one value per method, all kept. @default false */
  readonly multiValued: boolean
  readonly path: DocumentPath
}

export interface NameGeneratorConfig {
  readonly name: string
  readonly description?: string | undefined
  /** The filter whose rows `provisio generator preview` uses; mappings evaluate it on their own filter's rows. */
  readonly filter?: string | undefined
  /** In order: a name may use the names before it. */
  readonly names: readonly GeneratedName[]
  readonly file: string
  readonly document: LoadedDocument
}

/** A character class of a password and how many of its characters a password needs at least. */
export interface PasswordCharacterClass {
  readonly name: 'lower' | 'upper' | 'digits' | 'symbols'
  /** The characters the class draws from; resolved from YAML, look-alikes are already left out when excludeSimilar. */
  readonly characters: string
  readonly min: number
}

export interface PasswordGeneratorConfig {
  readonly name: string
  readonly description?: string | undefined
  /** Length of the random part. */
  readonly minLength: number
  readonly maxLength: number
  /** The classes the random part draws from, with their minimum counts; only these classes are used. */
  readonly classes: readonly PasswordCharacterClass[]
  /** Leave out characters that are easily mistaken for one another (0 O o 1 l I | 5 S 2 Z 8 B). @default true */
  readonly excludeSimilar: boolean
  /**
   * The parts the password is made of, in order: the random part (`random`) and expressions over the
   * mapping's filter row (`left(e.first_name, 1)`). @default [random]
   */
  readonly parts: readonly (
    { readonly kind: 'random' } | { readonly kind: 'expression'; readonly expression: ExpressionText }
  )[]
  readonly file: string
  readonly document: LoadedDocument
}

/** One attribute a mapping gives its function: the parameter's name and the value's expression. */
export interface MappingAttribute {
  readonly name: string
  readonly expression: ExpressionText
}

export interface MappingConfig {
  readonly name: string
  readonly description?: string | undefined
  readonly system: string
  readonly table: string
  readonly function: string
  /** The filter whose rows the mapping turns into operations. */
  readonly filter: string
  /** Values for the filter's parameters. @default the filter's defaults */
  readonly parameters: Readonly<Record<string, Value>>
  readonly nameGenerator?: string | undefined
  readonly passwordGenerator?: string | undefined
  /**
   * For every semantics but create: an expression over the filter row giving the target row's key
   * (`u.objectGUID`), matched against the function's key column.
   */
  readonly key?: ExpressionText | undefined
  readonly attributes: readonly MappingAttribute[]
  readonly file: string
  readonly document: LoadedDocument
}

/** A job step that evaluates and executes one mapping. */
export interface MappingJobStep {
  readonly type: 'mapping'
  readonly mapping: string
  /** @default true */
  readonly enabled: boolean
  /**
   * The most operations the step may plan before the job stops without writing anything.
   * @default none, except 10% of the target table for delete and disable functions
   */
  readonly threshold?: OperationLimit | undefined
  readonly path: DocumentPath
}

/**
 * A job step that brings one system's group memberships in line with the active role model: the
 * desired (group, member) pairs against the collected memberships, as membership_add and
 * membership_remove operations.
 */
export interface MembershipsJobStep {
  readonly type: 'memberships'
  /** The target system whose memberships the step plans. */
  readonly system: string
  /** @default true */
  readonly enabled: boolean
  /**
   * The most adds and the most removes the step may plan (each on its own) before the job stops.
   * @default no limit for adds; 10% of the memberships table for removes
   */
  readonly threshold: { readonly add?: OperationLimit | undefined; readonly remove?: OperationLimit | undefined }
  readonly path: DocumentPath
}

export type JobStep = MappingJobStep | MembershipsJobStep

export interface JobConfig {
  readonly name: string
  readonly description?: string | undefined
  readonly steps: readonly JobStep[]
  readonly file: string
  readonly document: LoadedDocument
}
