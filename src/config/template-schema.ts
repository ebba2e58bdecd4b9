/**
 * The `Template` document (docs/events.md): the Liquid subject and bodies of the mails an
 * EventAction sends. The texts are parsed (not rendered) when the project is validated, by the same
 * engine that renders them (template-syntax.ts).
 *
 * @example
 * kind: Template
 * name: sync_report
 * subject: 'Sync {{ event.task }}: {{ event.status }}'
 * text: |
 *   The run {{ event.runId }} ended {{ event.status }}.
 *   {% plan_report %}
 */
import { z } from 'zod'

/** A whole `kind: Template` document. Objects are strict: unknown keys are errors. */
export const templateSchema = z.strictObject({
  kind: z.literal('Template'),
  name: z.string(),
  description: z.string().optional(),
  /** The mail's subject, one line of Liquid. */
  subject: z.string().min(1),
  /** The plain-text body. At least one of `text` and `html` is given. */
  text: z.string().min(1).optional(),
  /** The HTML body; outputs are HTML-escaped unless their last filter is `raw`. */
  html: z.string().min(1).optional(),
})

/** A Template document as written, after the schema has checked its shape. */
export type TemplateDocument = z.output<typeof templateSchema>
