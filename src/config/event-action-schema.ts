/**
 * The `EventAction` document (docs/events.md): when an event of a type happens (optionally only for
 * one source, one outcome, and when an expression over its fields holds), send a mail made from a
 * Template, or call a webhook. Exactly one of `email` and `webhook`; the event type, the source and
 * the references are checked by event-action-checks.ts.
 *
 * @example
 * kind: EventAction
 * name: mail_sync_report
 * event: task.finished
 * source: nightly_sync
 * on: failure
 * email: { server: corp_mail, template: sync_report, to: [iam-team@example.org] }
 */
import { z } from 'zod'
import { durationSchema } from '../core/index.ts'

const addresses = z.array(z.string().min(1))

/** `email:`: a mail made from a Template, sent through a MailServer. */
export const emailActionSchema = z.strictObject({
  /** The MailServer document's name. */
  server: z.string().min(1),
  /** The Template document's name. */
  template: z.string().min(1),
  to: addresses.optional(),
  cc: addresses.optional(),
  bcc: addresses.optional(),
  /** @default the MailServer's `from` */
  from: z.string().min(1).optional(),
})

/** `webhook:`: the event POSTed as JSON, signed when a secret is set. */
export const webhookActionSchema = z.strictObject({
  /** An https:// URL (http:// only to this machine). */
  url: z.string().min(1),
  /** A `${env:NAME}` reference: the HMAC-SHA256 key of the signature header. @default no signature */
  secret: z.string().min(1).optional(),
  /** Extra request headers; values may be `${env:NAME}` references. */
  headers: z.record(z.string(), z.string()).optional(),
  /** How long one attempt may take. @default 10s */
  timeout: durationSchema.optional(),
  /** Attempts after the first, with exponential backoff. @default 3 */
  retries: z.number().int().min(0).max(10).optional(),
})

/** A whole `kind: EventAction` document. Objects are strict: unknown keys are errors. */
export const eventActionSchema = z.strictObject({
  kind: z.literal('EventAction'),
  name: z.string(),
  description: z.string().optional(),
  /** A disabled action is validated but never carried out. @default true */
  enabled: z.boolean().optional(),
  /** The event type (docs/events.md lists them). */
  event: z.string().min(1),
  /** Only events about this system, job, mapping or task. */
  source: z.string().min(1).optional(),
  /** Only events that went well (`success`), only those that did not (`failure`), or all. @default always */
  on: z.enum(['success', 'failure', 'always']).optional(),
  /** Only events for which this boolean expression over their fields is true. */
  filter: z.string().min(1).optional(),
  email: emailActionSchema.optional(),
  webhook: webhookActionSchema.optional(),
})

/** An EventAction document as written, after the schema has checked its shape. */
export type EventActionDocument = z.output<typeof eventActionSchema>
