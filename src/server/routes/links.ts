/**
 * Link routes (docs/api.md "Links and filters"): the project's links and their match report
 * (NIM's Match: only left, common, only right, with samples), as `provisio link match` gives it.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { ColumnRef } from '../../config/index.ts'
import { findLink, matchLink } from '../../filters/index.ts'
import type { ServerContext } from '../context.ts'
import { defineRoute } from '../route.ts'
import { rowSchema } from './config-schemas.ts'

const columnName = (c: ColumnRef) => `${c.system}.${c.table}.${c.column}`

export function registerLinkRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/links',
    access: 'read',
    summary: "The project's links between systems",
    tag: 'links',
    response: z.object({
      links: z.array(
        z.object({
          name: z.string(),
          description: z.string().optional(),
          leftColumn: z.string().describe('SYSTEM.TABLE.COLUMN'),
          rightColumn: z.string().describe('SYSTEM.TABLE.COLUMN'),
          caseInsensitive: z.boolean(),
          leftExpression: z.string().optional(),
          rightExpression: z.string().optional(),
          file: z.string(),
        }),
      ),
    }),
    handler: async () => ({
      links: (await ctx.project()).links.map((l) => ({
        name: l.name,
        ...(l.description === undefined ? {} : { description: l.description }),
        leftColumn: columnName(l.left),
        rightColumn: columnName(l.right),
        caseInsensitive: l.caseInsensitive,
        ...(l.leftExpression === undefined ? {} : { leftExpression: l.leftExpression }),
        ...(l.rightExpression === undefined ? {} : { rightExpression: l.rightExpression }),
        file: l.file,
      })),
    }),
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/links/:name/match',
    access: 'read',
    summary: 'How many rows are only left, in common and only right of a link, with samples',
    tag: 'links',
    params: z.object({ name: z.string().min(1) }),
    query: z.strictObject({ samples: z.coerce.number().int().min(0).max(1000).default(10) }),
    response: z.object({
      link: z.string(),
      leftColumn: z.string(),
      rightColumn: z.string(),
      left: z.object({ only: z.number().int(), samples: z.array(rowSchema) }),
      common: z.object({
        count: z.number().int(),
        samples: z.array(z.object({ left: rowSchema, right: rowSchema })),
      }),
      right: z.object({ only: z.number().int(), samples: z.array(rowSchema) }),
      duplicates: z.object({ left: z.number().int(), right: z.number().int() }),
    }),
    handler: async ({ params, query }) => {
      const project = await ctx.project()
      const link = findLink(project, params.name)
      const match = await matchLink(
        ctx.db,
        link,
        { systems: project.systems, links: project.links },
        { samples: query.samples },
      )
      return {
        link: link.name,
        leftColumn: columnName(link.left),
        rightColumn: columnName(link.right),
        left: { only: match.left.only, samples: [...match.left.samples] },
        common: { count: match.common.count, samples: [...match.common.samples] },
        right: { only: match.right.only, samples: [...match.right.samples] },
        duplicates: match.duplicates,
      }
    },
  })
}
