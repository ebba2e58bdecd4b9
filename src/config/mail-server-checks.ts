/**
 * Checks of a MailServer document: the keys of the other transport are errors, smtp needs a host
 * and pickup a folder inside the project, a password needs a user and is a reference, the CA file
 * exists, the sender is an address, and plain SMTP goes only to this machine.
 */
import type { MailServerConfig } from './event-action-model.ts'
import type { Findings } from './filter-references.ts'
import { issueAt } from './issues.ts'
import { isLoopbackHost, isMailAddress, staysInsideProject } from './mail-address.ts'
import type { MailServerDocument } from './mail-server-schema.ts'
import { projectPathExists } from './project-files.ts'
import { plainSecretIssues } from './secrets.ts'

// A pickup folder is written at once: a `timeout` would do nothing there.
const SMTP_ONLY = ['host', 'port', 'security', 'user', 'password', 'ca', 'timeout'] as const

/** The port each security mode listens on by convention. */
export const DEFAULT_SMTP_PORTS = { tls: 465, starttls: 587, none: 25 } as const

/** Thirty seconds: long enough for a slow relay, short enough that a dead one does not hold a run's mails. */
export const DEFAULT_MAIL_TIMEOUT_MS = 30_000

/** Checks a schema-valid MailServer document; returns the resolved server when it has no errors. */
export function checkMailServer(findings: Findings, server: MailServerDocument): MailServerConfig | undefined {
  const { document } = findings
  const transport = server.transport ?? 'smtp'
  const security = server.security ?? 'starttls'
  findings.add(...plainSecretIssues(document, { password: server.password }, []))
  if (!isMailAddress(server.from)) {
    findings.add(
      issueAt(document, 'CFG_INVALID_VALUE', `'${server.from}' is not a mail address.`, ['from'], {
        value: server.from,
        hint: 'Write an address such as provisio@example.org or Provisio <provisio@example.org>.',
      }),
    )
  }
  if (transport === 'pickup') checkPickup(findings, server)
  else checkSmtp(findings, server, security)
  if (!findings.isResolvable) return undefined
  return {
    name: server.name,
    ...(server.description === undefined ? {} : { description: server.description }),
    file: document.file,
    document,
    transport,
    security,
    ...(transport === 'smtp'
      ? {
          host: server.host,
          port: server.port ?? DEFAULT_SMTP_PORTS[security],
          ...(server.user === undefined ? {} : { user: server.user }),
          ...(server.password === undefined ? {} : { password: server.password }),
          ...(server.ca === undefined ? {} : { ca: server.ca }),
        }
      : { directory: server.directory }),
    from: server.from,
    timeout: server.timeout ?? DEFAULT_MAIL_TIMEOUT_MS,
  }
}

function checkPickup(findings: Findings, server: MailServerDocument): void {
  const { document } = findings
  for (const key of SMTP_ONLY) {
    if (server[key] === undefined) continue
    findings.add(
      issueAt(
        document,
        'CFG_UNKNOWN_KEY',
        `\`${key}\` belongs to the smtp transport; this server uses pickup.`,
        [key],
        {
          at: 'key',
          hint: `Remove \`${key}\`, or write \`transport: smtp\`.`,
        },
      ),
    )
  }
  if (server.directory === undefined) {
    findings.add(
      issueAt(document, 'CFG_MISSING_KEY', 'A pickup mail server needs `directory`.', ['directory'], {
        anchor: ['transport'],
        hint: 'Add `directory: mail/outbox`: the folder, relative to the project folder, that receives one .eml file per mail.',
      }),
    )
  } else if (!staysInsideProject(server.directory)) {
    findings.add(
      issueAt(
        document,
        'CFG_INVALID_VALUE',
        `The pickup folder '${server.directory}' is outside the project folder.`,
        ['directory'],
        {
          value: server.directory,
          hint: 'Write a folder relative to the project folder, such as mail/outbox.',
        },
      ),
    )
  }
}

function checkSmtp(findings: Findings, server: MailServerDocument, security: MailServerConfig['security']): void {
  const { document } = findings
  if (server.directory !== undefined) {
    findings.add(
      issueAt(
        document,
        'CFG_UNKNOWN_KEY',
        '`directory` belongs to the pickup transport; this server uses smtp.',
        ['directory'],
        {
          at: 'key',
          hint: 'Remove `directory`, or write `transport: pickup`.',
        },
      ),
    )
  }
  if (server.host === undefined) {
    findings.add(
      issueAt(document, 'CFG_MISSING_KEY', 'An smtp mail server needs `host`.', ['host'], {
        anchor: server.transport === undefined ? ['name'] : ['transport'],
        hint: 'Add `host: smtp.example.org`, or write `transport: pickup` with a `directory` to write .eml files instead.',
      }),
    )
  } else if (security === 'none' && !isLoopbackHost(server.host)) {
    findings.add(
      issueAt(
        document,
        'CFG_INSECURE_TRANSPORT',
        `\`security: none\` sends to '${server.host}' unencrypted: credentials and reports would cross the network in the clear.`,
        ['security'],
        {
          value: 'none',
          hint: 'Use `security: starttls` (port 587) or `tls` (port 465); `none` is allowed only for 127.0.0.1, ::1 or localhost.',
        },
      ),
    )
  }
  if (server.password !== undefined && server.user === undefined) {
    findings.add(
      issueAt(document, 'CFG_MISSING_KEY', 'A `password` needs a `user` to log in as.', ['password'], {
        at: 'key',
        hint: 'Add `user: <login name>`, or remove `password` when the server accepts mail without logging in.',
      }),
    )
  }
  const dir = findings.context.dir
  if (server.ca !== undefined && dir !== undefined && !projectPathExists(dir, server.ca, findings.context.files)) {
    findings.add(
      issueAt(document, 'CFG_INVALID_VALUE', `The CA file '${server.ca}' does not exist.`, ['ca'], {
        value: server.ca,
        hint: 'Write the path of a PEM file, relative to the project folder.',
      }),
    )
  }
}
