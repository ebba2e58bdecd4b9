/**
 * The configuration routes that check and edit documents (docs/api.md "Configuration"): a check of
 * an edit as the user types (read-only), and create, change and delete, each written to the YAML
 * files only when the whole project stays free of errors (config-edit.ts), audited, and answered with
 * the new configuration revision.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { coreError } from '../../core/index.ts'
import type { ServerContext } from '../context.ts'
import { projectChecker } from '../project-loader.ts'
import { defineRoute } from '../route.ts'
import { documentDetail } from './config-answers.ts'
import { type AppliedEdit, applyEdit, checkEdit } from './config-edit.ts'
import { documentDetailSchema, editIssueSchema, revisionSchema } from './config-schemas.ts'

const source = z.string().describe('The YAML text of one document')
const documentParams = z.object({ kind: z.string().min(1), name: z.string().min(1) })

const written = {
  revision: z.string().describe('The configuration revision after the edit (send it with the next edit)'),
  revisionId: z.number().int().describe('Its id among the stored configuration revisions'),
}
const writtenDocument = z.object({ document: documentDetailSchema, ...written })

/** The answer of a create or change: the document as it is now. */
function documentAnswer(applied: AppliedEdit) {
  // applyEdit writes only an edit without errors, so the edited document has a valid kind and name.
  if (applied.document === undefined) throw coreError('BUG_UNEXPECTED', 'The written document was not found.')
  return {
    document: documentDetail(applied.document, applied.issues),
    revision: applied.revision,
    revisionId: applied.revisionId,
  }
}

export function registerDocumentEditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const current = projectChecker(ctx.projectDir)

  defineRoute(app, {
    method: 'POST',
    url: '/api/documents/check',
    access: 'read',
    readOnly: true,
    summary: 'Check a document as the project would be with it (nothing is written)',
    tag: 'configuration',
    body: z.object({
      source,
      kind: z.string().min(1).optional().describe('With name: the document the text replaces; absent: a new one'),
      name: z.string().min(1).optional(),
      file: z.string().min(1).optional().describe('For a new document: the file it would go to'),
    }),
    response: z.object({
      valid: z.boolean().describe('No error in the text, and none it causes in another document'),
      issues: z.array(editIssueSchema),
    }),
    handler: async ({ body }) => {
      const edit =
        body.kind !== undefined && body.name !== undefined
          ? { action: 'change' as const, kind: body.kind, name: body.name, source: body.source }
          : { action: 'create' as const, source: body.source, file: body.file }
      const checked = await checkEdit(ctx.projectDir, await current(), edit)
      return { valid: checked.valid, issues: [...checked.issues] }
    },
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/documents',
    access: 'admin',
    status: 201,
    summary: 'Create a document, in a new file or appended to an existing one',
    tag: 'configuration',
    body: z.object({
      source,
      file: z
        .string()
        .min(1)
        .optional()
        .describe('Project-relative .yaml file; default <kind folder>/<name>.yaml (filters/, mappings/, …)'),
      revision: revisionSchema.optional(),
    }),
    response: writtenDocument,
    audit: {
      action: 'document.create',
      subject: (_input, answer) => `${answer.document.kind}/${answer.document.name}`,
      details: (_input, answer) => ({ file: answer.document.file, revision: answer.revision }),
    },
    handler: async ({ body }) =>
      documentAnswer(await applyEdit(ctx, { action: 'create', source: body.source, file: body.file }, body.revision)),
  })

  defineRoute(app, {
    method: 'PUT',
    url: '/api/documents/:kind/:name',
    access: 'admin',
    summary: 'Change a document (a rename only when nothing refers to the old name)',
    tag: 'configuration',
    params: documentParams,
    body: z.object({ source, revision: revisionSchema.optional() }),
    response: writtenDocument,
    audit: {
      action: 'document.change',
      subject: (_input, answer) => `${answer.document.kind}/${answer.document.name}`,
      details: ({ params }, answer) => ({
        file: answer.document.file,
        revision: answer.revision,
        ...(params.name.toLowerCase() === answer.document.name.toLowerCase() &&
        params.kind.toLowerCase() === answer.document.kind.toLowerCase()
          ? {}
          : { renamedFrom: `${params.kind}/${params.name}` }),
      }),
    },
    handler: async ({ params, body }) =>
      documentAnswer(await applyEdit(ctx, { action: 'change', ...params, source: body.source }, body.revision)),
  })

  defineRoute(app, {
    method: 'DELETE',
    url: '/api/documents/:kind/:name',
    access: 'admin',
    summary: 'Delete a document (refused while other documents refer to it)',
    tag: 'configuration',
    params: documentParams,
    query: z.object({ revision: revisionSchema.optional() }),
    response: z.object({
      document: z.object({ kind: z.string(), name: z.string(), file: z.string() }),
      fileRemoved: z.boolean().describe('The file held only this document and was removed'),
      ...written,
    }),
    audit: {
      action: 'document.delete',
      subject: (_input, answer) => `${answer.document.kind}/${answer.document.name}`,
      details: (_input, answer) => ({
        file: answer.document.file,
        revision: answer.revision,
        fileRemoved: answer.fileRemoved,
      }),
    },
    handler: async ({ params, query }) => {
      const applied = await applyEdit(ctx, { action: 'delete', ...params }, query.revision)
      return {
        document: applied.target ?? { kind: params.kind, name: params.name, file: applied.file },
        fileRemoved: applied.fileRemoved,
        revision: applied.revision,
        revisionId: applied.revisionId,
      }
    },
  })
}
