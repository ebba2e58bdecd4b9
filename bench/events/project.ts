/**
 * The projects of the `events` suite, written as YAML into a folder of their own and loaded and
 * validated with the config API like any project (so the EventActions are what `provisio` runs):
 *
 * - matching: on `mapping.executed` an action with `on: failure`, one with a filter on an
 *   attribute and the status, and a disabled one (none fires for the suite's succeeded outcomes).
 * - delivery: on `operation.failed` a signed webhook (attribute employeeType not contractor) and a
 *   mail through a pickup MailServer (contractors), with a Template that has subject, text and html.
 * - quiet: only a `task.finished` action, so a run's sink wants no operation events at all.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { type ValidatedProject, loadValidProject } from '../../src/config/index.ts'

/** The environment variable the webhook's `secret` refers to. */
export const SECRET_VARIABLE = 'BENCH_HOOK_SECRET'
/** The pickup folder, relative to the project. */
export const OUTBOX = 'outbox'
/** The employeeType whose failed operations are mailed rather than POSTed. */
export const MAILED_TYPE = 'contractor'

const header = `kind: System
name: directory
connector: csv
config: {}
tables:
  accounts:
    primaryKey: uid
    columns: { uid: string }
`

function hook(url: string): string {
  return `webhook: { url: '${url}', secret: '\${env:${SECRET_VARIABLE}}', retries: 0 }`
}

function matching(url: string): string {
  return `${header}---
kind: EventAction
name: failed_accounts
event: mapping.executed
on: failure
${hook(`${url}/failed`)}
---
kind: EventAction
name: unknown_department
event: mapping.executed
filter: "attributes.department = 'NOPE' and status = 'succeeded'"
${hook(`${url}/nope`)}
---
kind: EventAction
name: switched_off
enabled: false
event: mapping.executed
${hook(`${url}/disabled`)}
`
}

function delivery(url: string): string {
  return `${header}---
kind: EventAction
name: hook_failures
event: operation.failed
filter: "attributes.employeeType <> '${MAILED_TYPE}'"
${hook(`${url}/operations`)}
---
kind: EventAction
name: mail_failures
event: operation.failed
filter: "attributes.employeeType = '${MAILED_TYPE}'"
email: { server: outbox, template: operation_failed, to: [iam@example.test], cc: [ops@example.test] }
---
kind: MailServer
name: outbox
transport: pickup
directory: ${OUTBOX}
from: provisio@example.test
---
kind: Template
name: operation_failed
subject: "{{ function }} of {{ key }} in {{ system }} failed: {{ errorCode }}"
text: |
  Mapping {{ mapping }} (plan {{ planId }}, operation {{ seq }}) failed at {{ at }}:
  {{ message }}
  Account {{ attributes.uid }}: {{ attributes.givenName }} {{ attributes.sn }}, {{ attributes.department }}.
html: |
  <p>Mapping <b>{{ mapping }}</b> (plan {{ planId }}, operation {{ seq }}) failed at {{ at }}:</p>
  <pre>{{ message }}</pre>
  <p>Account {{ attributes.uid }}: {{ attributes.givenName }} {{ attributes.sn }}, {{ attributes.department }}.</p>
`
}

function quiet(url: string): string {
  return `${header}---
kind: EventAction
name: every_finish
event: task.finished
${hook(`${url}/finished`)}
`
}

export type ProjectKind = 'matching' | 'delivery' | 'quiet'

/** Writes the project into `dir` (created) and loads it; throws when it does not validate. */
export async function benchProject(dir: string, kind: ProjectKind, webhookBase: string): Promise<ValidatedProject> {
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'events.yaml'), { matching, delivery, quiet }[kind](webhookBase))
  return loadValidProject(dir)
}
