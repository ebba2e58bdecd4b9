/**
 * A live preview of a Filter document as it is typed, before it is saved (docs/api.md "Links and
 * filters"): the text is checked as the documents check route checks it (config-edit's checkEdit:
 * the project with that document replacing the one of the same name, or added), and when the
 * project stays free of errors it is compiled and run on the vault with a LIMIT, with its row count.
 * Nothing is written: the draft project lives in a temporary mirror folder only while it is checked.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Row } from '../../core/index.ts'
import { compileFilter, countFilter, runFilter } from '../../filters/index.ts'
import type { ServerContext } from '../context.ts'
import { serverError } from '../errors.ts'
import { projectChecker } from '../project-loader.ts'
import { defineRoute } from '../route.ts'
import { type DocumentEdit, checkEdit, declaredIdentity } from './config-edit.ts'
import { editIssueSchema, rowSchema } from './config-schemas.ts'

/** The most rows a preview answers: enough to judge a filter, few enough to answer while typing. */
export const PREVIEW_MAX_ROWS = 200

const parameterValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])

export function registerFilterPreviewRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const current = projectChecker(ctx.projectDir)

  defineRoute(app, {
    method: 'POST',
    url: '/api/filters/preview',
    access: 'read',
    // A POST only for the document's text: it reads the vault and changes nothing.
    readOnly: true,
    summary: 'Check a Filter document as typed (unsaved) and run it on the vault: the first rows and the count',
    tag: 'filters',
    body: z.strictObject({
      source: z.string().describe('The YAML text of one Filter document'),
      parameters: z
        .record(z.string(), parameterValue)
        .optional()
        .describe('NAME → value (text is parsed by the parameter’s type); the defaults fill the rest'),
      limit: z.number().int().min(0).max(PREVIEW_MAX_ROWS).default(50),
    }),
    response: z.object({
      valid: z.boolean().describe('No error in the text, and none it causes in another document'),
      issues: z.array(editIssueSchema).describe('As POST /api/documents/check answers them'),
      rows: z.array(rowSchema).describe('The first `limit` rows (none when not valid)'),
      count: z.number().int().nullable().describe('Rows the filter gives in all; null when not valid'),
      columns: z.array(z.object({ name: z.string(), type: z.string() })),
      parameters: z
        .array(z.object({ name: z.string(), type: z.string(), default: z.unknown().optional() }))
        .describe('The parameters the text declares (for inputs beside the preview); none when not valid'),
    }),
    handler: async ({ body }) => {
      const before = await current()
      const declared = declaredIdentity(body.source)
      if (declared !== undefined && declared.kind !== 'Filter') {
        throw serverError('SRV_INVALID_REQUEST', `The text is a ${declared.kind} document; a preview runs a Filter.`, {
          details: { where: 'body', issues: [{ path: 'source', message: 'expected kind: Filter' }] },
        })
      }
      const replaced =
        declared === undefined
          ? undefined
          : before.project.documents.find(
              (d) => d.kind === declared.kind && d.name.toLowerCase() === declared.name.toLowerCase(),
            )
      const edit: DocumentEdit =
        replaced === undefined
          ? { action: 'create', source: body.source }
          : { action: 'change', kind: replaced.kind, name: replaced.name, source: body.source }
      const checked = await checkEdit(ctx.projectDir, before, edit)
      const issues = [...checked.issues]
      const invalid = { valid: false, issues, rows: [], count: null, columns: [], parameters: [] }
      if (!checked.valid || declared === undefined) return invalid
      const project = checked.after.project
      const filter = project.filters.find((f) => f.name.toLowerCase() === declared.name.toLowerCase())
      if (filter === undefined) return invalid
      const compiled = compileFilter(
        filter,
        { systems: project.systems, links: project.links },
        ctx.db.dialect.name,
        body.parameters ?? {},
      )
      const rows: Row[] = []
      // The LIMIT is a bound value of the statement (runFilter), like every parameter.
      if (body.limit > 0)
        for await (const page of runFilter(ctx.db, compiled, { limit: body.limit })) rows.push(...page)
      return {
        valid: true,
        issues,
        rows,
        count: await countFilter(ctx.db, compiled),
        columns: compiled.columns.map((c) => ({ name: c.name, type: c.type })),
        parameters: filter.parameters.map((p) => ({
          name: p.name,
          type: p.type,
          ...(p.default === undefined ? {} : { default: p.default }),
        })),
      }
    },
  })
}
