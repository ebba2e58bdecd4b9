/**
 * The YAML surface of the SQL connector: the system's `config:` block and each table's `options:`
 * block. Both are strict (unknown keys are errors) and are the single source of truth for the
 * defaults, the TypeScript types and docs/connectors/sql.md.
 *
 * @example
 * ```yaml
 * connector: sql
 * config:
 *   url: ${env:DIRECTORY_DB_URL}     # or  file: data/directory.db
 *   schema: directory
 * tables:
 *   users:
 *     options:
 *       table: user_accounts
 *       readOnly: [id]
 *       mandatory: [username]
 *       disable: { column: enabled, disabledValue: false, enabledValue: true }
 *       password: { column: password_hash, hash: scrypt }
 *   group_members:
 *     options:
 *       memberships: { group: group_cn, member: member }
 * ```
 */
import { z } from 'zod'

/** Rows per page of a read. */
export const DEFAULT_PAGE_SIZE = 5000

const WHOLE_REFERENCE = /^\$\{(?:env|secret):[A-Za-z_][A-Za-z0-9_.-]*\}$/
const POSTGRES_URL = /^postgres(?:ql)?:\/\//i
// A URL must not carry a written-out password, neither as `user:password@` nor as `?password=`.
const NO_PLAIN_PASSWORD = /^(?![a-z][a-z0-9+.-]*:\/\/[^/?#@]*:[^/?#@]*@)(?![^#]*[?&]password=)/i

/** Whether `text` is one whole `${env:NAME}` (or `${secret:name}`) reference. */
export function isReference(text: string): boolean {
  return WHOLE_REFERENCE.test(text)
}

/** Whether `text` is a postgres:// or postgresql:// URL. */
export function isPostgresUrl(text: string): boolean {
  return POSTGRES_URL.test(text)
}

/**
 * The PostgreSQL URL. A secret: URLs carry passwords, so a password may reach it only through a
 * reference to the whole URL (`${env:DIRECTORY_DB_URL}`); a URL without a password may be written out.
 */
const urlSchema = z
  .string()
  .regex(NO_PLAIN_PASSWORD, {
    message: 'A URL with a password must be a reference such as ${env:DIRECTORY_DB_URL}, never the value itself.',
  })
  .refine((value) => isReference(value) || isPostgresUrl(value), {
    message: 'The url must be a postgres:// URL, or a reference such as ${env:DIRECTORY_DB_URL} to one.',
  })
  .meta({ secret: true })

const pageSizeSchema = z.number().int().min(1).max(100_000)

/** The `config:` block of a SQL system: exactly one of `file` (SQLite) and `url` (PostgreSQL). */
export const sqlConfigSchema = z
  .strictObject({
    /** A SQLite database file, relative to the project folder. It must exist: it is never created. */
    file: z.string().min(1).optional().describe('SQLite database file, relative to the project folder.'),
    /** A PostgreSQL URL, as a `${env:NAME}` reference when it holds a password. */
    url: urlSchema.optional().describe('PostgreSQL URL (postgres://user:password@host:port/database), a secret.'),
    /** The PostgreSQL schema of the tables. @default the search path's first schema (usually public) */
    schema: z.string().min(1).optional().describe('PostgreSQL schema of the tables; default: the search path.'),
    /** Rows per page when reading. @default 5000 */
    pageSize: pageSizeSchema.default(DEFAULT_PAGE_SIZE).describe('Rows per page when reading (default 5000).'),
  })
  .superRefine((config, context) => {
    if ((config.file === undefined) === (config.url === undefined)) {
      context.addIssue({
        code: 'custom',
        path: config.file === undefined ? [] : ['url'],
        message: 'A SQL system needs exactly one of `file:` (a SQLite file) and `url:` (a PostgreSQL URL).',
      })
    }
    if (config.schema !== undefined && config.url === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['schema'],
        message: '`schema:` applies to PostgreSQL only; a SQLite file has no schemas.',
      })
    }
  })

const switchValue = z.union([z.boolean(), z.number(), z.string()])

/** `disable:` of a table: the column that says whether a row is enabled, and its two values. */
const disableSchema = z.strictObject({
  /** The declared column that holds the state. */
  column: z.string().min(1),
  /** @default false */
  disabledValue: switchValue.default(false),
  /** @default true */
  enabledValue: switchValue.default(true),
})

/** `password:` of a table: the write-only column that holds a password hash. */
const passwordSchema = z.strictObject({
  /** The column in the database; it is never read and must not be declared as a column. */
  column: z.string().min(1),
  /** Only scrypt for now: `scrypt$<salt>$<hash>` (see password-hash.ts). @default 'scrypt' */
  hash: z.enum(['scrypt']).default('scrypt'),
})

const columnList = z.array(z.string().min(1))

/**
 * `memberships:` of a table: it relates groups to members, one (group, member) pair per row, and
 * offers `<table>_add` and `<table>_remove` instead of create, update and delete.
 */
const membershipsSchema = z.strictObject({
  /** The declared column that holds the group's key (`group_cn`). */
  group: z.string().min(1),
  /** The declared column that holds the member's key (`member`). */
  member: z.string().min(1),
})

/** The `options:` block of each table of a SQL system. Absent options mean all defaults. */
export const sqlTableOptionsSchema = z
  .strictObject({
    /** The table's name in the database. @default the declared table name */
    table: z.string().min(1).optional().describe('Name of the table in the database; default: the declared name.'),
    /** Columns a create must give, beyond the primary key. @default [] */
    mandatory: columnList.default([]).describe('Declared columns a create must give, beyond the primary key.'),
    /** Columns never written: identity, generated and defaulted ones (a database-generated key). @default [] */
    readOnly: columnList.default([]).describe('Declared columns never written (identity, generated, defaulted).'),
    /** Gives the table `<table>_disable` and `<table>_enable` functions. @default none */
    disable: disableSchema.optional(),
    /** Gives create and update a secret `password` parameter, stored hashed. @default none */
    password: passwordSchema.optional(),
    /** Makes the table a memberships table: `<table>_add` and `<table>_remove` only. @default none */
    memberships: membershipsSchema
      .optional()
      .describe('A memberships table: the declared group and member columns; gives _add and _remove only.'),
    /** Rows per page when reading this table. @default the system's `pageSize` */
    pageSize: pageSizeSchema.optional(),
  })
  .prefault({})

/** A validated `config:` block, defaults applied. */
export type SqlConfig = z.output<typeof sqlConfigSchema>

/** A validated `options:` block of one table, defaults applied. */
export type SqlTableOptions = z.output<typeof sqlTableOptionsSchema>
