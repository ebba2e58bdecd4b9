/**
 * The `Mapping` document (docs/mappings.md): a filter's rows turned into calls of one function of a
 * target table, with an expression per attribute (DESIGN.md §1 "mapping"). This is the shape the
 * user writes; mapping-checks.ts checks its references and resolves it into a {@link MappingConfig};
 * the engine checks it against the function's parameters (src/engine/check-mappings.ts).
 *
 * @example
 * kind: Mapping
 * name: create_accounts
 * system: directory
 * table: users
 * function: users_create
 * filter: needs_account
 * nameGenerator: account_names
 * passwordGenerator: initial_password
 * attributes:
 *   sAMAccountName: generated.username
 *   employeeID: e.employee_id
 *   enabled: true
 *   password: generated.password
 */
import { z } from 'zod'
import { configHints } from './schema-walk.ts'

/**
 * An expression as a YAML value. Text is the expression itself (`e.first_name`, `'Welcome'` for a
 * text constant); a YAML number, `true`/`false` or an empty value (null) is taken as that constant,
 * so `enabled: true` needs no quotes.
 */
export const expressionValueSchema = z
  .union([z.string().trim().min(1), z.number(), z.boolean(), z.null()])
  .transform((value) => (value === null ? 'null' : String(value)))
configHints.add(expressionValueSchema, {
  expected: 'an expression (text), a number, true, false or nothing (null)',
})

/** A whole `kind: Mapping` document. Objects are strict: unknown keys are errors. */
export const mappingSchema = z.strictObject({
  kind: z.literal('Mapping'),
  name: z.string(),
  description: z.string().optional(),
  /** The target system (a System document). */
  system: z.string().min(1),
  /** The target table, declared in the system. */
  table: z.string().min(1),
  /** One of the functions the system's connector offers on the table (`users_create`). */
  function: z.string().min(1),
  /** The Filter whose rows become operations. */
  filter: z.string().min(1),
  /** Values for the filter's parameters, written as parameter defaults are. @default the filter's defaults */
  parameters: z.record(z.string(), z.unknown()).optional(),
  /** A NameGenerator; its names are `generated.<name>` in expressions. @default none */
  nameGenerator: z.string().min(1).optional(),
  /** A PasswordGenerator; its password is `generated.password`. @default none */
  passwordGenerator: z.string().min(1).optional(),
  /** For every semantics but create: the target row's key, an expression over the filter row. @default none */
  key: expressionValueSchema.optional(),
  /** Function parameter → expression over the filter row. @default {} */
  attributes: z.record(z.string().min(1), expressionValueSchema).optional(),
})

/** A Mapping document as written, after the schema has checked its shape. */
export type MappingDocument = z.output<typeof mappingSchema>
