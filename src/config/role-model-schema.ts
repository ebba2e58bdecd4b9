/**
 * The `RoleModel` document (docs/roles.md): roles, each a member filter and role items (the groups
 * of one target system it grants), and role generators, which make one role per row of a
 * generation filter. This is the shape the user writes; role-model-checks.ts checks its references
 * and resolves it into a {@link RoleModelConfig}; the engine checks it against the connectors'
 * membership functions and the filters' output types (src/engine/check-roles.ts).
 *
 * Which groups an item grants is said by exactly one of `groups`, `match` and (generators only)
 * `group`; the checks say which is missing or too many, as zod's unions would not.
 *
 * @example
 * kind: RoleModel
 * name: access
 * roles:
 *   - name: all_staff
 *     filter: current_staff_accounts
 *     items:
 *       - { system: directory, groupTable: groups, groupKey: dn, nameColumn: cn, member: u.dn, groups: [ALL_STAFF] }
 */
import { z } from 'zod'
import { expressionValueSchema } from './mapping-schema.ts'
import { configHints } from './schema-walk.ts'

/** Values for a filter's parameters, written as parameter defaults are; checked against the filter. */
const parameterValuesSchema = z.record(z.string(), z.unknown())

/** A group name as written: text, or a YAML number taken as its text (`groups: [2026]`). */
const groupNameSchema = z
  .union([z.string().trim().min(1), z.number()])
  .transform((name) => (typeof name === 'number' ? String(name) : name))
configHints.add(groupNameSchema, { expected: 'a group name' })

/** One role item: the groups of one target system a role grants, and how members are named there. */
const itemSchema = z.strictObject({
  /** The target system (a System document). */
  system: z.string().min(1),
  /** The system's table of groups, declared in the system. */
  groupTable: z.string().min(1),
  /** The group table's column whose value the memberships table holds for a group (`dn`, `cn`). */
  groupKey: z.string().min(1),
  /** The group table's column that `groups` and `match` compare with. @default groupKey */
  nameColumn: z.string().min(1).optional(),
  /** The member filter's output column holding the member's key as the memberships table holds it (`u.dn`). */
  member: z.string().min(1),
  /** The system's memberships table. @default the system's only table with membership functions */
  membershipsTable: z.string().min(1).optional(),
  /** Fixed group names, compared with `nameColumn` without case. */
  groups: z.array(groupNameSchema).min(1).optional(),
  /** A pattern of group names: `*` any characters, `?` one character, without case. */
  match: z.string().trim().min(1).optional(),
  /** Role generators only: an expression over the generation row giving one group name. */
  group: expressionValueSchema.optional(),
})

const roleSchema = z.strictObject({
  /** Unique within the model, regardless of case. */
  name: z.string().trim().min(1),
  description: z.string().optional(),
  /** The member filter (a Filter document): its rows are the role's members. */
  filter: z.string().min(1),
  /** Values for the member filter's parameters. @default the filter's defaults */
  parameters: parameterValuesSchema.optional(),
  /** At least one. */
  items: z.array(itemSchema).min(1),
})

const bindSchema = z.record(z.string().min(1), expressionValueSchema).refine((bind) => Object.keys(bind).length > 0, {
  message: 'Expected at least one member-filter parameter bound to an expression over the generation row.',
})
configHints.add(bindSchema, { expected: 'a mapping of member-filter parameters to expressions' })

const generatorSchema = z.strictObject({
  /** Unique among the model's generators, regardless of case. */
  name: z.string().trim().min(1),
  description: z.string().optional(),
  /** A disabled generator makes no roles. @default true */
  enabled: z.boolean().optional(),
  /** The generation filter (a Filter document): one role per row. */
  filter: z.string().min(1),
  /** Values for the generation filter's parameters. @default the filter's defaults */
  parameters: parameterValuesSchema.optional(),
  /** The role's name: an expression over the generation row. */
  roleName: expressionValueSchema,
  members: z.strictObject({
    /** The member filter (a Filter document). */
    filter: z.string().min(1),
    /** Fixed values for the member filter's other parameters. @default the filter's defaults */
    parameters: parameterValuesSchema.optional(),
    /** Member-filter parameter → expression over the generation row; at least one. */
    bind: bindSchema,
  }),
  /** At least one. */
  items: z.array(itemSchema).min(1),
})

/** A whole `kind: RoleModel` document. Objects are strict: unknown keys are errors. */
export const roleModelSchema = z.strictObject({
  kind: z.literal('RoleModel'),
  name: z.string(),
  description: z.string().optional(),
  /** @default [] */
  roles: z.array(roleSchema).optional(),
  /** @default [] */
  generators: z.array(generatorSchema).optional(),
})

/** A RoleModel document as written, after the schema has checked its shape. */
export type RoleModelDocument = z.output<typeof roleModelSchema>
/** A role as written. */
export type RoleDocument = z.output<typeof roleSchema>
/** A role generator as written. */
export type RoleGeneratorDocument = z.output<typeof generatorSchema>
/** A role item as written. */
export type RoleItemDocument = z.output<typeof itemSchema>
