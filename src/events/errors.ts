/**
 * The events layer's error codes (docs/events.md): carrying out EventActions — rendering a
 * Template, sending mail, calling a webhook — and the delivery queue. None of these stops a run:
 * the dispatcher reports them per delivery, and the caller writes them to the run's log.
 */
import { defineErrors } from '../core/index.ts'

export const eventError = defineErrors('events', {
  EVT_FILTER_FAILED: {
    audience: 'user',
    title: "An EventAction's filter could not be evaluated for an event; the action was not carried out for it.",
    hint: 'Check the `filter:` expression against the fields the event type has (docs/events.md); a field another event type has may be missing here.',
  },
  EVT_TEMPLATE_FAILED: {
    audience: 'user',
    title: 'A Template could not be rendered for an event; no mail was sent.',
    hint: 'Check the Template (its Liquid tags, the filter and parameters of `{% filter_table %}`); `provisio validate` checks what can be checked without an event.',
  },
  EVT_MAIL_UNREACHABLE: {
    audience: 'operational',
    retry: 'safe',
    title: 'The SMTP server could not be reached, or did not answer in time.',
    hint: "Check the MailServer's host and port, that the server runs and that a firewall lets the connection through; raise `timeout` for a slow server.",
  },
  EVT_MAIL_AUTH_FAILED: {
    audience: 'user',
    title: 'The SMTP server rejected the user name or password.',
    hint: "Check the MailServer's `user` and the environment variable its `password` refers to.",
  },
  EVT_MAIL_TLS_FAILED: {
    audience: 'operational',
    title:
      'The TLS connection to the SMTP server could not be set up (certificate not trusted, name mismatch, or no STARTTLS).',
    hint: "For a private CA, set the MailServer's `ca` to its PEM file. Use `security: tls` for port 465 and `starttls` for 587; check that the certificate names the host.",
  },
  EVT_MAIL_REJECTED: {
    audience: 'operational',
    title: 'The SMTP server refused the message or its recipients.',
    hint: "Read the server's answer in the message: check the sender (`from`) is allowed to send and the recipients exist.",
  },
  EVT_MAIL_PICKUP_FAILED: {
    audience: 'operational',
    title: 'The message could not be written to the pickup directory.',
    hint: "Check that the MailServer's `directory` can be created and written by the user Provisio runs as.",
  },
  EVT_WEBHOOK_FAILED: {
    audience: 'operational',
    retry: 'safe',
    title: 'The webhook could not be delivered: network error, time-out or server error, after every retry.',
    hint: 'Check that the receiver runs and answers within the timeout; raise `timeout` or `retries` in the EventAction if it is slow.',
  },
  EVT_WEBHOOK_REJECTED: {
    audience: 'user',
    title: 'The webhook receiver refused the request (a 4xx answer); it is not retried.',
    hint: "Check the URL, the headers and the secret the receiver expects; the receiver's answer is in the message.",
  },
  EVT_QUEUE_FULL: {
    audience: 'operational',
    title: 'Too many deliveries were waiting; further events were dropped until the queue has room.',
    hint: 'Narrow the EventAction with `source`, `on` or a `filter` (a `mapping.executed` action without a filter fires once per operation), or use `task.finished` with a report.',
  },
})

export type EventErrorCode = Parameters<typeof eventError>[0]
