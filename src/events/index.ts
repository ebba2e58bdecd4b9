/**
 * events: carrying out the project's EventActions (docs/events.md). The jobs layer emits typed
 * events into an EventSink; the EventDispatcher matches them against the enabled EventActions and
 * delivers in the background: a mail made from a Liquid Template (SMTP or a pickup directory), or
 * a signed webhook with retries.
 *
 * @example
 * const events = new EventDispatcher({ db, project, onDelivery: (d) => runLog.write(d) })
 * await runTask(db, project, 'nightly', { events })
 * const { sent, failed } = await events.drain()
 */
export { eventError, type EventErrorCode } from './errors.ts'
export {
  EventDispatcher,
  DELIVERY_CONCURRENCY,
  DELIVERY_QUEUE_LIMIT,
  type Delivery,
  type DispatchSummary,
  type EventDispatcherOptions,
} from './dispatcher.ts'
export {
  renderMessage,
  templatePartRenderer,
  templateVariables,
  TEMPLATE_PARTS,
  type RenderedMessage,
  type RenderContext,
  type RenderLimits,
  type TemplateRendering,
  type TemplatePart,
  type PartRender,
} from './render-message.ts'
export { renderPlanReport, eventPlanIds, REPORT_FAILED_OPERATIONS } from './plan-report.ts'
export { renderFilterTable } from './filter-table.ts'
export { sendMail, type MailMessage, type MailResult, type SendMailOptions } from './send-mail.ts'
export { callWebhook, describeUrl, type WebhookOptions, type WebhookResult, type Sleep } from './call-webhook.ts'
export { signWebhook, verifyWebhookSignature } from './webhook-signature.ts'
export { backoffDelay, parseRetryAfter, BACKOFF_BASE_MS, BACKOFF_CAP_MS } from './backoff.ts'
