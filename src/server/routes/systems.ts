/**
 * System routes (docs/api.md "Systems and collections"): the configured systems with their last
 * collection, checking a connection, discovering a data model, collecting now, and the recent
 * collections. The same lower-layer functions as `provisio system`, `provisio collect` and
 * `provisio collections`; secrets are resolved from the server's environment and never answered.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { collectSystem, findSystem, openSystem } from '../../connectors/index.ts'
import { isProvisioError } from '../../core/index.ts'
import { listCollections } from '../../vault/index.ts'
import type { ServerContext } from '../context.ts'
import { defineRoute } from '../route.ts'

const systemParams = z.object({ name: z.string().min(1).describe('System name (any case)') })

/** What a collection did to one table (vault's TableResult, without what only a fresh result has). */
const tableCountsSchema = z.object({
  table: z.string(),
  rowsBefore: z.number().int(),
  rowsAfter: z.number().int(),
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  incremental: z.boolean(),
  watermark: z.string().nullable(),
})

/** vault's CollectionRecord. */
export const collectionRecordSchema = z.object({
  id: z.number().int(),
  system: z.string(),
  kind: z.string().describe('collect, load or write-back'),
  status: z.string().describe('running, succeeded, rejected or failed'),
  startedAt: z.string(),
  durationMs: z.number().nullable(),
  sourceCollectionId: z.number().int().nullable().describe('The collection a load restored'),
  forced: z.boolean(),
  errorCode: z.string().nullable(),
  message: z.string().nullable(),
  tables: z.array(tableCountsSchema).readonly(),
})

/** vault's CollectionResult: what one collection did. */
const collectionResultSchema = z.object({
  id: z.number().int(),
  system: z.string(),
  kind: z.enum(['collect', 'load', 'write-back']),
  status: z.literal('succeeded'),
  startedAt: z.string(),
  durationMs: z.number(),
  forced: z.boolean(),
  tables: z.array(tableCountsSchema.extend({ since: z.string().nullable() })).readonly(),
  overriddenGuards: z.array(z.string()).readonly().describe('Guards that were breached and overridden with force'),
})

/** connectors' DiscoveredTable. */
const discoveredTableSchema = z.object({
  name: z.string(),
  columns: z
    .array(
      z.object({
        name: z.string(),
        type: z.string(),
        source: z.string().optional(),
        nativeType: z.string().optional(),
        caseInsensitive: z.boolean().optional(),
      }),
    )
    .readonly(),
  primaryKey: z.string().optional(),
  referenceKeys: z.array(z.string()).readonly().optional(),
  options: z.record(z.string(), z.unknown()).readonly().optional(),
})

const errorSchema = z.object({ code: z.string(), message: z.string(), hint: z.string().optional() })

export function registerSystemRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const open = (system: Parameters<typeof openSystem>[0]) =>
    openSystem(system, { projectDir: ctx.projectDir, env: process.env, logger: ctx.logger, vault: ctx.db })

  defineRoute(app, {
    method: 'GET',
    url: '/api/systems',
    access: 'read',
    summary: 'The configured systems, with their tables and last collection',
    tag: 'systems',
    response: z.object({
      systems: z.array(
        z.object({
          name: z.string(),
          connector: z.string(),
          description: z.string().optional(),
          tables: z.array(z.string()),
          lastCollection: collectionRecordSchema.nullable(),
        }),
      ),
    }),
    handler: async () => {
      const project = await ctx.project()
      const systems = []
      for (const s of project.systems) {
        const [last] = await listCollections(ctx.db, { system: s.name, limit: 1 })
        systems.push({
          name: s.name,
          connector: s.connector,
          ...(s.description === undefined ? {} : { description: s.description }),
          tables: s.tables.map((t) => t.name),
          lastCollection: last ?? null,
        })
      }
      return { systems }
    },
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/systems/:name/check',
    access: 'run',
    summary: 'Check that a system is reachable and its credentials work',
    tag: 'systems',
    params: systemParams,
    // Connects and logs in, nothing more: no write to the system or the vault to audit.
    readOnly: true,
    response: z.object({
      system: z.string(),
      ok: z.boolean(),
      error: errorSchema.optional().describe('Why the check failed, when it did'),
    }),
    handler: async ({ params }) => {
      const system = findSystem(await ctx.project(), params.name)
      // A failed check is the answer, not an error of the request: the Studio shows it as the status.
      try {
        const { connection } = await open(system)
        try {
          await connection.check()
        } finally {
          await connection.close()
        }
        return { system: system.name, ok: true }
      } catch (error) {
        if (!isProvisioError(error)) throw error
        const { code, message, hint } = error
        return { system: system.name, ok: false, error: { code, message, ...(hint === undefined ? {} : { hint }) } }
      }
    },
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/systems/:name/discover',
    access: 'run',
    summary: 'The tables and columns a system offers, to help write its data model',
    tag: 'systems',
    params: systemParams,
    response: z.object({ system: z.string(), tables: z.array(discoveredTableSchema).readonly() }),
    audit: {
      action: 'system.discover',
      subject: (_input, answer) => answer.system,
      details: (_input, answer) => ({ tables: answer.tables.length }),
    },
    handler: async ({ params }) => {
      const system = findSystem(await ctx.project(), params.name)
      const { connection } = await open(system)
      try {
        const tables = await connection.discover()
        return { system: system.name, tables }
      } finally {
        await connection.close()
      }
    },
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/systems/:name/collect',
    access: 'run',
    summary: 'Collect a system into the vault now',
    tag: 'systems',
    params: systemParams,
    body: z
      .strictObject({ force: z.boolean().optional().describe('Apply even when a collection guard rejects it') })
      .optional(),
    response: collectionResultSchema,
    audit: {
      action: 'system.collect',
      subject: (_input, answer) => answer.system,
      details: (_input, answer) => ({
        collectionId: answer.id,
        forced: answer.forced,
        added: answer.tables.reduce((n, t) => n + t.added, 0),
        changed: answer.tables.reduce((n, t) => n + t.changed, 0),
        removed: answer.tables.reduce((n, t) => n + t.removed, 0),
      }),
    },
    handler: async ({ params, body }) => {
      const system = findSystem(await ctx.project(), params.name)
      return collectSystem({
        driver: ctx.db,
        system,
        projectDir: ctx.projectDir,
        force: body?.force,
        env: process.env,
        logger: ctx.logger,
      })
    },
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/collections',
    access: 'read',
    summary: 'Recent collections, newest first',
    tag: 'systems',
    query: z.strictObject({
      system: z.string().optional().describe('Only this system'),
      limit: z.coerce.number().int().min(1).max(1000).default(20),
    }),
    response: z.object({ collections: z.array(collectionRecordSchema) }),
    handler: async ({ query }) => ({
      collections: await listCollections(ctx.db, { system: query.system, limit: query.limit }),
    }),
  })
}
