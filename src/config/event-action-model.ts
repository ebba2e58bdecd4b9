/**
 * The resolved shapes of the notification kinds (docs/events.md): `EventAction` (when an event of a
 * type happens, optionally only for one source and outcome and only when an expression over its
 * fields holds, send a mail made from a Template or call a webhook), `Template` (Liquid subject and
 * bodies) and `MailServer` (where mail goes: SMTP, or a pickup directory of .eml files).
 * Resolved by event-action-checks.ts, template-checks.ts and mail-server-checks.ts.
 */
import type { EventType } from '../core/index.ts'
import type { ExpressionText } from './engine-model.ts'
import type { LoadedDocument } from './loaded-document.ts'
import type { DocumentPath } from './yaml-positions.ts'

interface DocumentBase {
  readonly name: string
  readonly description?: string | undefined
  readonly file: string
  readonly document: LoadedDocument
}

/** Send a mail made from a Template through a MailServer. */
export interface EmailAction {
  readonly type: 'email'
  /** The MailServer document's name. */
  readonly server: string
  /** The Template document's name. */
  readonly template: string
  readonly to: readonly string[]
  readonly cc: readonly string[]
  readonly bcc: readonly string[]
  /** @default the MailServer's `from` */
  readonly from?: string | undefined
}

/** POST the event as JSON to a URL, signed with HMAC-SHA256 when a secret is set. */
export interface WebhookAction {
  readonly type: 'webhook'
  readonly url: string
  /** A `${env:NAME}` reference, resolved when the webhook is called; absent sends no signature. */
  readonly secret?: string | undefined
  /** Extra request headers (values may be `${env:NAME}` references). */
  readonly headers: Readonly<Record<string, string>>
  /** Milliseconds before one attempt is given up. */
  readonly timeout: number
  /** Attempts after the first, with exponential backoff, on network errors, 408, 429 and 5xx. */
  readonly retries: number
}

export type EventActionTarget = EmailAction | WebhookAction

export interface EventActionConfig extends DocumentBase {
  /** A disabled action is validated but never carried out. */
  readonly enabled: boolean
  readonly event: EventType
  /** Only events about this system, job, mapping or task (the event's `name`). */
  readonly source?: string | undefined
  /** Only events that went well, or only those that did not. */
  readonly on: 'success' | 'failure' | 'always'
  /** Only events for which this expression over the event's fields is true. */
  readonly filter?: ExpressionText | undefined
  readonly action: EventActionTarget
}

/** One Liquid text of a Template, with where it is written. */
export interface TemplateText {
  readonly text: string
  readonly path: DocumentPath
}

export interface TemplateConfig extends DocumentBase {
  readonly subject: TemplateText
  /** The plain-text part; at least one of `text` and `html` is present. */
  readonly text?: TemplateText | undefined
  readonly html?: TemplateText | undefined
  /** Filters the template embeds with `{% filter_table %}`, found when it was checked. */
  readonly filters: readonly string[]
}

export interface MailServerConfig extends DocumentBase {
  /** `smtp`: send through host:port. `pickup`: write each message as an .eml file into `directory`. */
  readonly transport: 'smtp' | 'pickup'
  readonly host?: string | undefined
  readonly port?: number | undefined
  /** `tls`: TLS from the start (465). `starttls`: upgrade required (587). `none`: plain (only on loopback). */
  readonly security: 'tls' | 'starttls' | 'none'
  readonly user?: string | undefined
  /** A `${env:NAME}` reference, resolved when a mail is sent. */
  readonly password?: string | undefined
  /** A PEM file (relative to the project folder) to trust for the server's certificate. */
  readonly ca?: string | undefined
  /** pickup: the folder, relative to the project folder. */
  readonly directory?: string | undefined
  readonly from: string
  /** Milliseconds before connecting or sending is given up. */
  readonly timeout: number
}
