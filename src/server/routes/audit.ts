/**
 * The audit route (docs/api.md "Audit"): every write to a target with its time, run, mapping, key,
 * before and after values and outcome, newest first, searched as `provisio audit` does. A secret
 * shows only as `(set)`: its value is never stored.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { describeChanges } from '../../engine/index.ts'
import { searchAudit } from '../../vault/index.ts'
import type { ServerContext } from '../context.ts'
import { defineRoute } from '../route.ts'

const time = z
  .string()
  .refine((t) => !Number.isNaN(Date.parse(t)), 'A date or time such as 2026-12-01 or 2026-12-01T08:00:00Z')
  .transform((t) => new Date(t).toISOString())

const auditRecordSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  runId: z.number().int().optional(),
  planId: z.number().int().optional(),
  operationId: z.string(),
  mapping: z.string(),
  system: z.string(),
  table: z.string(),
  function: z.string(),
  semantics: z.string(),
  keyColumn: z.string().optional(),
  keyValue: z.unknown().optional(),
  before: z.record(z.string(), z.unknown()).optional(),
  after: z.record(z.string(), z.unknown()).optional().describe('A secret shows as `(set)`'),
  outcome: z.enum(['succeeded', 'failed']),
  errorCode: z.string().optional(),
  message: z.string().optional(),
  actor: z.string().describe('Who caused the write: `cli`, a user name, a task'),
  changes: z.string().describe('For people, as the CLI prints it'),
})

export function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/audit',
    access: 'read',
    tag: 'audit',
    summary: 'Search the audit: writes to targets, newest first; `before` pages on (records older than that id).',
    query: z.object({
      mapping: z.string().min(1).optional(),
      system: z.string().min(1).optional(),
      table: z.string().min(1).optional(),
      key: z.string().min(1).optional().describe("The target row's key"),
      run: z.coerce.number().int().positive().optional(),
      plan: z.coerce.number().int().positive().optional(),
      from: time.optional().describe('Records at or after this time'),
      to: time.optional().describe('Records before this time'),
      failed: z
        .enum(['true', 'false'])
        .transform((v) => v === 'true')
        .optional()
        .describe('Only failed writes'),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      before: z.coerce.number().int().positive().optional(),
    }),
    response: z.object({ records: z.array(auditRecordSchema) }),
    handler: async ({ query }) => {
      const records = await searchAudit(ctx.db, {
        mapping: query.mapping,
        system: query.system,
        table: query.table,
        key: query.key,
        runId: query.run,
        planId: query.plan,
        since: query.from,
        until: query.to,
        outcome: query.failed === true ? 'failed' : undefined,
        limit: query.limit,
        beforeId: query.before,
      })
      return {
        records: records.map((r) => ({
          ...r,
          changes: describeChanges({
            attributes: r.after ?? {},
            before: r.before,
            secrets: [],
            semantics: r.semantics,
          }),
        })),
      }
    },
  })
}
