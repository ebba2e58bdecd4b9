/**
 * Generator routes (docs/api.md "Generators"): the project's NameGenerator and PasswordGenerator
 * documents, and a preview of what one gives for rows of a filter, with the uniqueness checks
 * against the vault, as `provisio generator preview` shows (engine's previewGenerator). A preview
 * stores nothing, reserves no name and audits nothing; a sample password is answered once and
 * never stored or logged.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { findGenerator, previewGenerator } from '../../engine/index.ts'
import { findFilter } from '../../filters/index.ts'
import type { ServerContext } from '../context.ts'
import { serverError } from '../errors.ts'
import { defineRoute } from '../route.ts'
import { rowSchema } from './config-schemas.ts'

const generatorSchema = z.object({
  name: z.string(),
  kind: z.enum(['NameGenerator', 'PasswordGenerator']),
  description: z.string().optional(),
  file: z.string(),
  filter: z.string().optional().describe("A NameGenerator's filter: the rows a preview uses by default"),
  names: z
    .array(
      z.object({
        name: z.string(),
        methods: z.array(z.string()).describe('Expressions, tried in turn'),
        uniqueIn: z.array(z.string()).describe('`system.table.column`: where the value must not occur yet'),
        maxLength: z.number().int().optional(),
        multiValued: z.boolean(),
      }),
    )
    .optional(),
  password: z
    .object({
      minLength: z.number().int(),
      maxLength: z.number().int(),
      classes: z.array(z.object({ name: z.string(), min: z.number().int() })),
      excludeSimilar: z.boolean(),
    })
    .optional()
    .describe("A PasswordGenerator's rules"),
})

const previewBody = z
  .strictObject({
    row: rowSchema.optional().describe("A row of the filter's columns, given directly instead of a row of the vault"),
    filter: z.string().optional().describe("The filter whose rows to use (default: the NameGenerator's own)"),
    key: z.string().optional().describe('Only the filter row with this identity (its first column)'),
    count: z.number().int().min(1).max(100).default(10).describe('Rows to preview, from the first'),
  })
  .optional()

const previewSchema = z.object({
  generator: z.string(),
  filter: z.string(),
  names: z.array(z.string()).describe('The names the NameGenerator produces, in order'),
  rows: z.array(
    z.object({
      row: z.string().describe("The row's identity (its first column)"),
      values: rowSchema.describe('The names generated, checked unique against the vault (not reserved)'),
      error: z
        .object({ code: z.string(), message: z.string() })
        .optional()
        .describe('Why no name could be generated for the row'),
      password: z
        .string()
        .optional()
        .describe("A PasswordGenerator's sample password: made for this answer only, never stored or logged"),
    }),
  ),
})

export function registerGeneratorRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/generators',
    access: 'read',
    tag: 'generators',
    summary: 'The name and password generators of the project.',
    response: z.object({ generators: z.array(generatorSchema) }),
    handler: async () => {
      const project = await ctx.project()
      const described = (description: string | undefined) => (description === undefined ? {} : { description })
      return {
        generators: [
          ...project.nameGenerators.map((g) => ({
            name: g.name,
            kind: 'NameGenerator' as const,
            ...described(g.description),
            file: g.file,
            ...(g.filter === undefined ? {} : { filter: g.filter }),
            names: g.names.map((n) => ({
              name: n.name,
              methods: n.methods.map((m) => m.text),
              uniqueIn: n.uniqueIn.map((c) => `${c.system}.${c.table}.${c.column}`),
              ...(n.maxLength === undefined ? {} : { maxLength: n.maxLength }),
              multiValued: n.multiValued,
            })),
          })),
          ...project.passwordGenerators.map((g) => ({
            name: g.name,
            kind: 'PasswordGenerator' as const,
            ...described(g.description),
            file: g.file,
            password: {
              minLength: g.minLength,
              maxLength: g.maxLength,
              classes: g.classes.map((c) => ({ name: c.name, min: c.min })),
              excludeSimilar: g.excludeSimilar,
            },
          })),
        ],
      }
    },
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/generators/:name/preview',
    access: 'read',
    tag: 'generators',
    // A preview checks names against the vault and reserves none: nothing changes.
    readOnly: true,
    summary: 'What a generator gives for rows of a filter (or a row given), checked unique against the vault.',
    params: z.object({ name: z.string().min(1).describe('Generator name (any case)') }),
    body: previewBody,
    response: previewSchema,
    handler: async ({ params, body }) => {
      const project = await ctx.project()
      const found = findGenerator(project, params.name)
      const filterName = body?.filter ?? found.names?.filter
      if (filterName === undefined) {
        throw serverError(
          'SRV_INVALID_REQUEST',
          `Generator '${params.name}' names no filter; give one as \`filter\`.`,
          {
            details: { where: 'body', issues: [{ path: 'filter', message: 'Required for this generator' }] },
          },
        )
      }
      const preview = await previewGenerator(ctx.db, project, found, findFilter(project, filterName), {
        limit: body?.count ?? 10,
        key: body?.key,
        row: body?.row,
      })
      return {
        ...preview,
        names: [...preview.names],
        rows: preview.rows.map((r) => ({ ...r, values: { ...r.values } })),
      }
    },
  })
}
