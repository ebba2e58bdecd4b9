/**
 * Filter routes (docs/api.md "Links and filters"): the project's filters, running one with
 * parameters a page at a time, its SQL for a vault dialect, and how each item narrows the rows
 * (explain); the same filters-layer functions as `provisio filter run|sql|explain`.
 *
 * Parameters are strings, parsed by the filters layer by each parameter's type as `--param` values
 * are. On GET routes they are repeated `param=NAME=VALUE` query entries (like `--param NAME=VALUE`);
 * on POST .../run they are a `parameters` object in the body.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { compileFilter, countFilter, explainFilter, findFilter, runFilter } from '../../filters/index.ts'
import type { Row } from '../../core/index.ts'
import type { ServerContext } from '../context.ts'
import { serverError } from '../errors.ts'
import { defineRoute } from '../route.ts'
import { issueSchema, rowSchema } from './config-schemas.ts'

const filterParams = z.object({ name: z.string().min(1).describe('Filter name (any case)') })

const paramQuery = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .describe('A filter parameter as NAME=VALUE; repeat for several')

/** `param=NAME=VALUE` query entries as parameter values. */
function queryParameters(param: string | string[] | undefined): Record<string, string> {
  const values: Record<string, string> = {}
  for (const entry of param === undefined ? [] : Array.isArray(param) ? param : [param]) {
    const at = entry.indexOf('=')
    if (at <= 0) {
      throw serverError('SRV_INVALID_REQUEST', `The query's param entries are NAME=VALUE, got '${entry}'.`, {
        details: { where: 'query', issues: [{ path: 'param', message: 'expected NAME=VALUE' }] },
      })
    }
    values[entry.slice(0, at)] = entry.slice(at + 1)
  }
  return values
}

const columnSchema = z.object({ name: z.string(), type: z.string() })

export function registerFilterRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const context = async () => {
    const project = await ctx.project()
    return { project, context: { systems: project.systems, links: project.links } }
  }

  defineRoute(app, {
    method: 'GET',
    url: '/api/filters',
    access: 'read',
    summary: "The project's filters, with their start table and parameters",
    tag: 'filters',
    response: z.object({
      filters: z.array(
        z.object({
          name: z.string(),
          description: z.string().optional(),
          start: z.string().describe('SYSTEM.TABLE'),
          parameters: z.array(z.object({ name: z.string(), type: z.string(), default: z.unknown().optional() })),
          file: z.string(),
        }),
      ),
    }),
    handler: async () => ({
      filters: (await ctx.project()).filters.map((f) => ({
        name: f.name,
        ...(f.description === undefined ? {} : { description: f.description }),
        start: `${f.start.system}.${f.start.table}`,
        parameters: f.parameters.map((p) => ({
          name: p.name,
          type: p.type,
          ...(p.default === undefined ? {} : { default: p.default }),
        })),
        file: f.file,
      })),
    }),
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/filters/:name/run',
    access: 'read',
    summary: "Run a filter on the vault's current data: a page of rows and the total",
    tag: 'filters',
    // A POST only for its body of parameters: it reads the vault and changes nothing.
    readOnly: true,
    params: filterParams,
    body: z
      .strictObject({
        parameters: z.record(z.string(), z.string()).optional().describe('NAME → VALUE, parsed by type'),
        limit: z.number().int().min(0).max(10000).default(100),
        offset: z.number().int().min(0).default(0).describe('Rows to skip (slow on large results)'),
        total: z.boolean().default(false).describe('Count every row the filter gives (runs the filter in full)'),
      })
      .optional(),
    response: z.object({
      filter: z.string(),
      columns: z.array(columnSchema),
      total: z.number().int().optional().describe('Rows the filter gives, over all pages (with `total: true`)'),
      more: z.boolean().describe('More rows follow this page'),
      rows: z.array(rowSchema),
    }),
    handler: async ({ params, body }) => {
      const { project, context: filterContext } = await context()
      const filter = findFilter(project, params.name)
      const compiled = compileFilter(filter, filterContext, ctx.db.dialect.name, body?.parameters ?? {})
      const limit = body?.limit ?? 100
      const rows: Row[] = []
      // One row more than the page, in the SQL's LIMIT: whether more follow, without counting.
      for await (const page of runFilter(ctx.db, compiled, { limit: limit + 1, offset: body?.offset ?? 0 }))
        rows.push(...page)
      return {
        filter: filter.name,
        columns: compiled.columns.map((c) => ({ name: c.name, type: c.type })),
        ...(body?.total === true ? { total: await countFilter(ctx.db, compiled) } : {}),
        more: rows.length > limit,
        rows: rows.slice(0, limit),
      }
    },
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/filters/:name/sql',
    access: 'read',
    summary: 'The SQL statement a filter compiles to, with its bound parameters',
    tag: 'filters',
    params: filterParams,
    query: z.strictObject({
      dialect: z.enum(['sqlite', 'postgres']).optional().describe("Default: the vault's"),
      param: paramQuery,
    }),
    response: z.object({
      filter: z.string(),
      dialect: z.enum(['sqlite', 'postgres']),
      sql: z.string().describe('With ? placeholders; no value is ever part of the text'),
      params: z.array(z.unknown()),
    }),
    handler: async ({ params, query }) => {
      const { project, context: filterContext } = await context()
      const filter = findFilter(project, params.name)
      const dialect = query.dialect ?? ctx.db.dialect.name
      const compiled = compileFilter(filter, filterContext, dialect, queryParameters(query.param))
      return {
        filter: filter.name,
        dialect,
        sql: compiled.sql,
        params: compiled.params.map((p) => (typeof p === 'bigint' ? Number(p) : p)),
      }
    },
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/filters/:name/explain',
    access: 'read',
    summary: 'How many rows remain after each item of a filter; warns when joins multiply rows',
    tag: 'filters',
    params: filterParams,
    query: z.strictObject({ param: paramQuery }),
    response: z.object({
      filter: z.string(),
      steps: z.array(
        z.object({
          kind: z.enum(['Start', 'Join', 'Where', 'Lookup']),
          label: z.string(),
          mode: z.string().optional(),
          rows: z.number().int(),
        }),
      ),
      rows: z.number().int(),
      startRows: z.number().int(),
      maxRowsPerStartRow: z.number(),
      maxMultiplication: z.number(),
      warnings: z.array(issueSchema),
    }),
    handler: async ({ params, query }) => {
      const { project, context: filterContext } = await context()
      const filter = findFilter(project, params.name)
      const e = await explainFilter(ctx.db, filter, filterContext, queryParameters(query.param))
      return { ...e, steps: [...e.steps], warnings: [...e.warnings] }
    },
  })
}
