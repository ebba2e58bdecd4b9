/**
 * Checks of an EventAction document: the event type is known, the source names a document of the
 * kind the event is about, the filter is a boolean expression over the event's fields, and exactly
 * one action is given: an email whose server and template exist and whose addresses are addresses,
 * or a webhook with an https URL (http only to this machine) and a referenced secret.
 */
import { closestMatch, EVENT_TYPES, type EventType } from '../core/index.ts'
import { resolveDocument } from './document-references.ts'
import { ATTRIBUTES_ALIAS, eventFilterScope, hasAttributes } from './event-action-filter.ts'
import type { EventActionConfig, EventActionTarget } from './event-action-model.ts'
import type { EventActionDocument } from './event-action-schema.ts'
import { checkDocumentExpression } from './filter-expressions.ts'
import { type Findings, resolveSystem } from './filter-references.ts'
import { expressionNames, parseDocumentExpression } from './generator-expressions.ts'
import { issueAt } from './issues.ts'
import { isLoopbackHost, isMailAddress } from './mail-address.ts'
import { plainSecretIssues } from './secrets.ts'

/** Ten seconds: a webhook receiver answers at once and works afterwards. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000
export const DEFAULT_WEBHOOK_RETRIES = 3

/** The kind of document each event type is about: what `source:` names. */
const SOURCE_KIND: Readonly<Record<EventType, 'System' | 'Job' | 'Mapping' | 'Task'>> = {
  'collection.finished': 'System',
  'collection.rejected': 'System',
  'job.evaluated': 'Job',
  'job.stopped': 'Job',
  'mapping.executed': 'Mapping',
  'operation.failed': 'Mapping',
  'run.awaiting-approval': 'Task',
  'task.finished': 'Task',
}

/** The event types whose `success` is always the same (docs/events.md): an `on:` of the other outcome never fires. */
const FIXED_SUCCESS: Readonly<Partial<Record<EventType, boolean>>> = {
  'collection.finished': true,
  'collection.rejected': false,
  'job.stopped': false,
  'operation.failed': false,
  'run.awaiting-approval': true,
}

/** Checks a schema-valid EventAction document; returns the resolved action when it has no errors. */
export function checkEventAction(findings: Findings, action: EventActionDocument): EventActionConfig | undefined {
  const event = checkEventType(findings, action.event)
  const source =
    event === undefined || action.source === undefined ? undefined : checkSource(findings, event, action.source)
  if (event !== undefined && action.on !== undefined) checkOutcome(findings, event, action.on)
  if (event !== undefined && action.filter !== undefined) checkFilter(findings, event, action.filter, source)
  const target = checkTarget(findings, action)
  if (!findings.isResolvable || event === undefined || target === undefined) return undefined
  return {
    name: action.name,
    ...(action.description === undefined ? {} : { description: action.description }),
    file: findings.document.file,
    document: findings.document,
    enabled: action.enabled ?? true,
    event,
    ...(source === undefined ? {} : { source: source.name }),
    on: action.on ?? 'always',
    ...(action.filter === undefined ? {} : { filter: { text: action.filter, path: ['filter'] } }),
    action: target,
  }
}

function checkEventType(findings: Findings, event: string): EventType | undefined {
  if ((EVENT_TYPES as readonly string[]).includes(event)) return event as EventType
  const match = closestMatch(event, EVENT_TYPES)
  findings.add(
    issueAt(findings.document, 'CFG_INVALID_VALUE', `'${event}' is not an event type.`, ['event'], {
      value: event,
      hint: match !== undefined ? `Did you mean '${match}'?` : `Use one of: ${EVENT_TYPES.join(', ')}.`,
    }),
  )
  return undefined
}

function checkOutcome(findings: Findings, event: EventType, on: 'success' | 'failure' | 'always'): void {
  const fixed = FIXED_SUCCESS[event]
  if (fixed === undefined || on === 'always' || (on === 'success') === fixed) return
  findings.add(
    issueAt(
      findings.document,
      'CFG_INVALID_VALUE',
      `\`on: ${on}\` never matches: every ${event} event is a ${fixed ? 'success' : 'failure'}.`,
      ['on'],
      { value: on, hint: `Remove \`on\` (or write \`on: ${fixed ? 'success' : 'failure'}\`).` },
    ),
  )
}

/** The document `source` names, of the kind the event is about; with the mapping's attribute names when it is one. */
function checkSource(
  findings: Findings,
  event: EventType,
  source: string,
): { readonly name: string; readonly attributes?: readonly string[] } | undefined {
  const { context } = findings
  switch (SOURCE_KIND[event]) {
    case 'System':
      return resolveSystem(findings, source, ['source'], source)
    case 'Job':
      return resolveDocument(findings, { kind: 'Job', noun: 'job', valid: context.jobs }, source, ['source'])
    case 'Task':
      return resolveDocument(findings, { kind: 'Task', noun: 'task', valid: context.tasks ?? [] }, source, ['source'])
    case 'Mapping': {
      const mapping = resolveDocument(findings, { kind: 'Mapping', noun: 'mapping', valid: context.mappings }, source, [
        'source',
      ])
      return mapping === undefined
        ? undefined
        : { name: mapping.name, attributes: mapping.attributes.map((a) => a.name) }
    }
  }
}

function checkFilter(
  findings: Findings,
  event: EventType,
  filter: string,
  source: { readonly attributes?: readonly string[] } | undefined,
): void {
  const expr = parseDocumentExpression(findings, ['filter'], filter)
  if (expr === undefined) return
  // Without a mapping as the source the attributes are unknown: any name it reads is accepted as text.
  const attributes =
    source?.attributes ??
    (hasAttributes(event)
      ? expressionNames(expr)
          .filter((n) => n.kind === 'Column' && n.alias === ATTRIBUTES_ALIAS)
          .map((n) => n.name)
      : [])
  const scope = eventFilterScope(event, attributes)
  findings.add(
    ...checkDocumentExpression(findings.document, ['filter'], filter, scope, { expectedType: 'boolean' }).issues,
  )
}

function checkTarget(findings: Findings, action: EventActionDocument): EventActionTarget | undefined {
  const { document } = findings
  if (action.email !== undefined && action.webhook !== undefined) {
    findings.add(
      issueAt(
        document,
        'CFG_CONFLICTING_KEYS',
        'An event action does one thing: `email` or `webhook`, not both.',
        ['webhook'],
        {
          at: 'key',
          hint: 'Keep one of them; write a second EventAction for the other.',
        },
      ),
    )
    return undefined
  }
  if (action.email !== undefined) return checkEmail(findings, action.email)
  if (action.webhook !== undefined) return checkWebhook(findings, action.webhook)
  findings.add(
    issueAt(document, 'CFG_MISSING_KEY', 'An event action needs an action: `email` or `webhook`.', ['email'], {
      anchor: ['event'],
      hint: 'Add `email: { server: <MailServer>, template: <Template>, to: [<address>] }` or `webhook: { url: https://… }`.',
    }),
  )
  return undefined
}

function checkEmail(
  findings: Findings,
  email: NonNullable<EventActionDocument['email']>,
): EventActionTarget | undefined {
  const { context, document } = findings
  const server = resolveDocument(
    findings,
    { kind: 'MailServer', noun: 'mail server', valid: context.mailServers ?? [] },
    email.server,
    ['email', 'server'],
  )
  const template = resolveDocument(
    findings,
    { kind: 'Template', noun: 'template', valid: context.templates ?? [] },
    email.template,
    ['email', 'template'],
  )
  for (const key of ['to', 'cc', 'bcc'] as const) {
    ;(email[key] ?? []).forEach((address, i) => checkAddress(findings, address, ['email', key, i]))
  }
  if (email.from !== undefined) checkAddress(findings, email.from, ['email', 'from'])
  const to = email.to ?? []
  const cc = email.cc ?? []
  const bcc = email.bcc ?? []
  if (to.length + cc.length + bcc.length === 0) {
    findings.add(
      issueAt(
        document,
        'CFG_MISSING_KEY',
        'A mail needs at least one recipient in `to`, `cc` or `bcc`.',
        ['email', 'to'],
        {
          anchor: ['email'],
          at: 'key',
          hint: 'Add `to: [iam-team@example.org]`.',
        },
      ),
    )
  }
  if (server === undefined || template === undefined) return undefined
  return {
    type: 'email',
    server: server.name,
    template: template.name,
    to,
    cc,
    bcc,
    ...(email.from === undefined ? {} : { from: email.from }),
  }
}

function checkAddress(findings: Findings, address: string, path: (string | number)[]): void {
  if (isMailAddress(address)) return
  findings.add(
    issueAt(findings.document, 'CFG_INVALID_VALUE', `'${address}' is not a mail address.`, path, {
      value: address,
      hint: 'Write one address such as iam-team@example.org or IAM team <iam-team@example.org>; list several as separate items.',
    }),
  )
}

function checkWebhook(
  findings: Findings,
  webhook: NonNullable<EventActionDocument['webhook']>,
): EventActionTarget | undefined {
  const { document } = findings
  findings.add(...plainSecretIssues(document, { secret: webhook.secret, headers: webhook.headers }, ['webhook']))
  const url = URL.canParse(webhook.url) ? new URL(webhook.url) : undefined
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    findings.add(
      issueAt(document, 'CFG_INVALID_VALUE', `'${webhook.url}' is not an http(s) URL.`, ['webhook', 'url'], {
        value: webhook.url,
        hint: 'Write the full address of the receiver, such as https://hooks.example.org/provisio.',
      }),
    )
  } else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    findings.add(
      issueAt(
        document,
        'CFG_INSECURE_TRANSPORT',
        `The webhook URL '${webhook.url}' is plain http to another machine: events and their signature would cross the network in the clear.`,
        ['webhook', 'url'],
        {
          value: webhook.url,
          hint: 'Use an https:// URL; http:// is allowed only for 127.0.0.1, ::1 or localhost.',
        },
      ),
    )
  }
  return {
    type: 'webhook',
    url: webhook.url,
    ...(webhook.secret === undefined ? {} : { secret: webhook.secret }),
    headers: webhook.headers ?? {},
    timeout: webhook.timeout ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
    retries: webhook.retries ?? DEFAULT_WEBHOOK_RETRIES,
  }
}
