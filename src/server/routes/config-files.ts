/**
 * Configuration files routes (docs/api.md "Configuration files"): the project's YAML files whole,
 * for what the document routes cannot reach: a file whose YAML does not parse, a document without a
 * valid kind or name. Listed with the loader's problems, read with the file's revision (sha256 of
 * its bytes), checked as typed, and replaced whole by an admin when the edit brings no new error
 * (config-files-edit.ts), audited and stored as a new configuration revision.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { ServerContext } from '../context.ts'
import { projectChecker } from '../project-loader.ts'
import { defineRoute } from '../route.ts'
import { checkFileText, listProjectFiles, readProjectFile, writeProjectFile } from './config-files-edit.ts'
import { issueSchema } from './config-schemas.ts'

const filePath = z
  .string()
  .min(1)
  .max(1000)
  .describe('Project-relative path with `/` separators, ending in .yaml or .yml, as GET /api/files lists it')
const fileRevision = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .describe('The file revision: sha256 of the file’s bytes, hex, as GET /api/files/content answers it')
const text = z.string().max(1_000_000).describe('The whole text of the file')
const fileDocument = z.object({ kind: z.string(), name: z.string(), index: z.number().int() })
const fileEditIssue = issueSchema.extend({
  inFile: z.boolean().describe('In the edited file (line and column are the file’s); otherwise `file` names another'),
  new: z.boolean().describe('Brought by the edit: a new error refuses the write; the others were there before'),
  kind: z.string().optional().describe('The document the issue is in, when it has a valid kind and name'),
  name: z.string().optional(),
})
const checkAnswer = {
  valid: z.boolean().describe('No error in the file, and none the edit causes in other files'),
  writable: z.boolean().describe('No new error: a PUT of this text would be accepted'),
  issues: z.array(fileEditIssue).describe('Every issue of the file after the edit, then the new ones of other files'),
  documents: z.array(fileDocument).describe('The documents of the file with a valid kind and name, after the edit'),
}

export function registerConfigFileRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const current = projectChecker(ctx.projectDir)

  defineRoute(app, {
    method: 'GET',
    url: '/api/files',
    access: 'read',
    summary: 'Every YAML file of the project, with its revision and the problems that keep its documents unreadable',
    tag: 'configuration',
    response: z.object({
      files: z.array(
        z.object({
          path: filePath,
          size: z.number().int().describe('Bytes'),
          revision: fileRevision,
          documents: z.number().int().describe('YAML documents in the file (comment-only ones not counted)'),
          loaded: z.array(fileDocument).describe('Those with a valid kind and name, which the document routes address'),
          valid: z.boolean().describe('No error among `issues`'),
          errors: z.number().int(),
          warnings: z.number().int(),
          issues: z
            .array(issueSchema)
            .describe('The file’s encoding, syntax, duplicate-key and kind/name problems, positioned in the file'),
        }),
      ),
    }),
    handler: async () => {
      const files = await listProjectFiles(ctx.projectDir)
      return {
        files: files.map((f) => {
          const errors = f.issues.filter((i) => i.severity !== 'warning').length
          return {
            ...f,
            loaded: [...f.loaded],
            issues: [...f.issues],
            valid: errors === 0,
            errors,
            warnings: f.issues.length - errors,
          }
        }),
      }
    },
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/files/content',
    access: 'read',
    summary: 'One YAML file of the project: its whole text and its revision',
    tag: 'configuration',
    query: z.object({ path: filePath }),
    response: z.object({
      path: filePath,
      text: z.string().describe('The file’s text; a byte that is not UTF-8 shows as U+FFFD'),
      revision: fileRevision,
      size: z.number().int(),
      utf8: z.boolean().describe('The bytes are valid UTF-8 (false: saving the text repairs the encoding)'),
    }),
    handler: async ({ query }) => readProjectFile(ctx.projectDir, query.path),
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/files/check',
    access: 'read',
    readOnly: true,
    summary: 'Check a whole file’s new text as the project would be with it (nothing is written)',
    tag: 'configuration',
    body: z.object({ path: filePath, text }),
    response: z.object(checkAnswer),
    handler: async ({ body }) => checkFileText(ctx.projectDir, await current(), body.path, body.text),
  })

  defineRoute(app, {
    method: 'PUT',
    url: '/api/files/content',
    access: 'admin',
    summary: 'Replace a whole YAML file, when the edit brings no new configuration error',
    tag: 'configuration',
    query: z.object({ path: filePath }),
    body: z.object({ text, revision: fileRevision }),
    response: z.object({
      path: filePath,
      revision: fileRevision.describe('The file’s revision after the write'),
      size: z.number().int(),
      documents: checkAnswer.documents,
      issues: z.array(fileEditIssue).describe('The issues the file still has (errors it had before, warnings)'),
      configRevision: z.string().describe('The configuration revision after the write'),
      configRevisionId: z.number().int().describe('Its id among the stored configuration revisions'),
    }),
    audit: {
      action: 'file.change',
      subject: (_input, answer) => answer.path,
      details: ({ body }, answer) => ({
        previousRevision: body.revision,
        revision: answer.revision,
        configRevision: answer.configRevision,
      }),
    },
    handler: async ({ query, body }) => {
      const written = await writeProjectFile(ctx, query.path, body.text, body.revision)
      return { ...written, documents: [...written.documents], issues: [...written.issues] }
    },
  })
}
