/**
 * Finds the zod schemas that apply at a path of the validated value. zod's `unrecognized_keys` issue
 * names the extra keys but not the allowed ones, so the "did you mean" hint walks the schema itself:
 * this stays right when the schema changes, where a hand-kept map of paths to keys would drift.
 */
import { z } from 'zod'

/** The parts of zod 4's schema definitions the walk needs (`schema._zod.def`). */
interface WalkDef {
  readonly type: string
  readonly shape?: Record<string, z.ZodType>
  readonly valueType?: z.ZodType
  readonly element?: z.ZodType
  readonly items?: readonly z.ZodType[]
  readonly innerType?: z.ZodType
  readonly in?: z.ZodType
  readonly out?: z.ZodType
  readonly options?: readonly z.ZodType[]
  readonly left?: z.ZodType
  readonly right?: z.ZodType
  readonly getter?: () => z.ZodType
}

function defOf(schema: z.ZodType): WalkDef {
  return schema._zod.def
}

/** `schema` and every schema it wraps (optional, default, pipe, union…), outermost first. */
export function unwrapSchema(schema: z.ZodType): z.ZodType[] {
  const result: z.ZodType[] = []
  const pending = [schema]
  while (pending.length > 0) {
    const current = pending.shift()
    if (current === undefined || result.includes(current)) continue
    result.push(current)
    const def = defOf(current)
    for (const inner of [def.innerType, def.out, def.in, def.left, def.right, ...(def.options ?? [])]) {
      if (inner !== undefined) pending.push(inner)
    }
    if (def.type === 'lazy' && def.getter !== undefined) pending.push(def.getter())
  }
  return result
}

function childSchemas(schema: z.ZodType, segment: string | number): z.ZodType[] {
  const children: z.ZodType[] = []
  for (const s of unwrapSchema(schema)) {
    const def = defOf(s)
    if (def.type === 'object' && def.shape !== undefined) {
      const child = Object.hasOwn(def.shape, String(segment)) ? def.shape[String(segment)] : undefined
      if (child !== undefined) children.push(child)
    } else if (def.type === 'record' && def.valueType !== undefined) {
      children.push(def.valueType)
    } else if (def.type === 'array' && def.element !== undefined && typeof segment === 'number') {
      children.push(def.element)
    } else if (def.type === 'tuple' && typeof segment === 'number') {
      const item = def.items?.[segment]
      if (item !== undefined) children.push(item)
    }
  }
  return children
}

/** Every schema (wrappers included) that validates the value at `path`. */
export function schemasAt(schema: z.ZodType, path: readonly (string | number)[]): z.ZodType[] {
  let current = [schema]
  for (const segment of path) {
    current = current.flatMap((s) => childSchemas(s, segment))
    if (current.length === 0) return []
  }
  return current.flatMap(unwrapSchema)
}

/** The keys an object schema at `path` allows, in declaration order. */
export function allowedKeysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  const keys = new Set<string>()
  for (const s of schemasAt(schema, path)) {
    const def = defOf(s)
    if (def.type === 'object' && def.shape !== undefined) for (const key of Object.keys(def.shape)) keys.add(key)
  }
  return [...keys]
}

/**
 * Hints a schema gives the issue mapper: how to describe what it expects, and common wrong spellings
 * of allowed values with their replacement (`int` → `integer`).
 */
export interface ConfigHint {
  /** What the value should be, in words (`a type name or a mapping with \`type\``). */
  readonly expected?: string
  /** Wrong value → allowed value, for hints on enums. */
  readonly aliases?: Readonly<Record<string, string>>
  /** The value is a secret: never echo it. */
  readonly secret?: boolean
}

/** The registry that holds {@link ConfigHint}s; connector schemas may register theirs too. */
export const configHints = z.registry<ConfigHint>()

/** The merged hints of every schema at `path`, plus `secret` from the global metadata (core's `secretRef`). */
export function hintsAt(schema: z.ZodType, path: readonly (string | number)[]): ConfigHint {
  let merged: ConfigHint = {}
  for (const s of schemasAt(schema, path)) {
    const hint = configHints.get(s)
    if (hint !== undefined) merged = { ...hint, ...merged }
    if (z.globalRegistry.get(s)?.['secret'] === true) merged = { ...merged, secret: true }
  }
  return merged
}
