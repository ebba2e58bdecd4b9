/**
 * Configuration routes (docs/api.md "Configuration"): the project's documents and every issue
 * `provisio validate` reports, read-only in this slice. The project is checked anew per request
 * (engine's checkProject, like the CLI), so an edit of the YAML files is seen at once, and an
 * invalid project is listed, not refused.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { findDocument, hasErrors, issuesByDocument } from '../../config/index.ts'
import { checkProject } from '../../engine/index.ts'
import type { ServerContext } from '../context.ts'
import { defineRoute } from '../route.ts'
import { issueSchema } from './config-schemas.ts'

const documentSummary = z.object({
  kind: z.string(),
  name: z.string(),
  file: z.string().describe('Project-relative, with / separators'),
  index: z.number().int().describe('Position among the documents of its file, from 0'),
  valid: z.boolean().describe('No error-level issue (warnings allowed)'),
  errors: z.number().int(),
  warnings: z.number().int(),
})

function counts(issues: readonly { severity?: 'error' | 'warning' | undefined }[]) {
  const errors = issues.filter((i) => i.severity !== 'warning').length
  return { valid: errors === 0, errors, warnings: issues.length - errors }
}

export function registerConfigRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/documents',
    access: 'read',
    summary: 'Every document of the project, with whether it is valid',
    tag: 'configuration',
    response: z.object({ documents: z.array(documentSummary) }),
    handler: async () => {
      const { project, issues } = await checkProject(ctx.projectDir)
      const owned = issuesByDocument(project.documents, issues)
      return {
        documents: project.documents.map((d) => ({
          kind: d.kind,
          name: d.name,
          file: d.file,
          index: d.index,
          ...counts(owned.get(d) ?? []),
        })),
      }
    },
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/documents/:kind/:name',
    access: 'read',
    summary: 'One document: its YAML source, its parsed value and its issues',
    tag: 'configuration',
    params: z.object({ kind: z.string().min(1), name: z.string().min(1) }),
    response: documentSummary.extend({
      source: z.string().describe('The YAML text as written, comments included'),
      value: z.record(z.string(), z.unknown()).describe('The parsed YAML, before validation'),
      issues: z.array(issueSchema),
    }),
    handler: async ({ params }) => {
      const { project, issues } = await checkProject(ctx.projectDir)
      const document = findDocument(project.documents, params.kind, params.name)
      const own = issuesByDocument(project.documents, issues).get(document) ?? []
      return {
        kind: document.kind,
        name: document.name,
        file: document.file,
        index: document.index,
        ...counts(own),
        source: document.source,
        value: { ...document.value },
        issues: own,
      }
    },
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/validate',
    access: 'read',
    summary: 'Every issue of the project, as `provisio validate` reports them',
    tag: 'configuration',
    response: z.object({
      valid: z.boolean(),
      documents: z.number().int(),
      errors: z.number().int(),
      warnings: z.number().int(),
      issues: z.array(issueSchema),
    }),
    handler: async () => {
      const { project, issues } = await checkProject(ctx.projectDir)
      const { errors, warnings } = counts(issues)
      return { valid: !hasErrors(issues), documents: project.documents.length, errors, warnings, issues }
    },
  })
}
