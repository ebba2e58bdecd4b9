/**
 * Vault routes (docs/api.md "The vault"): the collected tables, their current rows with paging,
 * sorting and an expression filter, and the history of one row. The same vault queries as
 * `provisio vault tables|query|history`: a `where` is compiled by the expression compiler with
 * every value bound, never spliced into SQL, and a bad one is VLT_INVALID_CONDITION with the
 * positioned issue.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { compileTableCondition, listVaultTables, pageRows, requireVaultTable, rowHistory } from '../../vault/index.ts'
import type { ServerContext } from '../context.ts'
import { defineRoute } from '../route.ts'
import { rowSchema } from './config-schemas.ts'

const tableParams = z.object({ table: z.string().min(1).describe('SYSTEM.TABLE') })

const columnSchema = z.object({ name: z.string(), type: z.string() })

export function registerVaultRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/vault/tables',
    access: 'read',
    summary: 'The tables the vault holds, with row counts and their last collection',
    tag: 'vault',
    response: z.object({
      tables: z.array(
        z.object({
          system: z.string(),
          table: z.string(),
          rows: z.number().int(),
          columns: z.number().int(),
          lastCollectionId: z.number().int().nullable(),
          lastCollectedAt: z.string().nullable(),
        }),
      ),
    }),
    handler: async () => ({ tables: await listVaultTables(ctx.db) }),
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/vault/tables/:table/rows',
    access: 'read',
    summary: 'The current rows of a collected table, a page at a time',
    tag: 'vault',
    params: tableParams,
    query: z.strictObject({
      limit: z.coerce.number().int().min(0).max(1000).default(100),
      after: z.string().max(2000).optional().describe('The `next` cursor of the page before'),
      offset: z.coerce
        .number()
        .int()
        .min(0)
        .default(0)
        .describe('Rows to skip (slow on large tables: use `after`); ignored with `after`'),
      total: z
        .enum(['true', 'false'])
        .default('false')
        .transform((v) => v === 'true')
        .describe('Count every row that meets `where` (a full scan: only when needed)'),
      sort: z.string().optional().describe('Column to sort by (default: the primary key)'),
      order: z.enum(['asc', 'desc']).default('asc'),
      where: z
        .string()
        .optional()
        .describe(
          "An expression over the table's columns: `last_name like 'Jans%' and birth_date < date '1980-01-01'`",
        ),
    }),
    response: z.object({
      table: z.string().describe('SYSTEM.TABLE'),
      columns: z.array(columnSchema),
      primaryKey: z.string().nullable(),
      total: z.number().int().optional().describe('Rows that meet `where`, over all pages (with `total=true`)'),
      next: z.string().nullable().describe('The cursor of the next page (send as `after`); null on the last page'),
      rows: z.array(rowSchema),
    }),
    handler: async ({ params, query }) => {
      const table = await requireVaultTable(ctx.db, params.table)
      const where =
        query.where === undefined ? undefined : compileTableCondition(query.where, table, ctx.db.dialect.name)
      const { rows, total, next } = await pageRows(ctx.db, table, {
        where,
        limit: query.limit,
        after: query.after,
        offset: query.offset,
        orderBy: query.sort,
        descending: query.order === 'desc',
        total: query.total,
      })
      return {
        table: `${table.system}.${table.name}`,
        columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
        primaryKey: table.primaryKey ?? null,
        ...(total === undefined ? {} : { total }),
        next: next ?? null,
        rows,
      }
    },
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/vault/tables/:table/rows/:key/history',
    access: 'read',
    summary: 'What changed in one row, newest first, with old and new values',
    tag: 'vault',
    params: tableParams.extend({ key: z.string().min(1).describe("The row's primary key value") }),
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
    response: z.object({
      table: z.string(),
      key: z.string(),
      changes: z.array(
        z.object({
          collectionId: z.number().int(),
          collectedAt: z.string(),
          key: z.string(),
          kind: z.enum(['added', 'changed', 'removed']),
          changes: z.array(z.object({ column: z.string(), old: z.unknown(), new: z.unknown() })),
        }),
      ),
    }),
    handler: async ({ params, query }) => {
      const table = await requireVaultTable(ctx.db, params.table)
      const changes = await rowHistory(ctx.db, table, { key: params.key, limit: query.limit })
      return {
        table: `${table.system}.${table.name}`,
        key: params.key,
        changes: changes.map((c) => ({ ...c, changes: [...c.changes] })),
      }
    },
  })
}
