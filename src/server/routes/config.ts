/**
 * Configuration routes (docs/api.md "Configuration"): the project's documents and every issue
 * `provisio validate` reports. The reads check the project anew per request (engine's
 * checkProject, like the CLI), so an edit of the YAML files is seen at once, and an invalid project
 * is listed, not refused. Each read answers the configuration revision, which an edit sends back
 * (config-write-routes.ts) to be refused when someone changed the project in between.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { findDocument, hasErrors, issuesByDocument, projectRevision } from '../../config/index.ts'
import { checkProject } from '../../engine/index.ts'
import type { ServerContext } from '../context.ts'
import { defineRoute } from '../route.ts'
import { documentDetail, documentSummary, issueCounts } from './config-answers.ts'
import { documentDetailSchema, documentSummarySchema, issueSchema } from './config-schemas.ts'
import { registerDocumentEditRoutes } from './config-write-routes.ts'

const revision = z.string().describe('The configuration revision: sha256 of the documents (send it back with an edit)')

export function registerConfigRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/documents',
    access: 'read',
    summary: 'Every document of the project, with whether it is valid',
    tag: 'configuration',
    response: z.object({ revision, documents: z.array(documentSummarySchema) }),
    handler: async () => {
      const { project, issues } = await checkProject(ctx.projectDir)
      const owned = issuesByDocument(project.documents, issues)
      return {
        revision: projectRevision(project).hash,
        documents: project.documents.map((d) => documentSummary(d, owned.get(d) ?? [])),
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
    response: documentDetailSchema.extend({ revision }),
    handler: async ({ params }) => {
      const { project, issues } = await checkProject(ctx.projectDir)
      const document = findDocument(project.documents, params.kind, params.name)
      const own = issuesByDocument(project.documents, issues).get(document) ?? []
      return { ...documentDetail(document, own), revision: projectRevision(project).hash }
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
      const { errors, warnings } = issueCounts(issues)
      return { valid: !hasErrors(issues), documents: project.documents.length, errors, warnings, issues }
    },
  })

  registerDocumentEditRoutes(app, ctx)
}
