/**
 * Event routes (docs/api.md "Events and templates"): the event types with the fields a `filter:`
 * reads, the project's EventActions and Templates, and a preview of a Template rendered for a sample
 * event — the saved Template, or the unsaved text of the editor, checked first like POST
 * /api/documents/check. An EventAction is answered without anything secret: a webhook's URL without
 * user info and query, its header names without values, never its signing secret.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { EVENT_TYPES, type EventType, type ProvisioEvent } from '../../core/index.ts'
import { type EventActionConfig, type TemplateConfig, type ValidatedProject, findDocument } from '../../config/index.ts'
import { describeUrl } from '../../events/index.ts'
import type { ServerContext } from '../context.ts'
import { serverError } from '../errors.ts'
import { projectChecker } from '../project-loader.ts'
import { defineRoute } from '../route.ts'
import { type DocumentEdit, checkEdit, declaredIdentity } from './config-edit.ts'
import { editIssueSchema } from './config-schemas.ts'
import { sampleEvent } from './event-samples.ts'
import { eventTypeHelp } from './event-type-help.ts'
import { filePlacement, previewTemplate, sourcePlacement } from './template-preview.ts'

const fieldSchema = z.object({
  name: z.string(),
  type: z.string().describe('The expression type a filter sees it as'),
  description: z.string(),
})

const eventTypeSchema = z.object({
  type: z.enum(EVENT_TYPES),
  description: z.string(),
  fields: z.array(fieldSchema).describe('What an EventAction’s `filter:` reads (absent ones are null)'),
  fieldPatterns: z.array(fieldSchema).describe('Fields read by a prefix, whose names depend on the mapping'),
})

const deliverySchema = z.union([
  z.object({
    email: z.object({
      mailServer: z.string(),
      template: z.string(),
      to: z.array(z.string()),
      cc: z.array(z.string()),
    }),
  }),
  z.object({
    webhook: z.object({
      url: z.string().describe('Without user info and query: either may carry a token'),
      template: z.string().optional(),
      headers: z.array(z.string()).describe('The names of the extra headers; their values are never answered'),
      signed: z.boolean().describe('Whether requests are signed (the action has a secret)'),
    }),
  }),
])

const eventActionSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  file: z.string(),
  enabled: z.boolean(),
  event: z.enum(EVENT_TYPES),
  source: z.string().optional().describe('Only events about this system, job, mapping or task'),
  on: z.enum(['success', 'failure', 'always']),
  filter: z.string().optional().describe('The expression over the event’s fields'),
  delivery: deliverySchema,
})

const templateSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  file: z.string(),
  parts: z.object({ subject: z.boolean(), text: z.boolean(), html: z.boolean() }),
  filters: z.array(z.string()).describe('Filters it embeds with `{% filter_table %}`'),
  usedBy: z.array(z.string()).describe('The EventActions that mail it'),
})

const previewBody = z
  .strictObject({
    type: z
      .enum(EVENT_TYPES)
      .optional()
      .describe('Default: the event of the first EventAction mailing the template, else task.finished'),
    event: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Fields of the sample event; they replace those of the built-in sample of the type'),
    source: z
      .string()
      .optional()
      .describe('The YAML text of a Template document as typed (unsaved): checked, then rendered'),
  })
  .optional()

const previewSchema = z.object({
  type: z.enum(EVENT_TYPES),
  event: z.record(z.string(), z.unknown()).describe('The event rendered for'),
  valid: z.boolean().describe('The text checks and every part rendered'),
  subject: z.string().nullable().describe('null when it could not be rendered'),
  text: z.string().nullable().describe('null when the template has no text part or it could not be rendered'),
  html: z.string().nullable(),
  issues: z
    .array(editIssueSchema)
    .describe('Check and render problems, in the sent text (`inSource`) or in the Template’s file'),
})

function describeAction(action: EventActionConfig): z.input<typeof eventActionSchema> {
  const target = action.action
  return {
    name: action.name,
    ...(action.description === undefined ? {} : { description: action.description }),
    file: action.file,
    enabled: action.enabled,
    event: action.event,
    ...(action.source === undefined ? {} : { source: action.source }),
    on: action.on,
    ...(action.filter === undefined ? {} : { filter: action.filter.text }),
    delivery:
      target.type === 'email'
        ? { email: { mailServer: target.server, template: target.template, to: [...target.to], cc: [...target.cc] } }
        : {
            webhook: {
              url: describeUrl(target.url),
              headers: Object.keys(target.headers),
              signed: target.secret !== undefined,
            },
          },
  }
}

/** The EventActions that mail `template`, in project order. */
function actionsMailing(project: ValidatedProject, template: string): EventActionConfig[] {
  const wanted = template.toLowerCase()
  return project.eventActions.filter((a) => a.action.type === 'email' && a.action.template.toLowerCase() === wanted)
}

function findTemplate(project: ValidatedProject, name: string): TemplateConfig | undefined {
  return project.templates.find((t) => t.name.toLowerCase() === name.toLowerCase())
}

/** The event to render for: the body's fields over the built-in sample of the type. */
function eventFor(
  project: ValidatedProject,
  template: string,
  body: z.output<typeof previewBody>,
  now: Date,
): ProvisioEvent {
  const given = body?.event ?? {}
  const action = actionsMailing(project, template)[0]
  const givenType = EVENT_TYPES.find((t) => t === given['type'])
  const type: EventType = body?.type ?? givenType ?? action?.event ?? 'task.finished'
  const sample = sampleEvent(type, project, now, action?.source)
  return { ...sample, ...given, type } as ProvisioEvent
}

export function registerEventRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const current = projectChecker(ctx.projectDir)

  defineRoute(app, {
    method: 'GET',
    url: '/api/events/types',
    access: 'read',
    tag: 'events',
    summary: 'Every event type with the fields an EventAction’s filter reads',
    response: z.object({ types: z.array(eventTypeSchema) }),
    handler: () => Promise.resolve({ types: eventTypeHelp() }),
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/event-actions',
    access: 'read',
    tag: 'events',
    summary: 'The EventActions of the project: when each applies and where it delivers (never a secret)',
    response: z.object({ eventActions: z.array(eventActionSchema) }),
    handler: async () => ({ eventActions: (await ctx.project()).eventActions.map(describeAction) }),
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/templates',
    access: 'read',
    tag: 'events',
    summary: 'The Templates of the project: their parts, the filters they embed and the actions that mail them',
    response: z.object({ templates: z.array(templateSchema) }),
    handler: async () => {
      const project = await ctx.project()
      return {
        templates: project.templates.map((t) => ({
          name: t.name,
          ...(t.description === undefined ? {} : { description: t.description }),
          file: t.file,
          parts: { subject: t.subject.text.trim() !== '', text: t.text !== undefined, html: t.html !== undefined },
          filters: [...t.filters],
          usedBy: actionsMailing(project, t.name).map((a) => a.name),
        })),
      }
    },
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/templates/:name/preview',
    access: 'read',
    tag: 'events',
    // Rendering reads the vault (filter_table, plan_report) and sends and writes nothing.
    readOnly: true,
    summary: 'A Template (saved, or as typed) rendered for a sample event, with its problems as positioned issues',
    params: z.object({ name: z.string().min(1).describe('Template name (any case)') }),
    body: previewBody,
    response: previewSchema,
    handler: async ({ params, body }) => {
      const now = ctx.clock.now()
      if (body?.source === undefined) {
        const project = await ctx.project()
        const template = findTemplate(project, params.name)
        if (template === undefined) {
          // Throws CFG_UNKNOWN_DOCUMENT, with a did-you-mean.
          findDocument(project.documents, 'Template', params.name)
          throw serverError('SRV_INVALID_REQUEST', `'${params.name}' is not a valid Template of the project.`)
        }
        const event = eventFor(project, template.name, body, now)
        const place = await filePlacement(template, ctx.projectDir)
        const preview = await previewTemplate(ctx.db, project, template, event, now, place)
        return { type: event.type, event: { ...event }, valid: preview.issues.length === 0, ...preview }
      }

      const source = body.source
      const before = await current()
      const declared = declaredIdentity(source)
      if (declared !== undefined && declared.kind !== 'Template') {
        throw serverError(
          'SRV_INVALID_REQUEST',
          `The text is a ${declared.kind} document; a preview renders a Template.`,
          {
            details: { where: 'body', issues: [{ path: 'source', message: 'expected kind: Template' }] },
          },
        )
      }
      // The text replaces the Template being edited (or one of the name it declares), else is added.
      const replaced = findTemplate(before.project, params.name) ?? findTemplate(before.project, declared?.name ?? '')
      const edit: DocumentEdit =
        replaced === undefined
          ? { action: 'create', source }
          : { action: 'change', kind: 'Template', name: replaced.name, source }
      const checked = await checkEdit(ctx.projectDir, before, edit)
      const project = checked.after.project
      const template = declared === undefined ? undefined : findTemplate(project, declared.name)
      const event = eventFor(project, declared?.name ?? params.name, body, now)
      const answer = { type: event.type, event: { ...event } }
      if (!checked.valid || template === undefined) {
        return { ...answer, valid: false, subject: null, text: null, html: null, issues: [...checked.issues] }
      }
      const preview = await previewTemplate(ctx.db, project, template, event, now, sourcePlacement(source))
      return {
        ...answer,
        valid: preview.issues.length === 0,
        ...preview,
        issues: [...checked.issues, ...preview.issues],
      }
    },
  })
}
